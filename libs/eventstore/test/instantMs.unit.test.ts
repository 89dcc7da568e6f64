import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantMs } from '../src/envelope.ts';

/** What instantMs answered before it went through epochMs: the contract it keeps. */
const offsetSuffix = /(?:Z|[+-]\d{2}:\d{2})$/i;
const reference = (iso: string): number => (offsetSuffix.test(iso) ? Date.parse(iso) : Number.NaN);

const digits = (n: number) => fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, '0'));
/** Timestamps near the shapes the fast parser reads, with every part sometimes out of range or malformed. */
const isoLike = fc
  .tuple(
    digits(4),
    fc.constantFrom('-', '/'),
    digits(2),
    digits(2),
    fc.constantFrom('T', 't', ' '),
    digits(2),
    digits(2),
    digits(2),
    fc.option(fc.oneof(digits(3), digits(1), digits(6)), { nil: undefined }),
    fc.oneof(fc.constantFrom('Z', 'z', '', '+08:00', '-05:30', '+0800', '+24:00', '-00:60'), fc.tuple(fc.constantFrom('+', '-'), digits(2), digits(2)).map(([s, h, m]) => `${s}${h}:${m}`)),
  )
  .map(([y, sep, mo, d, t, h, mi, s, frac, off]) => `${y}${sep}${mo}${sep}${d}${t}${h}:${mi}:${s}${frac === undefined ? '' : `.${frac}`}${off}`);

describe('instantMs', () => {
  it('answers as Date.parse behind the offset check did, for 100,000 near-ISO strings and any string', () => {
    fc.assert(
      fc.property(fc.oneof(isoLike, fc.string()), (text) => {
        expect(Object.is(instantMs(text), reference(text)), text).toBe(true);
      }),
      { numRuns: 100_000, seed: 2121 },
    );
  });

  it('answers consecutive fixes of one terminal (the parser’s same-hour shortcut) as Date.parse', () => {
    const start = Date.parse('2026-12-31T22:58:00+08:00');
    for (let k = 0; k < 2_000; k++) {
      const ms = start + k * 1_500;
      const text = new Date(ms + 8 * 3_600_000).toISOString().slice(0, 23) + '+08:00';
      expect(instantMs(text)).toBe(ms);
    }
  });

  it('refuses an instant without an offset, and anything that is not a string', () => {
    expect(instantMs('2026-03-02T08:00:00')).toBeNaN();
    expect(instantMs(1_772_438_400_000 as unknown as string)).toBeNaN();
  });
});
