import { canonicalJson } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { parseStoredEnvelope } from '../src/sqlite/storedJson.ts';

/** Deterministic generator of values around the plain-fix layout: plain fixes, odd numbers and strings, extra keys. */
function generator(seed: number) {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const numbers = [0, -0, 1, -1, 121.42, 28.123456789, 1e-7, -3.5e21, 1e21, 360, 0.1 + 0.2, Number.MIN_VALUE, 123456789012345680000];
  const strings = ['V1', '浙J12345', 'a"b', 'back\\slash', 'tab\tnew\nline', '"}}', ',"lon":1', '\ud800', 'x","type":"VehiclePositionReported","occurredAt":"y', ''];
  return () => {
    const data: Record<string, unknown> = {
      vehicleId: next() < 0.7 ? `浙J${Math.floor(next() * 99999)}` : pick(strings),
      lon: next() < 0.7 ? 121 + next() : pick(numbers),
      lat: next() < 0.7 ? 28 + next() : pick(numbers),
      speedKmh: next() < 0.8 ? Math.floor(next() * 120) : pick(numbers),
    };
    if (next() < 0.7) data.headingDeg = next() < 0.8 ? Math.floor(next() * 360) : pick(numbers);
    if (next() < 0.05) data.accuracyM = 3;
    if (next() < 0.05) data.zz = pick(strings);
    const event: Record<string, unknown> = {
      eventId: next() < 0.8 ? `jt808:V:${Math.floor(next() * 1e13)}` : pick(strings),
      type: next() < 0.95 ? 'VehiclePositionReported' : 'ZoneWithdrawn',
      occurredAt: next() < 0.9 ? '2026-03-01T08:00:00+08:00' : pick(strings),
      data,
    };
    if (next() < 0.05) event.schemaVersion = 1;
    if (next() < 0.05) event.meta = { source: pick(strings) };
    return event;
  };
}

describe('parseStoredEnvelope', () => {
  it('returns exactly what JSON.parse returns, key order included, for canonical texts of 20,000 generated events', () => {
    const next = generator(42);
    for (let i = 0; i < 20_000; i++) {
      const json = canonicalJson(next());
      const parsed = parseStoredEnvelope(json);
      const reference = JSON.parse(json) as { data: Record<string, unknown> };
      expect(JSON.stringify(parsed)).toBe(JSON.stringify(reference));
      // JSON.stringify hides -0.
      for (const [key, value] of Object.entries(reference.data)) expect(Object.is(parsed.data[key], value)).toBe(true);
    }
  });

  it('falls back to JSON.parse for texts that only look like a plain fix', () => {
    const texts = [
      '{"eventId":"e","type":"VehiclePositionReported","occurredAt":"t","data":{"lat":01,"lon":1,"speedKmh":1,"vehicleId":"v"}}',
      '{"eventId":"e","type":"VehiclePositionReported","occurredAt":"t","data":{"lat":1.,"lon":1,"speedKmh":1,"vehicleId":"v"}}',
      '{"eventId":"e","type":"VehiclePositionReported","occurredAt":"t","data":{"lat":+1,"lon":1,"speedKmh":1,"vehicleId":"v"}}',
      '{"eventId":"e","type":"VehiclePositionReported","occurredAt":"t","data":{"lat":0x10,"lon":1,"speedKmh":1,"vehicleId":"v"}}',
      '{"eventId":"e","type":"VehiclePositionReported","occurredAt":"t","data":{"headingDeg":,"lat":1,"lon":1,"speedKmh":1,"vehicleId":"v"}}',
    ];
    for (const text of texts) expect(() => parseStoredEnvelope(text)).toThrow(SyntaxError);
  });
});
