import { canonicalJson, safeParseEvent, wellFormedJson } from '@dgt/events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope } from '../src/decode.ts';

const iso = fc
  .record({
    ms: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }),
    frac: fc.constantFrom('', '.5', '.123', '.1234'),
    offset: fc.constantFrom('Z', '+08:00', '-03:30', '+24:00', '+0800', ''),
  })
  .map(({ ms, frac, offset }) => new Date(ms).toISOString().slice(0, 19) + frac + offset);

const oddTimes = fc.constantFrom('2026-02-29T00:00:00Z', '2024-02-29T08:00:00+08:00', '2026-04-31T00:00:00Z', '2026-03-01T24:00:00Z', 'yesterday');
const num = fc.oneof(fc.double({ min: -500, max: 500, noNaN: false }), fc.constantFrom(0, -0, 180, -180, 90.0000001, 1e-7, 400, 400.0001));

const envelope = fc.record(
  {
    eventId: fc.oneof(fc.string({ minLength: 0, maxLength: 6 }), fc.constant('V1-p"0\\'), fc.constant('x'.repeat(513))),
    type: fc.constantFrom('VehiclePositionReported', 'VehiclePositionReported', 'ZoneWithdrawn'),
    occurredAt: fc.oneof(iso, oddTimes),
    data: fc.record(
      {
        vehicleId: fc.oneof(fc.string({ maxLength: 4 }), fc.constant(7)),
        lon: num,
        lat: num,
        speedKmh: num,
        headingDeg: num,
        extra: fc.string(),
      },
      { requiredKeys: ['vehicleId', 'lon', 'lat', 'speedKmh'] },
    ),
    schemaVersion: fc.constant(1),
    meta: fc.constant({ b: 1, a: 2 }),
  },
  { requiredKeys: ['eventId', 'type', 'occurredAt', 'data'] },
);

describe('decodeEnvelope', () => {
  it('accepts exactly what the catalog accepts and renders the canonical line, fast path or not', () => {
    fc.assert(
      fc.property(envelope, (raw) => {
        const decoded = decodeEnvelope(raw as Record<string, unknown>);
        const reference = safeParseEvent(raw);
        expect(decoded.line).toBe(canonicalJson(raw));
        expect(decoded.event !== null).toBe(reference.ok);
        if (reference.ok) expect(canonicalJson(decoded.event as Record<string, unknown>)).toBe(canonicalJson(reference.event));
      }),
      { numRuns: 3000 },
    );
  });

  it("takes the source's canonical JSON as the line and decides validity as without it", () => {
    fc.assert(
      fc.property(envelope, (raw) => {
        let json: string;
        try {
          json = canonicalJson(raw);
        } catch {
          return;
        }
        const stored = JSON.parse(json) as Record<string, unknown>;
        const carried = decodeEnvelope(stored, json);
        const rendered = decodeEnvelope(JSON.parse(json) as Record<string, unknown>);
        expect(carried.line).toBe(json);
        expect(carried.line).toBe(rendered.line);
        expect(carried.issues).toEqual(rendered.issues);
      }),
      { numRuns: 2000 },
    );
  });

  it('decides runs of fixes in one hour as zod does, any minute and second (the fast check remembers the hour)', () => {
    const mmss = fc.tuple(fc.constantFrom('0', '1', '3', '5', '6', '9', 'x', ':'), fc.constantFrom('0', '5', '9', 'a'), fc.constantFrom(':', '-'), fc.constantFrom('0', '5', '6', '9'), fc.constantFrom('0', '9', 'Z'));
    const hour = fc.constantFrom('2026-03-01T08:', '2026-02-28T23:', '2024-02-29T00:', '2026-02-29T10:');
    const suffix = fc.constantFrom('+08:00', 'Z', '.5+08:00', '.123Z');
    fc.assert(
      fc.property(hour, suffix, fc.array(mmss, { minLength: 1, maxLength: 12 }), (h, tail, times) => {
        for (const [m1, m2, sep, s1, s2] of times) {
          const raw = { eventId: 'p', type: 'VehiclePositionReported', occurredAt: `${h}${m1}${m2}${sep}${s1}${s2}${tail}`, data: { vehicleId: 'V1', lon: 121, lat: 28, speedKmh: 3 } };
          expect([raw.occurredAt, decodeEnvelope(raw).event !== null]).toEqual([raw.occurredAt, safeParseEvent(raw).ok]);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('digests stored text with surrogate escapes in the ids as wellFormedJson does (U+FFFD for a lone half, a pair kept)', () => {
    const piece = fc.constantFrom('a', '浙J', '\\ud800', '\\udc00', '\\ud83d\\ude00', '😀', '\\\\ud800', 'x\\u0041');
    const id = fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join(''));
    fc.assert(
      fc.property(id, id, (eventId, vehicleId) => {
        const json = `{"eventId":"${eventId}","type":"VehiclePositionReported","occurredAt":"2026-03-01T08:00:00+08:00","data":{"lat":28,"lon":121,"speedKmh":3,"vehicleId":"${vehicleId}"}}`;
        const stored = JSON.parse(json) as Record<string, unknown>;
        const decoded = decodeEnvelope(stored, json);
        expect(decoded.line).toBe(wellFormedJson(json));
        expect(decoded.event !== null).toBe(safeParseEvent(stored).ok);
      }),
      { numRuns: 1500 },
    );
  });

  it('names the failing field of an invalid position', () => {
    const d = decodeEnvelope({ eventId: 'p', type: 'VehiclePositionReported', occurredAt: '2026-03-02T08:00:00+08:00', data: { vehicleId: 'V1', lon: 121, lat: 28, speedKmh: -3 } });
    expect(d.event).toBeNull();
    expect(d.issues?.map((i) => i.path)).toEqual(['data.speedKmh']);
  });
});
