import { describe, expect, it } from 'vitest';
import { bayBridge, huayanN, huayanS, wenlingTunnel } from '../src/geography.ts';
import { toXY } from '../src/planar.ts';
import { beijingMinuteOfDay, brokenRule, chordCrossing, classesMatch, inBannedHours, limitAt, zoneById } from '../src/ruleZones.ts';

const at = (beijing: string) => Date.parse(`2026-03-02T${beijing}+08:00`);
const night = [{ from: '22:00', to: '06:00' }];

describe('banned hours (Beijing time, from inclusive, to exclusive, wrapping midnight)', () => {
  it('reads the minute of the day in Beijing time whatever the offset the instant was written in', () => {
    expect(beijingMinuteOfDay(Date.parse('2026-03-02T14:30:00Z'))).toBe(22 * 60 + 30);
  });

  it('starts the ban at 22:00:00, not a second earlier, and lifts it at 06:00:00', () => {
    expect(inBannedHours(night, at('21:59:59'))).toBe(false);
    expect(inBannedHours(night, at('22:00:00'))).toBe(true);
    expect(inBannedHours(night, at('23:59:59'))).toBe(true);
    expect(inBannedHours(night, at('00:00:00'))).toBe(true);
    expect(inBannedHours(night, at('05:59:59.999'))).toBe(true);
    expect(inBannedHours(night, at('06:00:00'))).toBe(false);
  });

  it('does not wrap a window whose end is later than its start', () => {
    const day = [{ from: '07:00', to: '09:00' }];
    expect(inBannedHours(day, at('08:00:00'))).toBe(true);
    expect(inBannedHours(day, at('23:00:00'))).toBe(false);
  });
});

describe('hazard classes and which ban is broken', () => {
  it('lets a listed class without division cover its divisions, but not the reverse', () => {
    expect(classesMatch(['2'], ['2.1'])).toBe(true);
    expect(classesMatch(['2.1'], ['2'])).toBe(false);
    expect(classesMatch(['2.1', '3'], ['8'])).toBe(false);
    expect(classesMatch(['3'], ['30'])).toBe(false);
    expect(classesMatch(undefined, ['8'])).toBe(true);
  });

  it('breaks nothing when empty, laden with an unlisted class, or outside the hours; laden-banned wins over hours', () => {
    const rules = { bannedHours: night, hazardClasses: ['2.1', '3'] };
    expect(brokenRule(rules, null, at('23:00:00'))).toBeNull();
    expect(brokenRule(rules, ['8'], at('23:00:00'))).toBeNull();
    expect(brokenRule(rules, ['3'], at('12:00:00'))).toBeNull();
    expect(brokenRule(rules, ['3'], at('23:00:00'))).toBe('banned-hours');
    expect(brokenRule({ ...rules, ladenBanned: true }, ['3'], at('23:00:00'))).toBe('laden-banned');
  });
});

describe('the limit in force', () => {
  it('is the general limit away from zones, and the lowest zone limit inside (the Huayanshan tunnel inside the G104 stretch)', () => {
    const [x, y] = toXY([121.4, 28.9]);
    expect(limitAt(x, y, 80)).toEqual({ limitKmh: 80, zoneId: null });
    const [tx, ty] = toXY([(huayanN[0] + huayanS[0]) / 2, (huayanN[1] + huayanS[1]) / 2]);
    expect(limitAt(tx, ty, 80)).toEqual({ limitKmh: 60, zoneId: 'seg-g104-huayanshan-tunnel' });
    const [bx, by] = toXY(bayBridge[1]!);
    expect(limitAt(bx, by, 80)).toEqual({ limitKmh: 60, zoneId: 'seg-g1523-taizhou-bay-bridge' });
    // A general limit already below the zone's keeps the general one.
    expect(limitAt(bx, by, 50)).toEqual({ limitKmh: 50, zoneId: null });
  });
});

describe('a zone passed between two fixes', () => {
  const tunnel = zoneById('seg-g1523-wenling-tunnel');
  const [ax, ay] = toXY(wenlingTunnel[0]!);
  const [bx, by] = toXY(wenlingTunnel[1]!);
  const len = Math.hypot(bx - ax, by - ay);
  const ux = (bx - ax) / len;
  const uy = (by - ay) / len;

  it('is crossed by the line between fixes 30 s apart at 80 km/h on either side of the tunnel, entering at its buffer', () => {
    // 667 m apart: the fix before is 200 m ahead of the portal, the fix after beyond the far one.
    const x0 = ax - 200 * ux;
    const y0 = ay - 200 * uy;
    const x1 = x0 + 667 * ux;
    const y1 = y0 + 667 * uy;
    expect(tunnel.contains(x0, y0) || tunnel.contains(x1, y1)).toBe(false);
    const cut = chordCrossing(tunnel, x0, y0, x1, y1)!;
    expect(cut.enter * 667).toBeCloseTo(200 - 25, 1);
    expect(cut.leave * 667).toBeCloseTo(200 + len + 25, 1);
  });

  it('is not crossed by a line that only passes its end cap at more than the buffer', () => {
    // Perpendicular to the road, 30 m beyond the far portal (buffer 25 m).
    const cx = bx + 30 * ux;
    const cy = by + 30 * uy;
    expect(chordCrossing(tunnel, cx - 300 * uy, cy + 300 * ux, cx + 300 * uy, cy - 300 * ux)).toBeNull();
    // … and is crossed 20 m beyond it, where the rounded cap still reaches.
    const gx = bx + 20 * ux;
    const gy = by + 20 * uy;
    expect(chordCrossing(tunnel, gx - 300 * uy, gy + 300 * ux, gx + 300 * uy, gy - 300 * ux)).not.toBeNull();
  });
});
