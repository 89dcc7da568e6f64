import { canonicalJson, type DgtEvent, parseEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { DetectionEngine, resolveDetectionConfig, runDetection } from '../src/index.ts';
import { at, consignment, lot, parked, pos, ROADSIDE, withdraw } from './fixtures.ts';

const laden = (v = 'V1', w = 'W1') => consignment(w, v, ['declare', 'assign', 'load']);
const types = (events: { type: string; occurredAt: string }[]) => events.map((e) => `${e.type}@${e.occurredAt.slice(11, 16)}`);
const away = (v: string, m: number) => pos(`${v}-away${m}`, at(m), v, ROADSIDE.lon + 0.02, ROADSIDE.lat, 50);

describe('detection engine', () => {
  it('starts illegal parking at the first fix ten minutes into a laden roadside stop and ends it when the vehicle leaves', () => {
    const run = runDetection([...laden(), ...parked('V1', 0, 14), away('V1', 15)]);
    expect(types(run.detections)).toEqual(['IllegalParkingStarted@08:10', 'IllegalParkingEnded@08:15']);
    expect(run.detections[1]?.data).toMatchObject({ durationS: 900, stoppedSince: at(0), endedAt: at(15) });
  });

  it('emits illegal parking once per stop, however long it lasts', () => {
    const run = runDetection([...laden(), ...parked('V1', 0, 120)]);
    expect(types(run.detections)).toEqual(['IllegalParkingStarted@08:10']);
  });

  it('judges a stop that becomes laden part-way through from the moment of loading', () => {
    const [declare, assign, load] = laden();
    const events: DgtEvent[] = [declare!, assign!, ...parked('V1', 0, 12), { ...load!, occurredAt: at(12, 30) }, ...parked('V1', 13, 13)];
    expect(types(runDetection(events).detections)).toEqual(['IllegalParkingStarted@08:13']);
  });

  it('stops treating the vehicle as laden after unloading', () => {
    const events = [...laden(), ...consignment('W1', 'V1', ['unload']), ...parked('V1', 0, 20)];
    expect(runDetection(events).detections).toEqual([]);
  });

  it('uses the lots active at the moment: a lot withdrawn before the ten-minute mark no longer covers the stop', () => {
    const events = [lot('lot-x', at(-100), ROADSIDE.lon, ROADSIDE.lat), ...laden(), ...parked('V1', 0, 5), withdraw('lot-x', at(5, 30)), ...parked('V1', 6, 12)];
    expect(types(runDetection(events).detections)).toEqual(['IllegalParkingStarted@08:10']);
  });

  it('judges by event time even when a zone event arrives after later positions of another vehicle', () => {
    // The lot is valid from 08:20; V1's fixes at 08:00–08:12 come after it in the stream but predate it.
    const events = [...laden(), lot('lot-late', at(20), ROADSIDE.lon, ROADSIDE.lat), ...parked('V1', 0, 12)];
    expect(types(runDetection(events).detections)).toEqual(['IllegalParkingStarted@08:10']);
  });

  it('ignores late and duplicate fixes and counts them separately', () => {
    const fixes = parked('V1', 0, 3);
    const engine = new DetectionEngine();
    for (const e of [...fixes, fixes[1]!, pos('older', at(1, 30), 'V1', 121, 28, 0)]) engine.apply(e);
    expect(engine.stats()).toMatchObject({ positions: 6, duplicates: 1, late: 1 });
  });

  it('ignores a repeated consignment event id and counts it as a duplicate', () => {
    const engine = new DetectionEngine();
    const events = laden();
    for (const e of [...events, events[2]!]) engine.apply(e);
    expect(engine.stats()).toMatchObject({ duplicates: 1, rejected: 0 });
  });

  it('counts refused events by code and leaves state untouched', () => {
    const engine = new DetectionEngine();
    const [declare, , load] = laden();
    engine.apply(declare!);
    const step = engine.apply(load!);
    expect(step.rejection).toMatchObject({ code: 'INVALID_TRANSITION', eventId: 'W1-load' });
    expect(engine.consignment('W1')?.status).toBe('declared');
    expect(engine.stats().rejectedByCode).toEqual({ INVALID_TRANSITION: 1 });
  });

  it('refuses withdrawing a zone that is not active', () => {
    const step = new DetectionEngine().apply(withdraw('ghost', at(0)));
    expect(step.rejection?.code).toBe('ZONE_UNKNOWN');
  });

  it('does not re-emit recorded detections found in its input', () => {
    const first = runDetection([...laden(), ...parked('V1', 0, 10)]);
    const again = runDetection([...laden(), ...parked('V1', 0, 10).slice(0, 5), ...first.detections, ...parked('V1', 0, 10).slice(5)]);
    expect(again.detections).toEqual(first.detections);
    expect(again.stats.detectionsIgnored).toBe(1);
  });

  it('gives byte-identical detections for the same events, and per-vehicle results independent of interleaving', () => {
    const v1 = [...parked('V1', 0, 12), away('V1', 13)];
    const v2 = [...parked('V2', 0, 12), away('V2', 13)];
    const setup = [...laden('V1', 'W1'), ...laden('V2', 'W2')];
    const a = runDetection([...setup, ...v1, ...v2]).detections;
    const b = runDetection([...setup, ...v2, ...v1]).detections;
    const c = runDetection([...setup, ...v1, ...v2]).detections;
    expect(a.map(canonicalJson).join('\n')).toBe(c.map(canonicalJson).join('\n'));
    const byVehicle = (ds: typeof a, v: string) => ds.filter((d) => d.data.vehicleId === v).map(canonicalJson);
    expect(byVehicle(b, 'V1')).toEqual(byVehicle(a, 'V1'));
    expect(byVehicle(b, 'V2')).toEqual(byVehicle(a, 'V2'));
    expect(a).toHaveLength(4);
  });

  it('produces detections that satisfy the event contract', () => {
    const segment = parseEvent({
      eventId: 'seg', type: 'ZoneDesignated', occurredAt: at(-100),
      data: { zoneId: 'seg-1', kind: 'accident-segment', name: 'S', datum: 'WGS84', path: [[121.3, 28.6], [121.34, 28.6]], bufferM: 50 },
    });
    const drive = [0, 1, 2, 3, 4].map((i) => pos(`d${i}`, at(i), 'V1', 121.29 + 0.015 * i, 28.6, 60));
    const run = runDetection([segment, ...laden(), ...drive, ...parked('V1', 10, 25), away('V1', 26)]);
    expect(run.detections.map((d) => d.type)).toEqual(['AccidentSegmentEntered', 'AccidentSegmentExited', 'IllegalParkingStarted', 'IllegalParkingEnded']);
    for (const d of run.detections) expect(parseEvent(JSON.parse(canonicalJson(d)))).toEqual(d);
  });

  it('applies configured thresholds', () => {
    const run = runDetection([...laden(), ...parked('V1', 0, 6)], resolveDetectionConfig({ illegalParkingAfterS: 300 }));
    expect(types(run.detections)).toEqual(['IllegalParkingStarted@08:05']);
  });

  it('exposes a vehicle snapshot with its load, stop and open violation', () => {
    const engine = new DetectionEngine();
    for (const e of [...laden(), ...parked('V1', 0, 11)]) engine.apply(e);
    expect(engine.vehicle('V1')).toMatchObject({ ladenWaybillNo: 'W1', stoppedSince: at(0), illegalParkingSince: at(10), inSegments: [] });
    expect(engine.vehicle('nobody')).toBeUndefined();
  });
});

describe('detection config', () => {
  it('rejects out-of-range thresholds with the field name', () => {
    expect(() => resolveDetectionConfig({ stopRadiusM: -5 })).toThrow(/stopRadiusM/);
    expect(() => resolveDetectionConfig({ unknownKnob: 1 })).toThrow(/unknownKnob/);
  });
});
