import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyEvent } from '../../../libs/events/test/fastParseArbitraries.ts';
import { sameValue } from '../../../libs/events/test/fastPathProperty.ts';
import { checkBatch, checkEvent, plainFix, Refused } from '../src/checkBatch.ts';
import { plainFixes } from './fixArbitraries.ts';

const RUNS = Number(process.env.DGT_FAST_PARSE_RUNS ?? 100_000);
/** A new seed each run, printed with the counts (set it to replay a run). */
const SEED = Number(process.env.DGT_FAST_PARSE_SEED ?? Date.now() % 2 ** 31);

describe('the plain-fix path of checkBatch', () => {
  // Invalid items make zod build errors; their stack traces are most of its cost here.
  let stackTraceLimit = Error.stackTraceLimit;
  beforeAll(() => {
    stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
  });
  afterAll(() => {
    Error.stackTraceLimit = stackTraceLimit;
  });

  it(`vouches only for items every step-by-step check accepts, with the same event (${RUNS.toLocaleString('en')} valid and mutated fixes)`, () => {
    const counts = { plain: 0, accepted: 0, refused: 0, threw: 0 };
    fc.assert(
      fc.property(anyEvent('VehiclePositionReported', SEED), (input) => {
        const fast = plainFix(input);
        let reference: ReturnType<typeof checkEvent>;
        try {
          reference = checkEvent(input);
        } catch {
          // Only JavaScript values JSON cannot carry (a sparse array) get here; never vouched for.
          expect(fast).toBeUndefined();
          counts.threw++;
          return;
        }
        if (reference instanceof Refused) counts.refused++;
        else counts.accepted++;
        if (fast === undefined) return;
        counts.plain++;
        expect(reference).not.toBeInstanceOf(Refused);
        expect(sameValue(fast, reference)).toBe(true);
      }),
      { numRuns: RUNS },
    );
    // Neither side may be starved: plain fixes taken by the fast path, items refused, items accepted another way.
    expect(counts.refused).toBeGreaterThan(RUNS * 0.3);
    expect(counts.accepted).toBeGreaterThan(RUNS * 0.2);
    console.log(`plain-fix path (seed ${SEED}): ${RUNS} items, ${counts.accepted} accepted (${counts.plain} by the plain-fix path), ${counts.refused} refused, ${counts.threw} not JSON-shaped (the checks throw)`);
  }, 600_000);

  it(`vouches only for plain fixes the step-by-step checks accept, with the same event (${RUNS.toLocaleString('en')} valid and broken plain fixes)`, () => {
    const counts = { plain: 0, accepted: 0, refused: 0 };
    fc.assert(
      fc.property(plainFixes, (input) => {
        const fast = plainFix(input);
        const reference = checkEvent(input);
        if (reference instanceof Refused) counts.refused++;
        else counts.accepted++;
        if (fast === undefined) return;
        counts.plain++;
        expect(reference).not.toBeInstanceOf(Refused);
        expect(sameValue(fast, reference)).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(counts.plain).toBeGreaterThan(RUNS * 0.4);
    expect(counts.refused).toBeGreaterThan(RUNS * 0.15);
    console.log(`plain fixes (seed ${SEED}): ${RUNS} items, ${counts.accepted} accepted (${counts.plain} by the plain-fix path), ${counts.refused} refused`);
  }, 600_000);

  it('refuses a fix whose vehicleId holds a lone surrogate as lone_surrogate, as the step-by-step checks do', () => {
    const fix = { eventId: 'e-1', type: 'VehiclePositionReported', occurredAt: '2026-03-02T11:59:00Z', data: { vehicleId: 'V\ud800', lon: 121.4, lat: 28.6, speedKmh: 10 } };
    expect(plainFix(fix)).toBeUndefined();
    const { results } = checkBatch([{ index: 0, value: fix }], { receivedMs: Date.parse('2026-03-02T12:00:00Z'), time: { maxFutureSkewS: 300, backfillWindowS: 86_400 } });
    expect(results[0]).toMatchObject({ status: 'rejected', reason: 'lone_surrogate', errors: [{ path: 'data.vehicleId' }] });
  });

  it('leaves a fix with a key of its own in data to the step-by-step checks, which keep the key', () => {
    const fix = { eventId: 'e-2', type: 'VehiclePositionReported', occurredAt: '2026-03-02T11:59:00Z', data: { vehicleId: 'V1', lon: 121.4, lat: 28.6, speedKmh: 10, odometerKm: 5 } };
    expect(plainFix(fix)).toBeUndefined();
    const event = checkEvent(fix);
    expect(event).not.toBeInstanceOf(Refused);
    expect((event as { data: Record<string, unknown> }).data.odometerKm).toBe(5);
  });
});
