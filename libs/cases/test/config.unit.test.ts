import { describe, expect, it } from 'vitest';
import { addCalendarMonths, defaultCasesConfig, resolveCasesConfig, standingThresholdsSchema } from '../src/index.ts';

describe('cases configuration', () => {
  it('defaults to 12 months of validity and standing thresholds 6 and 12', () => {
    expect(defaultCasesConfig).toEqual({ pointsValidityMonths: 12, standing: { yellow: 6, red: 12 } });
    expect(resolveCasesConfig({ pointsValidityMonths: 24 })).toEqual({ pointsValidityMonths: 24, standing: { yellow: 6, red: 12 } });
  });

  it('refuses an unknown key and a value out of range, naming the path', () => {
    expect(() => resolveCasesConfig({ pointsValidity: 12 })).toThrow(/pointsValidity/);
    expect(() => resolveCasesConfig({ pointsValidityMonths: 0 })).toThrow(/^pointsValidityMonths: /);
    expect(() => resolveCasesConfig({ pointsValidityMonths: 1.5 })).toThrow(/pointsValidityMonths: must be a whole number of months/);
    expect(() => resolveCasesConfig({ standing: { yellow: 12, red: 6 } })).toThrow(/standing\.red: yellow must be below red/);
  });

  it('refuses standing thresholds out of order, naming red', () => {
    const r = standingThresholdsSchema.safeParse({ yellow: 6, red: 6 });
    expect(r.success ? [] : r.error.issues.map((i) => i.path.join('.'))).toEqual(['red']);
  });
});

describe('calendar months on the Beijing calendar', () => {
  it('adds months keeping the Beijing day and time, in the offset given', () => {
    expect(addCalendarMonths('2026-03-15T10:00:00+08:00', 12)).toBe('2027-03-15T10:00:00.000+08:00');
    expect(addCalendarMonths('2026-03-15T02:00:00Z', 1)).toBe('2026-04-15T02:00:00.000Z');
  });

  it('clamps to the last day of a shorter month', () => {
    expect(addCalendarMonths('2026-01-31T09:00:00+08:00', 1)).toBe('2026-02-28T09:00:00.000+08:00');
    expect(addCalendarMonths('2028-01-31T09:00:00+08:00', 1)).toBe('2028-02-29T09:00:00.000+08:00');
    expect(addCalendarMonths('2028-02-29T09:00:00+08:00', 12)).toBe('2029-02-28T09:00:00.000+08:00');
  });

  it('counts by the Beijing date, not the UTC one', () => {
    // 2026-01-31T20:00Z is 1 February 04:00 in Beijing: one month later is 1 March in Beijing.
    expect(addCalendarMonths('2026-01-31T20:00:00Z', 1)).toBe('2026-02-28T20:00:00.000Z');
  });
});
