import { canonicalJson } from '@dgt/events';
import { decodeFrame, encodeBatchUpload } from '@dgt/jt808';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { positionEventsFromReports } from '../src/index.ts';
import { positionJson } from '../src/positionJson.ts';

const fix = fc.record({
  alarm: fc.nat({ max: 0xffffffff }),
  status: fc.nat({ max: 0xffffffff }),
  latitude: fc.integer({ min: -90_000_000, max: 90_000_000 }).map((v) => v / 1e6),
  longitude: fc.integer({ min: -180_000_000, max: 180_000_000 }).map((v) => v / 1e6),
  altitudeM: fc.nat({ max: 0xffff }),
  speedKmh: fc.nat({ max: 4500 }).map((v) => v / 10),
  direction: fc.nat({ max: 400 }),
  timeMs: fc.integer({ min: Date.parse('2000-01-01T00:00:00Z') / 1000, max: Date.parse('2098-12-31T00:00:00Z') / 1000 }).map((s) => s * 1000),
  extras: fc.record(
    { mileageKm: fc.nat({ max: 1e7 }).map((v) => v / 10), fuelL: fc.nat({ max: 6000 }).map((v) => v / 10), satellites: fc.nat({ max: 255 }), signalStrength: fc.nat({ max: 255 }) },
    { requiredKeys: [] },
  ),
});

// Any fix time of the century is in the window here: this test is about bytes, not plausibility.
const everyTime = { publishUnfixed: true, receivedMs: 0, window: { maxFutureSkewMs: Number.POSITIVE_INFINITY, backfillWindowMs: Number.POSITIVE_INFINITY } };

describe('positionJson', () => {
  it('writes exactly the bytes canonicalJson writes for every position event the gateway builds', () => {
    fc.assert(
      fc.property(fc.array(fix, { minLength: 1, maxLength: 4 }), fc.constantFrom(0 as const, 1 as const), fc.constantFrom('2013' as const, '2019' as const), fc.string({ minLength: 1, maxLength: 20 }), (fixes, batchType, flavour, plate) => {
        const r = decodeFrame(encodeBatchUpload({ flavour, phone: '013912344329', serial: 1 }, batchType, fixes));
        if (!r.ok || r.value.kind !== 'message' || r.value.message.type !== 'batch-upload') throw new Error('fixture must decode');
        const outcomes = positionEventsFromReports(r.value.message.reports, { phone: '13912344329', vehicleId: plate, flavour, serial: 1 }, everyTime);
        for (const o of outcomes) if (o.kind === 'event') expect(positionJson(o.event)).toBe(canonicalJson(o.event));
      }),
      { numRuns: 300 },
    );
  });
});
