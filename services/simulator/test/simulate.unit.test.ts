import { createHash } from 'node:crypto';
import { canonicalJson, epochMs, parseNdjsonLine, safeParseEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import type { SimMessage } from '../src/messages.ts';
import { toXY } from '../src/planar.ts';
import { limitAt } from '../src/ruleZones.ts';
import { simulate } from '../src/simulate.ts';

function collect(opts: Parameters<typeof simulate>[0]): { messages: SimMessage[]; sim: ReturnType<typeof simulate> } {
  const sim = simulate(opts);
  return { messages: [...sim.messages], sim };
}

function digest(messages: readonly SimMessage[]): string {
  const h = createHash('sha256');
  for (const m of messages) h.update((m.kind === 'event' ? canonicalJson(m.event) : m.raw) + '\n');
  return h.digest('hex');
}

const run = collect({ vehicles: 6, days: 2, seed: 'unit' });
/** These simulate a fleet of their own: seconds alone, more on a busy machine. */
const SLOW_MS = 30_000;
const noOverspeeds = { overspeedPerLeg: 0, shortOverspeedPerLeg: 0, zoneOverspeedPerPassage: 0, shortZoneOverspeedPerPassage: 0 };

describe('simulate', () => {
  it('is deterministic: the same seed gives the same messages and truth, another seed does not', () => {
    const again = collect({ vehicles: 6, days: 2, seed: 'unit' });
    expect(digest(again.messages)).toBe(digest(run.messages));
    expect(again.sim.truth).toEqual(run.sim.truth);
    expect(digest(collect({ vehicles: 6, days: 2, seed: 'other' }).messages)).not.toBe(digest(run.messages));
  });

  it('drives each vehicle the same whatever the size of the fleet simulated with it', () => {
    const alone = collect({ vehicles: 1, days: 2, seed: 'unit', includeSeeds: false });
    const v1 = run.messages.filter((m) => m.kind === 'event' && 'vehicleId' in m.event.data && m.event.data.vehicleId === 'V0001' && m.event.type === 'VehiclePositionReported');
    const v1alone = alone.messages.filter((m) => m.kind === 'event' && m.event.type === 'VehiclePositionReported');
    expect(digest(v1alone)).toBe(digest(v1));
  });

  it('emits only valid events (per the event contract), in non-decreasing arrival order, seeds first', () => {
    let last = -Infinity;
    for (const m of run.messages) {
      expect(m.arrivalMs).toBeGreaterThanOrEqual(last);
      last = m.arrivalMs;
      if (m.kind === 'event') expect(safeParseEvent(JSON.parse(canonicalJson(m.event))).ok).toBe(true);
    }
    expect(run.messages[0]?.kind === 'event' && run.messages[0].event.type).toBe('ZoneDesignated');
  });

  it('makes every malformed message one that the event contract refuses', () => {
    const bad = collect({ vehicles: 6, days: 1, seed: 'bad', noise: { malformedRate: 0.05 } }).messages.filter((m) => m.kind === 'malformed');
    expect(bad.length).toBeGreaterThan(20);
    for (const m of bad) if (m.kind === 'malformed') expect(parseNdjsonLine(m.raw).ok, m.defect).toBe(false);
    expect(new Set(bad.map((m) => (m.kind === 'malformed' ? m.defect : ''))).size).toBe(5);
  });

  it('walks every waybill through declared → assigned → loaded → unloaded → closed, in time order', () => {
    const steps = new Map<string, string[]>();
    for (const m of run.messages) {
      if (m.kind !== 'event' || !('waybillNo' in m.event.data)) continue;
      const waybillNo = String(m.event.data.waybillNo);
      const list = steps.get(waybillNo) ?? [];
      list.push(m.event.type);
      steps.set(waybillNo, list);
    }
    expect(steps.size).toBeGreaterThanOrEqual(6);
    for (const [, list] of steps) expect(list).toEqual(['ConsignmentDeclared', 'CarriageAssigned', 'LoadingCompleted', 'UnloadingCompleted', 'ConsignmentClosed']);
  });

  it('reports no fix faster than the limit in force at it (zone limits included) unless an overspeed is injected, and every 10–30 s while moving, every 5–15 min while parked', () => {
    // Terminals switched off on the road (issue #16) are silent longer than a signal-loss gap: not here.
    const calm = collect({ vehicles: 12, days: 2, seed: 'unit', scenario: { ...noOverspeeds, switchOffPerLadenLeg: 0, switchOffPerAssignedLeg: 0, shortSwitchOffPerLeg: 0 } });
    const byVehicle = new Map<string, { ms: number; speed: number; lon: number; lat: number }[]>();
    for (const m of calm.messages) {
      if (m.kind !== 'event' || m.event.type !== 'VehiclePositionReported') continue;
      const list = byVehicle.get(m.event.data.vehicleId) ?? [];
      list.push({ ms: epochMs(m.event.occurredAt), speed: m.event.data.speedKmh, lon: m.event.data.lon, lat: m.event.data.lat });
      byVehicle.set(m.event.data.vehicleId, list);
    }
    let inLowerLimit = 0;
    for (const fixes of byVehicle.values()) {
      const unique = [...new Map(fixes.map((f) => [f.ms, f])).values()].sort((a, b) => a.ms - b.ms);
      for (const f of unique) {
        const [x, y] = toXY([f.lon, f.lat]);
        const { limitKmh } = limitAt(x, y, 80);
        if (limitKmh < 80 && f.speed > 40) inLowerLimit++;
        expect(f.speed, `${f.lon},${f.lat}`).toBeLessThanOrEqual(limitKmh);
      }
      for (let i = 1; i < unique.length; i++) {
        const gapS = (unique[i]!.ms - unique[i - 1]!.ms) / 1000;
        // Moving: the next fix comes within 31 s, or after a signal-loss gap of at most 300 s.
        if (unique[i - 1]!.speed > 20 && unique[i]!.speed > 20) expect(gapS).toBeLessThanOrEqual(300 + 31);
        // Never silent longer than a parked interval, except while the terminal sleeps (≤ 4 h).
        expect(gapS).toBeLessThanOrEqual(4 * 3600 + 900);
      }
    }
    // Bridges and tunnels with a 60 km/h limit were driven, at speed, within it.
    expect(inLowerLimit).toBeGreaterThan(20);
    expect(calm.sim.truth.overspeeds).toEqual([]);
  }, SLOW_MS);

  it('turns every sustained injected overspeed into one overspeed of the truth, and no short burst into any', () => {
    const long = collect({ vehicles: 12, days: 1, seed: 'fast', scenario: { ...noOverspeeds, overspeedPerLeg: 0.5, zoneOverspeedPerPassage: 0.5 } }).sim.truth;
    expect(long.injected.overspeedGeneral).toBeGreaterThan(3);
    expect(long.injected.overspeedInZone).toBeGreaterThan(3);
    expect(long.overspeeds).toHaveLength(long.injected.overspeedGeneral + long.injected.overspeedInZone);
    expect(new Set(long.overspeeds.map((o) => o.limitKmh))).toEqual(new Set([60, 80]));
    for (const o of long.overspeeds) expect(o.startMs - o.sinceMs).toBeGreaterThanOrEqual(60_000);
    const short = collect({ vehicles: 12, days: 1, seed: 'fast', scenario: { ...noOverspeeds, shortOverspeedPerLeg: 0.5, shortZoneOverspeedPerPassage: 0.5 } }).sim.truth;
    expect(short.negatives.shortOverspeeds).toBeGreaterThan(6);
    expect(short.overspeeds).toEqual([]);
  }, SLOW_MS);

  it('drives laden through Huangyan centre only when a shortcut is injected, and records each as a laden-banned entry', () => {
    const lawful = collect({ vehicles: 30, days: 1, seed: 'huangyan', scenario: { restrictedShortcutPerLadenLeg: 0 } }).sim.truth;
    expect(lawful.restrictedEntries.filter((r) => r.zoneId === 'restricted-huangyan-centre')).toEqual([]);
    const reckless = collect({ vehicles: 30, days: 1, seed: 'huangyan', scenario: { restrictedShortcutPerLadenLeg: 1 } }).sim.truth;
    const entries = reckless.restrictedEntries.filter((r) => r.zoneId === 'restricted-huangyan-centre');
    expect(reckless.injected.restrictedShortcuts).toBeGreaterThan(2);
    expect(entries).toHaveLength(reckless.injected.restrictedShortcuts);
    for (const e of entries) expect(e).toMatchObject({ rule: 'laden-banned', interpolated: false });
  }, SLOW_MS);

  it('sends early-morning laden runs through night-banned segments, breaking the ban only with classes 2.1 or 3 before 06:00', () => {
    const { messages, sim } = collect({ vehicles: 20, days: 1, seed: 'night', scenario: { nightTripShare: 1, restrictedShortcutPerLadenLeg: 0 } });
    const t = sim.truth;
    const classOf = new Map<string, string>();
    for (const m of messages) if (m.kind === 'event' && m.event.type === 'ConsignmentDeclared') classOf.set(m.event.data.waybillNo, m.event.data.goods[0]!.hazardClass);
    expect(t.injected.nightTrips).toBeGreaterThan(10);
    const banned = t.restrictedEntries.filter((r) => r.rule === 'banned-hours');
    expect(banned.length).toBeGreaterThan(3);
    for (const r of banned) {
      expect(Number(r.start.slice(11, 13))).toBeLessThan(6);
      expect(['2.1', '3']).toContain(classOf.get(r.waybillNo));
    }
    expect(t.negatives.bannedZoneVisitsOtherClass).toBeGreaterThan(0);
    expect(t.negatives.bannedZoneVisitsOutsideHours).toBeGreaterThan(0);
  }, SLOW_MS);

  it('records injected laden roadside parking of 12–60 min and segment passages in the ground truth', () => {
    const t = collect({ vehicles: 20, days: 1, seed: 'truth', scenario: { violationPerLadenLeg: 1 } }).sim.truth;
    expect(t.parking.length).toBeGreaterThan(10);
    for (const p of t.parking) {
      expect(p.durationS).toBeGreaterThanOrEqual(12 * 60);
      expect(p.durationS).toBeLessThanOrEqual(60 * 60);
      expect(p.waybillNo).not.toBe('');
    }
    expect(t.segments.length).toBeGreaterThan(5);
    for (const s of t.segments) expect(s.endMs).toBeGreaterThan(s.startMs);
  });
});
