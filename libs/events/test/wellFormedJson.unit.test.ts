import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, stringifyWellFormed, wellFormedJson } from '../src/index.ts';

/** `String.prototype.toWellFormed` (Node ≥ 20; not in the ES2023 lib this package compiles against). */
const toWellFormed = (s: string): string => (s as string & { toWellFormed(): string }).toWellFormed();

/** Strict: UTF-8 that decodes without replacement, and no escape that decodes to half a pair. */
function strictlyWellFormed(json: string): boolean {
  const bytes = Buffer.from(json, 'utf8');
  new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  return !/(?<!\\)(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])/.test(json) && JSON.stringify(JSON.parse(json)) === toWellFormed(JSON.stringify(JSON.parse(json)));
}

const unit = fc.oneof(
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\\', '"', 'u', 'd', '8', 'a', '😀', '浙'),
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
);

describe('well-formed JSON', () => {
  it('replaces exactly what toWellFormed replaces, for any UTF-16 string, keys included', () => {
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 12 }), fc.string({ unit, maxLength: 6 }), (value, key) => {
        expect(stringifyWellFormed({ [key]: value, list: [value] })).toBe(JSON.stringify({ [toWellFormed(key)]: toWellFormed(value), list: [toWellFormed(value)] }));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a complete pair written as two escapes, and text that only looks like an escape', () => {
    expect(wellFormedJson('["\\ud83d\\ude00","\\\\ud800","\\\\\\ud800","\\udc00"]')).toBe('["\\ud83d\\ude00","\\\\ud800","\\\\\uFFFD","\uFFFD"]');
  });

  it('makes the canonical form of an event holding lone surrogates strictly well-formed, and stable', () => {
    const event = { eventId: 'p-\uD800', type: 'VehiclePositionReported', occurredAt: '2026-03-02T08:00:00+08:00', data: { vehicleId: 'V\uDC01', lon: 121.5, lat: 28.7, speedKmh: 0 } };
    const zone = { eventId: 'z-1', type: 'ZoneDesignated', occurredAt: '2026-03-02T08:00:00+08:00', data: { zoneId: 'Z', kind: 'parking-lot', name: 'lot \uD83D', datum: 'WGS84', polygon: [] } };
    for (const e of [event, zone]) {
      const line = canonicalJson(e);
      expect(strictlyWellFormed(line)).toBe(true);
      expect(line).toContain('\uFFFD');
      expect(canonicalJson(JSON.parse(line) as Record<string, unknown>)).toBe(line);
    }
  });
});
