import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, parseNdjsonLine, parsePositionBytes, safeParseEvent, type ParseResult } from '../src/index.ts';
import { fastParseEvent, fastParsePositionFields } from '../src/fastParse.ts';
import { scanPositionBytes, scanPositionLine } from '../src/positionLine.ts';
import { EventValidationError } from '../src/validationError.ts';
import { anyEvent, validEvent } from './fastParseArbitraries.ts';
import { sameValue } from './fastPathProperty.ts';

/** What parseNdjsonLine answered before the scanner: JSON.parse, then safeParseEvent. */
function reference(line: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { ok: false, error: new EventValidationError([{ path: '', message: `not valid JSON (${(err as Error).message})` }]) };
  }
  return safeParseEvent(value);
}

function sameResult(a: ParseResult, b: ParseResult): boolean {
  if (a.ok !== b.ok) return false;
  if (a.ok && b.ok) return sameValue(a.event, b.event);
  return !a.ok && !b.ok && a.error.message === b.error.message && JSON.stringify(a.error.issues) === JSON.stringify(b.error.issues);
}

/** A line as text can be damaged: a character replaced, inserted or removed, anywhere. */
const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  kind: fc.constantFrom('replace', 'insert', 'delete'),
  char: fc.constantFrom('"', '\\', '{', '}', ',', ':', ' ', '0', '1', '9', '-', '+', '.', 'e', 'E', 'x', '\n', '\u0001', '😀', 'é', '[', ']', 'n'),
});

function damaged(line: string, e: { at: number; kind: string; char: string }): string {
  const i = Math.min(line.length, Math.floor(e.at * line.length));
  if (e.kind === 'insert') return line.slice(0, i) + e.char + line.slice(i);
  if (e.kind === 'delete') return line.slice(0, i) + line.slice(i + 1);
  return line.slice(0, i) + e.char + line.slice(i + 1);
}

/** The property: the scanner gives JSON.parse's object or nothing, and parseNdjsonLine the answer it gave before. */
function check(line: string, counts: { scanned: number; lines: number }): void {
  counts.lines++;
  const scanned = scanPositionLine(line);
  if (scanned !== undefined) {
    counts.scanned++;
    expect(sameValue(scanned, JSON.parse(line))).toBe(true);
    const fields = fastParsePositionFields(scanned.eventId as string, scanned.occurredAt as string, scanned.data as Record<string, unknown>);
    const general = fastParseEvent(scanned);
    expect(fields === undefined ? general === undefined : sameValue(fields, general)).toBe(true);
  }
  expect(sameResult(parseNdjsonLine(line), reference(line))).toBe(true);
  // From the line's UTF-8 bytes, amid other bytes: the same object, or nothing (then the line is decoded).
  const bytes = Buffer.concat([Buffer.from('x\n'), Buffer.from(line), Buffer.from('\n{}')]);
  const fromBytes = scanPositionBytes(bytes, 2, bytes.length - 3);
  const decoded = Buffer.from(line).toString('utf8');
  if (fromBytes === undefined) expect(scanPositionLine(decoded)).toBeUndefined();
  else expect(sameValue(fromBytes, scanPositionLine(decoded))).toBe(true);
  const parsedBytes = parsePositionBytes(bytes, 2, bytes.length - 3);
  expect(parsedBytes === undefined || sameResult(parsedBytes, reference(decoded))).toBe(true);
}

const decimal = fc
  .record({ negative: fc.boolean(), int: fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,9}$/)), frac: fc.stringMatching(/^[0-9]{0,12}$/) })
  .map(({ negative, int, frac }) => `${negative ? '-' : ''}${int}${frac === '' ? '' : `.${frac}`}`);

describe('scanPositionLine', () => {
  it('gives exactly what JSON.parse gives, or nothing, for fixes as JSON carries them, valid or mutated, in schema and canonical order, and damaged text', () => {
    const counts = { scanned: 0, lines: 0 };
    fc.assert(
      fc.property(anyEvent('VehiclePositionReported', 20260301), fc.array(edit, { maxLength: 2 }), (input, edits) => {
        let line: string;
        try {
          line = JSON.stringify(input);
        } catch {
          return;
        }
        if (typeof line !== 'string') return;
        const lines = [line];
        const parsed = reference(line);
        if (parsed.ok) {
          // As a tracker writes it: six decimals, in either order.
          const round = (v: unknown): unknown => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v);
          const d = parsed.event.data as Record<string, unknown>;
          const rounded = { ...parsed.event, data: Object.fromEntries(Object.entries(d).map(([k, v]) => [k, round(v)])) };
          lines.push(canonicalJson(parsed.event), JSON.stringify(rounded), canonicalJson(rounded as typeof parsed.event));
        }
        for (const l of lines) {
          check(l, counts);
          for (const e of edits) check(damaged(l, e), counts);
        }
      }),
      { numRuns: 30_000 },
    );
    // Most of these lines carry something the scanner leaves to JSON.parse (unknown keys, meta, a
    // version, escapes, long doubles): its own reads are counted here, the two tests below are about them.
    expect(counts.scanned).toBeGreaterThan(300);
  }, 120_000);

  it('reads lines with invalid UTF-8 (stray, truncated or overlong bytes) as decoding the whole line does', () => {
    const fix = Buffer.from('{"eventId":"p-1","type":"VehiclePositionReported","occurredAt":"2026-03-02T00:00:08.000Z","data":{"vehicleId":"浙J00000","lon":120.772254,"lat":28.279592,"speedKmh":52.5,"headingDeg":360}}');
    let scanned = 0;
    fc.assert(
      fc.property(fc.nat(fix.length), fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 4 }), fc.boolean(), (at, inserted, replace) => {
        const bytes = Buffer.concat([fix.subarray(0, at), Buffer.from(inserted), fix.subarray(replace ? Math.min(fix.length, at + inserted.length) : at)]);
        const fromBytes = scanPositionBytes(bytes, 0, bytes.length);
        const line = bytes.toString('utf8');
        const fromText = scanPositionLine(line);
        if (fromBytes === undefined) expect(fromText).toBeUndefined();
        else {
          scanned++;
          expect(sameValue(fromBytes, fromText)).toBe(true);
          expect(sameValue(fromBytes, JSON.parse(line))).toBe(true);
        }
      }),
      { numRuns: 20_000 },
    );
    expect(scanned).toBeGreaterThan(1_000);
  });

  it('reads every valid fix written by JSON.stringify or canonicalJson with short decimals', () => {
    fc.assert(
      fc.property(validEvent('VehiclePositionReported'), (event) => {
        const data = { vehicleId: 'V1', lon: 121.123456, lat: 28.654321, speedKmh: 52.5, headingDeg: 360 };
        const line = JSON.stringify({ eventId: event.eventId, type: 'VehiclePositionReported', occurredAt: event.occurredAt, data });
        const parsed = reference(line);
        if (!parsed.ok) return;
        expect(scanPositionLine(line)).toBeDefined();
        expect(scanPositionLine(canonicalJson(parsed.event))).toBeDefined();
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads decimals of up to 15 digits as the same doubles as JSON.parse, and leaves longer ones, exponents and bad forms to it', () => {
    const head = '{"eventId":"e1","type":"VehiclePositionReported","occurredAt":"2026-03-01T08:00:00Z","data":{"vehicleId":"V1","lon":';
    const counts = { scanned: 0, lines: 0 };
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        check(`${head}${a},"lat":${b},"speedKmh":${a}}}`, counts);
        check(`{"eventId":"e1","type":"VehiclePositionReported","occurredAt":"2026-03-01T08:00:00Z","data":{"headingDeg":${b},"lat":${a},"lon":${b},"speedKmh":${b},"vehicleId":"V1"}}`, counts);
      }),
      { numRuns: 20_000 },
    );
    for (const n of ['0', '-0', '-0.0', '0.1', '0.30000000000000004', '123456789012345', '1234567890123456', '9007199254740993', '1e2', '1E2', '01', '-', '1.', '.5', '+1', '00', '1.5e-3', '179.99999999999997', '0.000000000000001', '0.0000000000000001'])
      check(`${head}${n},"lat":${n},"speedKmh":${n}}}`, counts);
    expect(counts.scanned).toBeGreaterThan(counts.lines * 0.5);
  }, 120_000);
});
