import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { canonicalJson, safeParseClientEvent, safeParseEvent } from '../src/index.ts';
import { fastParseEvent } from '../src/fastParse.ts';
import { safeParseEventWithZod, withClientIdRule, type ParseResult } from '../src/parse.ts';
import { anyEvent, validEvent } from './fastParseArbitraries.ts';

/** Same value: same prototypes, same own keys in the same order (symbols too), leaves by Object.is. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => sameValue((a as Record<PropertyKey, unknown>)[k], (b as Record<PropertyKey, unknown>)[k]));
}

/** Canonical JSON, or the error it throws (a BigInt an unknown key kept throws, fast path or not). */
function canonical(event: Record<string, unknown>): string {
  try {
    return canonicalJson(event);
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
}

function sameResult(a: ParseResult, b: ParseResult): boolean {
  if (a.ok !== b.ok) return false;
  if (a.ok && b.ok) return sameValue(a.event, b.event) && canonical(a.event) === canonical(b.event);
  return !a.ok && !b.ok && a.error.message === b.error.message && JSON.stringify(a.error.issues) === JSON.stringify(b.error.issues);
}

const RUNS = Number(process.env.DGT_FAST_PARSE_RUNS ?? 100_000);
/** The pools' seed: a new one each run, printed with the counts (set it to replay a run). */
const SEED = Number(process.env.DGT_FAST_PARSE_SEED ?? Date.now() % 2 ** 31);

/**
 * The property tests of one hot type: the fast path vouches only for what zod accepts, with zod's
 * event, and the boundary functions answer as zod alone does, errors included.
 */
export function fastPathEqualsZod(type: string): void {
  // Invalid events make zod build two errors each; their stack traces are most of its cost here.
  let stackTraceLimit = Error.stackTraceLimit;
  beforeAll(() => {
    stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
  });
  afterAll(() => {
    Error.stackTraceLimit = stackTraceLimit;
  });
  it(`${type}: accepts exactly what zod accepts and gives the same event, the same canonical JSON and the same errors (${RUNS.toLocaleString('en')} cases)`, () => {
    const counts = { valid: 0, invalid: 0, fast: 0, clientValid: 0 };
    fc.assert(
      fc.property(anyEvent(type, SEED), (input) => {
        const reference = safeParseEventWithZod(input);
        const clientReference = withClientIdRule(input, reference);
        const fast = fastParseEvent(input);
        if (fast !== undefined) {
          counts.fast++;
          // Vouched for: zod accepts it, and the event is zod's, down to key order.
          expect(reference.ok).toBe(true);
          if (!reference.ok) return;
          expect(sameValue(fast, reference.event)).toBe(true);
          expect(canonical(fast)).toBe(canonical(reference.event));
          // Fresh objects, as zod's: mutating the event never reaches the input.
          expect(fast).not.toBe(input);
          expect(fast.data).not.toBe((input as { data: unknown }).data);
        }
        if (reference.ok) counts.valid++;
        else counts.invalid++;
        if (clientReference.ok) counts.clientValid++;
        // The boundary functions: the fast path's answer, else zod's — the same either way.
        expect(sameResult(safeParseEvent(input), reference)).toBe(true);
        expect(sameResult(safeParseClientEvent(input), clientReference)).toBe(true);
      }),
      { numRuns: RUNS },
    );
    // Neither side of the property may be starved: plenty of valid and of invalid events.
    expect(counts.valid).toBeGreaterThan(RUNS * 0.3);
    expect(counts.invalid).toBeGreaterThan(RUNS * 0.3);
    expect(counts.clientValid).toBeGreaterThan(RUNS * 0.2);
    console.log(`${type} (seed ${SEED}): ${RUNS} cases, ${counts.valid} valid (${counts.fast} by the fast path), ${counts.invalid} invalid, ${counts.clientValid} valid client events`);
  }, 600_000);

  it(`${type}: takes the fast path for every valid event as clients send it (a waybill's route aside: zod reads it)`, () => {
    fc.assert(
      fc.property(validEvent(type), (event) => {
        const input = JSON.parse(JSON.stringify(event)) as unknown;
        expect(safeParseEventWithZod(input).ok).toBe(true);
        const routed = (input as { data: Record<string, unknown> }).data.route !== undefined;
        if (routed) expect(fastParseEvent(input)).toBeUndefined();
        else expect(fastParseEvent(input)).toBeDefined();
      }),
      { numRuns: 2_000 },
    );
  });
}
