import { describe, expect, it } from 'vitest';
import { beijingMsOfDay, brokenRule, compileRules, type Consignment, defaultDetectionConfig as cfg, evolveOverspeed, type Fix, type OverspeedRun } from '../src/index.ts';

const H = 3_600_000;
/** Epoch ms of a Beijing wall-clock time on 2 March 2026. */
const beijing = (hh: number, mm: number, ss = 0) => Date.parse(`2026-03-02T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}+08:00`);
const load = (...classes: string[]): Consignment => ({
  waybillNo: 'W', status: 'loaded', consignorId: 'C', carrierId: 'K', vehicleId: 'V', loadingEventId: 'L',
  goods: classes.map((hazardClass) => ({ unNumber: '1230', name: 'x', hazardClass, quantityKg: 1 })),
  origin: { name: 'o', lon: 121, lat: 28 }, destination: { name: 'd', lon: 121, lat: 28 }, timeline: {},
});
const night = compileRules({ bannedHours: [{ from: '22:00', to: '06:00' }] }, 'z');

describe('Beijing time of a fix', () => {
  it('is UTC+8 by arithmetic, on either side of the epoch', () => {
    expect(beijingMsOfDay(Date.parse('2026-03-01T16:00:00Z'))).toBe(0);
    expect(beijingMsOfDay(Date.parse('2026-03-01T15:59:59Z'))).toBe(24 * H - 1000);
    expect(beijingMsOfDay(Date.parse('1969-12-31T20:00:00Z'))).toBe(4 * H);
  });
});

describe('banned hours', () => {
  it('start at the window\'s first minute and end at its last (from inclusive, to exclusive)', () => {
    expect(brokenRule(night, load('3'), beijing(21, 59, 59))).toBeNull();
    expect(brokenRule(night, load('3'), beijing(22, 0))).toBe('banned-hours');
    expect(brokenRule(night, load('3'), beijing(5, 59, 59))).toBe('banned-hours');
    expect(brokenRule(night, load('3'), beijing(6, 0))).toBeNull();
  });

  it('wrap past midnight when `to` is earlier than `from`, and do not when it is later', () => {
    expect(brokenRule(night, load('3'), beijing(0, 0))).toBe('banned-hours');
    expect(brokenRule(night, load('3'), beijing(12, 0))).toBeNull();
    const day = compileRules({ bannedHours: [{ from: '06:00', to: '22:00' }] }, 'z');
    expect(brokenRule(day, load('3'), beijing(0, 0))).toBeNull();
    expect(brokenRule(day, load('3'), beijing(12, 0))).toBe('banned-hours');
  });

  it('apply to any of several windows', () => {
    const rush = compileRules({ bannedHours: [{ from: '07:00', to: '09:00' }, { from: '17:00', to: '19:00' }] }, 'z');
    expect([7, 8, 9, 12, 17, 18, 19].map((h) => brokenRule(rush, load('3'), beijing(h, 30)))).toEqual([
      'banned-hours', 'banned-hours', null, null, 'banned-hours', 'banned-hours', null,
    ]);
  });
});

describe('what a zone bans', () => {
  it('bans only laden vehicles, and ladenBanned wins over banned hours', () => {
    const both = compileRules({ ladenBanned: true, bannedHours: [{ from: '22:00', to: '06:00' }] }, 'z');
    expect(brokenRule(both, undefined, beijing(23, 0))).toBeNull();
    expect(brokenRule(both, load('3'), beijing(23, 0))).toBe('laden-banned');
    expect(brokenRule(both, load('3'), beijing(12, 0))).toBe('laden-banned');
  });

  it('limits the ban to the listed classes; a class without a division covers its divisions, not the other way round', () => {
    const gases = compileRules({ ladenBanned: true, hazardClasses: ['2'] }, 'z');
    expect(brokenRule(gases, load('2.1'), 0)).toBe('laden-banned');
    expect(brokenRule(gases, load('2'), 0)).toBe('laden-banned');
    expect(brokenRule(gases, load('8', '3'), 0)).toBeNull();
    const lpgOnly = compileRules({ ladenBanned: true, hazardClasses: ['2.1'] }, 'z');
    expect(brokenRule(lpgOnly, load('2.2'), 0)).toBeNull();
    expect(brokenRule(lpgOnly, load('2'), 0)).toBeNull();
    // Any item of a mixed load counts.
    expect(brokenRule(lpgOnly, load('8', '2.1'), 0)).toBe('laden-banned');
  });

  it('compiles a zone that only limits speed to rules that ban nothing, and empty rules to none', () => {
    const limited = compileRules({ speedLimitKmh: 60 }, 'z');
    expect(limited?.speedLimitKmh).toBe(60);
    expect(brokenRule(limited, load('3'), 0)).toBeNull();
    expect(compileRules({}, 'z')).toBeNull();
    expect(compileRules(undefined, 'z')).toBeNull();
  });
});

describe('overspeed runs', () => {
  let n = 0;
  const fix = (s: number, speedKmh: number): Fix => ({ eventId: `f${++n}`, occurredAt: `t${s}`, ms: s * 1000, lon: 121, lat: 28, speedKmh });
  const feed = (points: [number, number][], limit = 80) => {
    let run: OverspeedRun | null = null;
    const out: string[] = [];
    for (const [s, v] of points) {
      const step = evolveOverspeed(run, fix(s, v), limit, cfg);
      if (step.started) out.push(`started@${s}`);
      if (step.ended) out.push(`ended@${s}:max${step.ended.maxSpeedKmh}`);
      run = step.run;
    }
    return out;
  };

  it('need a run lasting overspeedMinS: started at its first fix at least 60 s after its first', () => {
    expect(feed([[0, 85], [30, 85], [59, 90], [60, 86], [90, 70]])).toEqual(['started@60', 'ended@90:max90']);
  });

  it('are never a single fast fix, however long the gap to the next', () => {
    expect(feed([[0, 120], [600, 60]])).toEqual([]);
  });

  it('end silently when they stop before qualifying, and at or below the limit', () => {
    expect(feed([[0, 85], [30, 85], [60, 80], [90, 85]])).toEqual([]);
  });

  it('follow the limit in force at each fix', () => {
    expect(feed([[0, 65], [30, 65], [60, 65]], 60)).toEqual(['started@60']);
  });

  it('allocate nothing for a fix within the limit and no run', () => {
    expect(evolveOverspeed(null, fix(0, 50), 80, cfg)).toBe(evolveOverspeed(null, fix(1, 60), 80, cfg));
  });
});
