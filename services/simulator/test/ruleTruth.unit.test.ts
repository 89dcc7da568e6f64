import type { DgtEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { bayBridge, wenlingTunnel } from '../src/geography.ts';
import { toLonLat, toXY } from '../src/planar.ts';
import { defaultRuleThresholds, RuleTruthObserver } from '../src/ruleTruth.ts';
import { emptyNegatives, type NegativeCounts, type OverspeedTruth, type RestrictedEntryTruth } from '../src/truth.ts';

/*
 * The overspeed and restricted-entry truth against issue #15's definitions, one situation each,
 * with fixes placed by hand inside and outside the seeded zones.
 */

const V = 'V0001';
const DAY = '2026-03-02';
const ms = (hhmmss: string, day = DAY) => Date.parse(`${day}T${hhmmss}+08:00`);
const iso = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 23) + '+08:00';
type LonLat = readonly [number, number];

const onBridge: LonLat = bayBridge[1]!;
const offBridge: LonLat = [bayBridge[1]![0] + 0.02, bayBridge[1]![1]];
const inHuangyan: LonLat = [121.3175, 28.615];
const outHuangyan: LonLat = [121.3175, 28.64];
const farAway: LonLat = [121.4, 28.9];

function fix(t: number, p: LonLat, speedKmh: number, id = `${V}-${t}`): DgtEvent {
  return { eventId: id, type: 'VehiclePositionReported', occurredAt: iso(t), data: { vehicleId: V, lon: p[0], lat: p[1], speedKmh } } as DgtEvent;
}

function laden(hazardClass: string, waybillNo = 'WB-1'): DgtEvent[] {
  return [
    { eventId: `${waybillNo}:declared`, type: 'ConsignmentDeclared', occurredAt: iso(ms('00:00:00')), data: { waybillNo, goods: [{ hazardClass }] } } as unknown as DgtEvent,
    { eventId: `${waybillNo}:loaded`, type: 'LoadingCompleted', occurredAt: iso(ms('00:00:01')), data: { waybillNo, vehicleId: V } } as DgtEvent,
  ];
}

function observe(events: readonly DgtEvent[]): { overspeeds: OverspeedTruth[]; entries: RestrictedEntryTruth[]; negatives: NegativeCounts } {
  const overspeeds: OverspeedTruth[] = [];
  const entries: RestrictedEntryTruth[] = [];
  const negatives = emptyNegatives();
  const o = new RuleTruthObserver(V, defaultRuleThresholds, overspeeds, entries, negatives);
  for (const e of events) o.apply(e);
  return { overspeeds, entries, negatives };
}

/** Fixes every `stepS` from `from`, one per speed, all at `p`. */
function series(from: number, stepS: number, p: LonLat, speeds: readonly number[]): DgtEvent[] {
  return speeds.map((s, i) => fix(from + i * stepS * 1000, p, s));
}

describe('overspeed truth', () => {
  const t0 = ms('10:00:00');

  it('never makes one fast fix an overspeed', () => {
    expect(observe(series(t0, 15, farAway, [70, 95, 70, 70])).overspeeds).toEqual([]);
  });

  it('reports at the first fix of the run at since + 60 s, with since the first fast fix, and ends at the first fix at or below the limit', () => {
    const { overspeeds } = observe(series(t0, 15, farAway, [70, 90, 92, 95, 91, 90, 80, 70]));
    expect(overspeeds).toEqual([
      expect.objectContaining({ sinceMs: t0 + 15_000, startMs: t0 + 75_000, endMs: t0 + 90_000, limitKmh: 80, zoneId: null, laden: false, maxSpeedKmh: 95 }),
    ]);
  });

  it('needs 60 s between the run’s first fix and a later one: 59 s is not enough, 60 s is', () => {
    const short = [fix(t0, farAway, 90), fix(t0 + 30_000, farAway, 90), fix(t0 + 59_000, farAway, 90), fix(t0 + 70_000, farAway, 70)];
    expect(observe(short).overspeeds).toEqual([]);
    const exact = [fix(t0, farAway, 90), fix(t0 + 30_000, farAway, 90), fix(t0 + 60_000, farAway, 90), fix(t0 + 70_000, farAway, 70)];
    expect(observe(exact).overspeeds).toEqual([expect.objectContaining({ startMs: t0 + 60_000, endMs: t0 + 70_000 })]);
  });

  it('drops a late fix as the engine does: a slow one arriving out of order does not break the run', () => {
    const events = [fix(t0, farAway, 90), fix(t0 + 30_000, farAway, 90), fix(t0 + 15_000, farAway, 40), fix(t0 + 60_000, farAway, 90)];
    expect(observe(events).overspeeds).toEqual([expect.objectContaining({ sinceMs: t0, startMs: t0 + 60_000 })]);
  });

  it('holds a vehicle to a zone’s lower limit inside it only: 70 km/h is an overspeed on the bay bridge, not off it', () => {
    expect(observe(series(t0, 20, offBridge, [70, 70, 70, 70, 70])).overspeeds).toEqual([]);
    const { overspeeds } = observe([...laden('8'), ...series(t0, 20, onBridge, [70, 70, 70, 70, 55])]);
    expect(overspeeds).toEqual([expect.objectContaining({ startMs: t0 + 60_000, limitKmh: 60, zoneId: 'seg-g1523-taizhou-bay-bridge', laden: true })]);
  });
});

describe('restricted-entry truth', () => {
  it('opens a night-ban entry at the first inside fix of a laden class-3 vehicle at 22:30 and ends it at the first of two outside fixes', () => {
    const t = ms('22:30:00');
    const events = [...laden('3'), fix(t, offBridge, 55), fix(t + 20_000, onBridge, 55), fix(t + 40_000, onBridge, 55), fix(t + 60_000, offBridge, 55), fix(t + 80_000, offBridge, 55)];
    expect(observe(events).entries).toEqual([
      expect.objectContaining({ zoneId: 'seg-g1523-taizhou-bay-bridge', rule: 'banned-hours', waybillNo: 'WB-1', startMs: t + 20_000, endMs: t + 60_000, interpolated: false }),
    ]);
  });

  it('does not end the entry on one stray outside fix', () => {
    const t = ms('23:00:00');
    const events = [...laden('3'), fix(t, onBridge, 55), fix(t + 20_000, offBridge, 55), fix(t + 40_000, onBridge, 55), fix(t + 60_000, offBridge, 55), fix(t + 80_000, offBridge, 55)];
    expect(observe(events).entries).toEqual([expect.objectContaining({ startMs: t, endMs: t + 60_000 })]);
  });

  it('opens an entry made before the window at the first inside fix once the window opens', () => {
    const t = ms('21:59:20');
    const events = [...laden('2.1'), ...series(t, 20, onBridge, [55, 55, 55, 55])];
    expect(observe(events).entries).toEqual([expect.objectContaining({ startMs: ms('22:00:00'), rule: 'banned-hours' })]);
  });

  it('ends an entry at the first inside fix at or after 06:00, when the ban lifts', () => {
    const t = ms('05:59:20');
    const events = [...laden('3'), ...series(t, 20, onBridge, [55, 55, 55, 55])];
    expect(observe(events).entries).toEqual([expect.objectContaining({ startMs: t, endMs: ms('06:00:00') })]);
  });

  it('reports no entry for an empty vehicle, a class the ban does not list, or outside the hours, and counts each as a negative visit', () => {
    const pass = (t: number) => [fix(t, onBridge, 55), fix(t + 20_000, onBridge, 55), fix(t + 40_000, offBridge, 55), fix(t + 60_000, offBridge, 55)];
    const empty = observe(pass(ms('23:00:00')));
    const otherClass = observe([...laden('8'), ...pass(ms('23:00:00'))]);
    const daytime = observe([...laden('3'), ...pass(ms('12:00:00'))]);
    for (const r of [empty, otherClass, daytime]) expect(r.entries).toEqual([]);
    expect(empty.negatives.bannedZoneVisitsEmpty).toBe(1);
    expect(otherClass.negatives.bannedZoneVisitsOtherClass).toBe(1);
    expect(daytime.negatives.bannedZoneVisitsOutsideHours).toBe(1);
  });

  it('bans every class at every hour in Huangyan centre, and none once unloaded', () => {
    const t = ms('12:00:00');
    const events = [...laden('8'), fix(t, outHuangyan, 40), fix(t + 20_000, inHuangyan, 40), fix(t + 40_000, inHuangyan, 40)];
    expect(observe(events).entries).toEqual([expect.objectContaining({ zoneId: 'restricted-huangyan-centre', rule: 'laden-banned', startMs: t + 20_000, endMs: null })]);
    const unloaded = { eventId: 'WB-1:unloaded', type: 'UnloadingCompleted', occurredAt: iso(t + 50_000), data: { waybillNo: 'WB-1', vehicleId: V } } as DgtEvent;
    const { entries } = observe([...events, unloaded, fix(t + 60_000, inHuangyan, 0)]);
    expect(entries).toEqual([expect.objectContaining({ startMs: t + 20_000, endMs: t + 60_000 })]);
  });

  describe('a short tunnel passed between two fixes', () => {
    const [ax, ay] = toXY(wenlingTunnel[0]!);
    const [bx, by] = toXY(wenlingTunnel[1]!);
    const len = Math.hypot(bx - ax, by - ay);
    const along = (m: number): LonLat => toLonLat(ax + ((bx - ax) * m) / len, ay + ((by - ay) * m) / len);
    // 80 km/h, 30 s apart: 667 m; the first fix 300 m before the portal.
    const drive = (t: number) => [fix(t - 30_000, along(-967), 80), fix(t, along(-300), 80), fix(t + 30_000, along(367), 80), fix(t + 60_000, along(1034), 80)];

    it('opens and ends an interpolated entry at the times the line between them enters and leaves the corridor', () => {
      const t = ms('23:10:00');
      const { entries } = observe([...laden('3'), ...drive(t)]);
      const enter = t + ((300 - 25) / 667) * 30_000;
      const leave = t + ((300 + len + 25) / 667) * 30_000;
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ zoneId: 'seg-g1523-wenling-tunnel', rule: 'banned-hours', interpolated: true });
      expect(entries[0]!.startMs).toBeCloseTo(enter, -1);
      expect(entries[0]!.endMs).toBeCloseTo(leave, -1);
    });

    it('decides the ban at the interpolated entry time', () => {
      // The line enters the corridor at 05:59:52.4 and the fix after it is at 06:00:10.
      const t = ms('05:59:40');
      expect(observe([...laden('3'), ...drive(t)]).entries).toEqual([expect.objectContaining({ interpolated: true })]);
      expect(observe([...laden('3'), ...drive(t + 10_000)]).entries).toEqual([]);
    });

    it('infers nothing across a gap longer than crossMaxGapS, or from a jump faster than 150 km/h', () => {
      const t = ms('23:10:00');
      const slow = [fix(t, along(-300), 80), fix(t + 121_000, along(367), 80)];
      expect(observe([...laden('3'), ...slow]).entries).toEqual([]);
      const jump = [fix(t, along(-300), 80), fix(t + 10_000, along(367), 80)];
      expect(observe([...laden('3'), ...jump]).entries).toEqual([]);
    });
  });
});
