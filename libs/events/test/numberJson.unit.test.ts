import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, numberJson } from '../src/index.ts';

/** Decimals of `places` places around a magnitude, as JSON.parse reads them from a terminal's text. */
const decimal = (places: number, max: number) => fc.integer({ min: -max, max }).map((k) => Number((k / 10 ** places).toFixed(places)));

/** Every family of double a fix (or anything else) may hold, the fast path's edges among them. */
const anyNumber = fc.oneof(
  decimal(6, 180_000_000), // degrees in millionths
  decimal(6, 999_999_999_999_999), // the largest k the fast path takes, and beyond its edge (1e15)
  decimal(1, 3_000), // speed in tenths of a km/h
  fc.integer({ min: 0, max: 8 }).chain((places) => decimal(places, 10 ** 12)),
  fc.integer({ min: 7, max: 17 }).chain((places) => decimal(places, 10 ** 9)), // more places than six: String decides
  fc.double({ noNaN: true, noDefaultInfinity: true }), // any finite double, subnormals and ±0 too
  fc.integer({ min: -(2 ** 53), max: 2 ** 53 }),
  fc.constantFrom(0, -0, 1e-6, -1e-6, 5e-7, 1e15, 1e15 - 1e-6, 999_999_999.999999, 0.1 + 0.2, 1e21, 123.4565, 2 ** -1074, Number.MAX_VALUE),
);

describe('numberJson', () => {
  it('writes exactly what JSON.stringify writes, for 200,000 finite doubles of every family', () => {
    fc.assert(
      fc.property(anyNumber, (x) => {
        expect(numberJson(x)).toBe(JSON.stringify(x));
      }),
      { numRuns: 200_000 },
    );
  });

  it('writes every coordinate in millionths of a degree near Taizhou as JSON does (all 1,000,000 of one degree)', () => {
    let differing = 0;
    for (let k = 121_000_000; k < 122_000_000; k++) {
      const x = k / 1e6;
      if (numberJson(x) !== String(x)) differing++;
    }
    expect(differing).toBe(0);
  });

  it('writes negative decimals, small ones and trimmed places like JSON', () => {
    expect(numberJson(-121.45)).toBe('-121.45');
    expect(numberJson(0.000001)).toBe('0.000001');
    expect(numberJson(-0.0001)).toBe('-0.0001');
    expect(numberJson(28.1)).toBe('28.1');
    expect(numberJson(63.4)).toBe('63.4');
    expect(numberJson(-0)).toBe('0');
    expect(numberJson(1.0000001)).toBe('1.0000001');
  });

  it('gives a fix its canonical JSON with the same numbers as JSON.stringify', () => {
    const fix = { eventId: 'e1', type: 'VehiclePositionReported', occurredAt: '2026-03-01T08:00:00+08:00', data: { vehicleId: 'v1', lon: 121.420013, lat: -28.600001, speedKmh: 63.4, headingDeg: 270 } };
    expect(JSON.parse(canonicalJson(fix))).toEqual(fix);
    expect(canonicalJson(fix)).toContain('"lat":-28.600001,"lon":121.420013,"speedKmh":63.4');
  });
});
