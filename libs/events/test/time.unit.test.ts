import { describe, expect, it } from 'vitest';
import { epochMs, isoAtOffsetOf } from '../src/index.ts';

describe('epochMs', () => {
  it('agrees with Date.parse on every shape the contract accepts', () => {
    const samples = [
      '2026-03-02T08:00:00+08:00', '2026-03-02T08:00:00Z', '2026-03-02T08:00:00.123Z', '2026-03-02T08:00:00.999-05:30',
      '2024-02-29T23:59:59+14:00', '2000-01-01T00:00:00Z', '1969-12-31T23:59:59.001Z', '2100-12-31T12:00:00-12:00',
      '2026-03-02T08:00:00.1Z', '2026-03-02T08:00:00.123456+08:00', '2025-01-29T22:33:44+08:00',
    ];
    for (const s of samples) expect(epochMs(s), s).toBe(Date.parse(s));
  });

  it('agrees with Date.parse on 100,000 generated timestamps', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 100_000; i++) {
      const ms = Math.floor(rnd() * 8e12) - 1e12;
      const offset = Math.floor(rnd() * 27 - 12) * 60 + (rnd() < 0.2 ? 30 : 0);
      const local = new Date(ms + offset * 60_000).toISOString().slice(0, rnd() < 0.5 ? 19 : 23);
      const sign = offset < 0 ? '-' : '+';
      const abs = Math.abs(offset);
      const suffix = offset === 0 && rnd() < 0.5 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
      const s = local + suffix;
      expect(epochMs(s)).toBe(Date.parse(s));
    }
  });

  it('agrees with Date.parse on runs of consecutive fixes, as they arrive from one terminal', () => {
    const start = Date.parse('2026-12-31T22:58:00+08:00');
    for (const suffix of ['+08:00', 'Z', '-03:30']) {
      for (let k = 0; k < 20_000; k++) {
        const ms = start + k * 1_337;
        const offsetMin = suffix === 'Z' ? 0 : suffix === '+08:00' ? 480 : -210;
        const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, k % 3 === 0 ? 19 : 23);
        const s = local + suffix;
        expect(epochMs(s)).toBe(ms - (k % 3 === 0 ? ms % 1000 : 0));
      }
    }
  });

  it('agrees with Date.parse when the same text repeats, alone or between others, and after a fallback', () => {
    const a = '2026-03-02T08:00:00.250+08:00';
    const b = '2026-03-02T08:00:01+08:00';
    const odd = '2026-02-30T00:00:00Z';
    for (const s of [a, a, b, b, a, odd, odd, a, `${a}`, b, 'not a time', b]) expect(epochMs(s), s).toBe(Date.parse(s));
  });

  it('falls back to Date.parse for impossible dates', () => {
    expect(epochMs('2026-02-30T00:00:00Z')).toBe(Date.parse('2026-02-30T00:00:00Z'));
  });
});

describe('isoAtOffsetOf', () => {
  it('writes an instant in the offset of the fix it was derived from, to the millisecond', () => {
    const ms = Date.parse('2026-03-02T07:59:59.250Z');
    expect(isoAtOffsetOf(ms, '2026-03-02T16:00:00+08:00')).toBe('2026-03-02T15:59:59.250+08:00');
    expect(isoAtOffsetOf(ms, '2026-03-02T02:30:00-05:30')).toBe('2026-03-02T02:29:59.250-05:30');
    expect(isoAtOffsetOf(ms, '2026-03-02T08:00:00Z')).toBe('2026-03-02T07:59:59.250Z');
  });

  it('names the same instant whatever the offset (round trip through epochMs)', () => {
    for (const like of ['2026-03-02T08:00:00+08:00', '2026-03-02T08:00:00.5-12:00', '2026-03-02T08:00:00+14:00', '2026-03-02T08:00:00Z']) {
      for (const ms of [0, 1_772_409_600_123, 1_772_452_799_999]) expect(epochMs(isoAtOffsetOf(ms, like))).toBe(ms);
    }
  });
});
