import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyEvent } from '../../../libs/events/test/fastParseArbitraries.ts';
import type { IngestibleEvent } from '../src/eventRouting.ts';
import { canonicalJson } from '@dgt/events';
import { checkBatch, checkEvent, Refused } from '../src/checkBatch.ts';
import { plainFixJson } from '../src/plainFixLane.ts';
import { plainFixes } from './fixArbitraries.ts';

const RUNS = Number(process.env.DGT_FAST_PARSE_RUNS ?? 100_000);
/** A new seed each run, printed with the counts (set it to replay a run). */
const SEED = Number(process.env.DGT_FAST_PARSE_SEED ?? Date.now() % 2 ** 31);

const NOT_JSON = Symbol('not JSON');

/** The value as a batch's item holds it: what JSON.parse gives for its JSON text (the lane's domain). */
function parsedFromJson(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? NOT_JSON : (JSON.parse(text) as unknown);
  } catch {
    // A BigInt or a cycle: JSON has no text for it, no batch holds it.
    return NOT_JSON;
  }
}

/** The lane's answer for an item against the step-by-step checks' (`reference`). */
function expectSameAsSteps(input: unknown, reference: ReturnType<typeof checkEvent>, counts: { plain: number }): void {
  const json = plainFixJson(input);
  if (json === undefined) return;
  counts.plain++;
  expect(reference).not.toBeInstanceOf(Refused);
  // The item is the event: what zod returns holds the same values (its data's keys perhaps in another order).
  expect(canonicalJson(input as Record<string, unknown>)).toBe(canonicalJson(reference as IngestibleEvent));
  expect(json).toBe(canonicalJson(reference as IngestibleEvent));
}

describe('the plain-fix lane of checkBatch', () => {
  // Invalid items make zod build errors; their stack traces are most of its cost here.
  let stackTraceLimit = Error.stackTraceLimit;
  beforeAll(() => {
    stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
  });
  afterAll(() => {
    Error.stackTraceLimit = stackTraceLimit;
  });

  it(`vouches only for items every step-by-step check accepts, with the same event and its canonical JSON (${RUNS.toLocaleString('en')} valid and mutated fixes, as JSON.parse gives them)`, () => {
    const counts = { plain: 0, accepted: 0, refused: 0, notJson: 0 };
    fc.assert(
      fc.property(anyEvent('VehiclePositionReported', SEED), (value) => {
        const input = parsedFromJson(value);
        if (input === NOT_JSON) {
          counts.notJson++;
          return;
        }
        const reference = checkEvent(input);
        if (reference instanceof Refused) counts.refused++;
        else counts.accepted++;
        expectSameAsSteps(input, reference, counts);
      }),
      { numRuns: RUNS },
    );
    // Neither side may be starved: plain fixes taken by the lane, items refused, items accepted another way.
    expect(counts.refused).toBeGreaterThan(RUNS * 0.3);
    expect(counts.accepted).toBeGreaterThan(RUNS * 0.2);
    console.log(`plain-fix lane (seed ${SEED}): ${RUNS} items, ${counts.accepted} accepted (${counts.plain} by the lane), ${counts.refused} refused, ${counts.notJson} not JSON`);
  }, 600_000);

  it(`vouches only for plain fixes the step-by-step checks accept, with the same event and its canonical JSON (${RUNS.toLocaleString('en')} valid and broken plain fixes, as JSON.parse gives them)`, () => {
    const counts = { plain: 0, accepted: 0, refused: 0 };
    fc.assert(
      fc.property(plainFixes, (value) => {
        const input = parsedFromJson(value);
        if (input === NOT_JSON) return;
        const reference = checkEvent(input);
        if (reference instanceof Refused) counts.refused++;
        else counts.accepted++;
        expectSameAsSteps(input, reference, counts);
      }),
      { numRuns: RUNS },
    );
    expect(counts.plain).toBeGreaterThan(RUNS * 0.4);
    expect(counts.refused).toBeGreaterThan(RUNS * 0.15);
    console.log(`plain fixes (seed ${SEED}): ${RUNS} items, ${counts.accepted} accepted (${counts.plain} by the lane), ${counts.refused} refused`);
  }, 600_000);

  it('hands on the JSON the lane wrote with each event it accepted, and writes none for the others', () => {
    const fix = (n: number) => ({ eventId: `e-${n}`, type: 'VehiclePositionReported', occurredAt: '2026-03-02T11:59:00Z', data: { vehicleId: '浙J12345', lon: 121.4, lat: 28.6, speedKmh: n, headingDeg: 90 } });
    const withMeta = { ...fix(2), meta: { source: 'test' } };
    const items = { values: [fix(1), withMeta, fix(3)].map((value) => JSON.parse(JSON.stringify(value)) as unknown) };
    const out = checkBatch(items, { receivedMs: Date.parse('2026-03-02T12:00:00Z'), time: { maxFutureSkewS: 300, backfillWindowS: 86_400 } });
    expect(out.accepted.map((e) => e.eventId)).toEqual(['e-1', 'e-2', 'e-3']);
    expect(out.json).toEqual([canonicalJson(out.accepted[0]!), undefined, canonicalJson(out.accepted[2]!)]);
  });

  it('refuses a fix whose vehicleId holds a lone surrogate as lone_surrogate, as the step-by-step checks do', () => {
    const fix = { eventId: 'e-1', type: 'VehiclePositionReported', occurredAt: '2026-03-02T11:59:00Z', data: { vehicleId: 'V\ud800', lon: 121.4, lat: 28.6, speedKmh: 10 } };
    expect(plainFixJson(fix)).toBeUndefined();
    const { results } = checkBatch({ values: [fix] }, { receivedMs: Date.parse('2026-03-02T12:00:00Z'), time: { maxFutureSkewS: 300, backfillWindowS: 86_400 } });
    expect(results[0]).toMatchObject({ status: 'rejected', reason: 'lone_surrogate', errors: [{ path: 'data.vehicleId' }] });
  });

  it('leaves a fix with a key of its own in data to the step-by-step checks, which keep the key', () => {
    const fix = { eventId: 'e-2', type: 'VehiclePositionReported', occurredAt: '2026-03-02T11:59:00Z', data: { vehicleId: 'V1', lon: 121.4, lat: 28.6, speedKmh: 10, odometerKm: 5 } };
    expect(plainFixJson(fix)).toBeUndefined();
    const event = checkEvent(fix);
    expect(event).not.toBeInstanceOf(Refused);
    expect((event as { data: Record<string, unknown> }).data.odometerKm).toBe(5);
  });

  it('refuses a repeated eventId within a batch, naming the first, and forgets every id between batches, whatever their sizes (the table is reused, grown and shrunk: 300 sequences)', () => {
    const time = { maxFutureSkewS: 300, backfillWindowS: 86_400 };
    const receivedMs = Date.parse('2026-03-02T12:00:00Z');
    const fix = (eventId: string) => ({ eventId, type: 'VehiclePositionReported', occurredAt: '2026-03-02T11:59:00Z', data: { vehicleId: 'V1', lon: 121.4, lat: 28.6, speedKmh: 10 } });
    // Batches of up to 1,500 ids (past the first table's 512) from pools small and large: repeats within a batch and across batches.
    const batch = fc.tuple(fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 0, max: 1_500 })).chain(([pool, size]) => fc.array(fc.integer({ min: 0, max: pool - 1 }), { minLength: size, maxLength: size }));
    fc.assert(
      fc.property(fc.array(batch, { minLength: 1, maxLength: 6 }), (batches) => {
        for (const ids of batches) {
          const out = checkBatch({ values: ids.map((n) => fix(`e-${n}`)) }, { receivedMs, time });
          // What a Map of first indexes says of each item, against what checkBatch answered: one line per item.
          const first = new Map<number, number>();
          const expected = ids.map((n, index) => {
            const seen = first.get(n);
            if (seen === undefined) first.set(n, index);
            return seen === undefined ? `${index} e-${n} accepted` : `${index} e-${n} rejected duplicate_in_batch duplicate in batch: the same eventId was accepted at index ${seen}`;
          });
          const actual = out.results.map((r) => (r.status === 'accepted' ? `${r.index} ${r.eventId} accepted` : `${r.index} ${r.eventId} ${r.status} ${r.reason} ${r.errors?.[0]?.message}`));
          expect(actual.join('\n')).toBe(expected.join('\n'));
          expect(out.accepted.length).toBe(first.size);
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
