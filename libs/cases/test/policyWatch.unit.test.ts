import { clockTick, type DetectionEvent, type EventOf } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { defaultCasePolicy, PolicyWatch, type PolicyWatchEvent, resolveCasePolicy } from '../src/index.ts';

const T0 = Date.parse('2026-03-02T08:00:00+08:00');
const at = (min: number) => new Date(T0 + min * 60_000).toISOString().replace('Z', '+00:00');
const tick = (min: number): EventOf<'ClockTicked'> => clockTick(T0 + min * 60_000) as EventOf<'ClockTicked'>;
const tickAt = (min: number) => tick(min).data.at;

function parkingStarted(vehicleId: string, sinceMin: number, atMin: number): DetectionEvent {
  return {
    eventId: `f-${vehicleId}-${atMin}/IllegalParkingStarted`,
    type: 'IllegalParkingStarted',
    occurredAt: at(atMin),
    data: { vehicleId, waybillNo: 'W1', carrierId: 'C1', lon: 121.4, lat: 28.6, stoppedSince: at(sinceMin), evidence: [`f-${vehicleId}-${atMin}`] },
  } as DetectionEvent;
}
function parkingEnded(vehicleId: string, sinceMin: number, endMin: number): DetectionEvent {
  return {
    eventId: `f-${vehicleId}-${endMin}/IllegalParkingEnded`,
    type: 'IllegalParkingEnded',
    occurredAt: at(endMin),
    data: { vehicleId, waybillNo: 'W1', stoppedSince: at(sinceMin), endedAt: at(endMin), durationS: (endMin - sinceMin) * 60 },
  } as DetectionEvent;
}
function restrictedStarted(vehicleId: string, atMin: number): DetectionEvent {
  return {
    eventId: `f-${vehicleId}-${atMin}/RestrictedEntryStarted/Z1`,
    type: 'RestrictedEntryStarted',
    occurredAt: at(atMin),
    data: { vehicleId, zoneId: 'Z1', rule: 'laden-banned', waybillNo: 'W1', carrierId: 'C1', speedKmh: 40, evidence: [`f-${vehicleId}-${atMin}`] },
  } as DetectionEvent;
}
function overspeedStarted(vehicleId: string, atMin: number): DetectionEvent {
  return {
    eventId: `f-${vehicleId}-${atMin}/OverspeedStarted`,
    type: 'OverspeedStarted',
    occurredAt: at(atMin),
    data: { vehicleId, limitKmh: 80, zoneId: null, since: at(atMin - 1), speedKmh: 95, laden: true, evidence: [`f-${vehicleId}-${atMin}`] },
  } as DetectionEvent;
}

const run = (watch: PolicyWatch, events: PolicyWatchEvent[]) => events.flatMap((e) => watch.apply(e).map((o) => ({ id: o.occurrence.id, rule: o.rule, asOf: o.asOf, endedAt: o.occurrence.endedAt })));

describe('the policy watch (auto-open over the record)', () => {
  it('opens a restricted entry at once, and nothing for a kind no rule names', () => {
    const watch = new PolicyWatch(defaultCasePolicy);
    expect(run(watch, [restrictedStarted('V1', 0), overspeedStarted('V2', 1)])).toEqual([{ id: 'f-V1-0/RestrictedEntryStarted/Z1', rule: 'restricted-entry', asOf: at(0), endedAt: null }]);
    expect(watch.watching).toBe(0);
  });

  it('opens an illegal parking once the record\'s clock says it has lasted 30 minutes, not before, and once only', () => {
    const watch = new PolicyWatch(defaultCasePolicy);
    expect(run(watch, [parkingStarted('V1', 0, 10), tick(11), tick(29)])).toEqual([]);
    expect(watch.watching).toBe(1);
    expect(run(watch, [tick(30)])).toEqual([{ id: 'f-V1-10/IllegalParkingStarted', rule: 'parking-30min', asOf: tickAt(30), endedAt: null }]);
    expect(run(watch, [tick(31), parkingEnded('V1', 0, 45)])).toEqual([]);
    expect(watch.watching).toBe(0);
  });

  it('counts another vehicle\'s later detection as the record\'s time too', () => {
    const watch = new PolicyWatch(defaultCasePolicy);
    expect(run(watch, [parkingStarted('V1', 0, 10), restrictedStarted('V2', 35)]).map((o) => o.id)).toEqual(['f-V2-35/RestrictedEntryStarted/Z1', 'f-V1-10/IllegalParkingStarted']);
  });

  it('opens nothing for a parking that ended sooner, and judges an ended one by its duration when no tick came between', () => {
    const watch = new PolicyWatch(defaultCasePolicy);
    expect(run(watch, [parkingStarted('V1', 0, 10), parkingEnded('V1', 0, 25), tick(60)])).toEqual([]);
    const late = new PolicyWatch(defaultCasePolicy);
    expect(run(late, [parkingStarted('V3', 0, 10), parkingEnded('V3', 0, 40)])).toEqual([{ id: 'f-V3-10/IllegalParkingStarted', rule: 'parking-30min', asOf: at(40), endedAt: at(40) }]);
  });

  it('never moves the record\'s clock back for a late detection', () => {
    const watch = new PolicyWatch(defaultCasePolicy);
    run(watch, [tick(100)]);
    expect(run(watch, [parkingStarted('V1', 50, 60)])).toEqual([{ id: 'f-V1-60/IllegalParkingStarted', rule: 'parking-30min', asOf: tickAt(100), endedAt: null }]);
  });

  it('gives the same openings in the same order for the same events (vehicles in id order when one tick qualifies several)', () => {
    const events: PolicyWatchEvent[] = [parkingStarted('V9', 0, 10), parkingStarted('V2', 0, 11), parkingStarted('V5', 1, 12), tick(40)];
    const a = run(new PolicyWatch(defaultCasePolicy), events);
    expect(a.map((o) => o.id)).toEqual(['f-V2-11/IllegalParkingStarted', 'f-V5-12/IllegalParkingStarted', 'f-V9-10/IllegalParkingStarted']);
    expect(run(new PolicyWatch(defaultCasePolicy), events)).toEqual(a);
  });

  it('follows a configured policy: an empty one opens nothing', () => {
    expect(run(new PolicyWatch(resolveCasePolicy({ rules: [] })), [restrictedStarted('V1', 0), parkingStarted('V1', 0, 50)])).toEqual([]);
  });
});
