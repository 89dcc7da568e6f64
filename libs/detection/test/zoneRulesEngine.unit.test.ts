import { canonicalJson, type DgtEvent, parseEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { DetectionEngine, resolveDetectionConfig, runDetection } from '../src/index.ts';
import { at, consignment, pos } from './fixtures.ts';

const laden = (v = 'V1', w = 'W1') => consignment(w, v, ['declare', 'assign', 'load']);
const M_LON = 1 / 97_700; // degrees of longitude per metre near 28.6° N
const W = 121.35;
const LAT = 28.6;
const x = (m: number) => W + m * M_LON;
const tunnel = (rules?: object) =>
  parseEvent({
    eventId: 'z-tunnel', type: 'ZoneDesignated', occurredAt: at(-300),
    data: { zoneId: 'seg-t', kind: 'accident-segment', name: 'Tunnel', datum: 'WGS84', path: [[W, LAT], [x(500), LAT]], bufferM: 15, ...(rules ? { rules } : {}) },
  });
const area = (zoneId: string, fromM: number, toM: number, rules: object, t = at(-300), eventId = `z-${zoneId}`) =>
  parseEvent({
    eventId, type: 'ZoneDesignated', occurredAt: t,
    data: { zoneId, kind: 'restricted-area', name: zoneId, datum: 'WGS84', polygon: [[x(fromM), LAT - 0.01], [x(toM), LAT - 0.01], [x(toM), LAT + 0.01], [x(fromM), LAT + 0.01]], rules },
  });
/** Fixes of V1 along the tunnel's axis at `metres`, one every `stepS` seconds from 08:00. */
const along = (metres: number[], stepS = 30, speedKmh = 80, v = 'V1') => metres.map((m, i) => pos(`${v}-${i}`, at(0, i * stepS), v, x(m), LAT, speedKmh));
const types = (ds: { type: string; data: Record<string, unknown> }[]) => ds.map((d) => `${d.type}${d.data.interpolated ? '*' : ''}`);

describe('passages between fixes', () => {
  it('dates an interpolated passage of a 500 m tunnel along the line between the fixes around it', () => {
    const run = runDetection([tunnel(), ...laden(), ...along([-700, -50, 617, 1283])]);
    expect(types(run.detections)).toEqual(['AccidentSegmentEntered*', 'AccidentSegmentExited*']);
    const [entered, exited] = run.detections;
    const t0 = Date.parse(at(0, 30));
    expect((Date.parse(entered!.occurredAt) - t0) / 1000).toBeCloseTo((35 / 667) * 30, 1);
    expect((Date.parse(exited!.occurredAt) - t0) / 1000).toBeCloseTo((565 / 667) * 30, 1);
    expect(entered?.data).toMatchObject({ laden: true, waybillNo: 'W1', evidence: ['V1-1', 'V1-2'], interpolated: true });
  });

  it('infers nothing over a report gap above crossMaxGapS or at an implied speed above crossMaxSpeedKmh, and follows the configured limits', () => {
    const gap = [pos('g0', at(0), 'V1', x(-50), LAT, 80), pos('g1', at(2, 30), 'V1', x(617), LAT, 80)];
    expect(runDetection([tunnel(), ...gap]).detections).toEqual([]);
    expect(types(runDetection([tunnel(), ...gap], resolveDetectionConfig({ crossMaxGapS: 200 })).detections)).toEqual(['AccidentSegmentEntered*', 'AccidentSegmentExited*']);
    // 2.9 km in 60 s is 174 km/h.
    const jump = [pos('j0', at(0), 'V1', x(-1400), LAT, 80), pos('j1', at(1), 'V1', x(1500), LAT, 80)];
    expect(runDetection([tunnel(), ...jump]).detections).toEqual([]);
    expect(runDetection([tunnel(), ...jump], resolveDetectionConfig({ crossMaxSpeedKmh: 180 })).detections).toHaveLength(2);
  });

  it('does not infer a passage of a zone the vehicle is still counted in (an exit not yet confirmed)', () => {
    // In at 300 m, out at 700 m (one fix outside), and the line 700 → −700 m back through the tunnel.
    const events = [tunnel(), ...along([-300, 300, 700, -100, -700], 30, 60)];
    expect(types(runDetection(events).detections)).toEqual(['AccidentSegmentEntered', 'AccidentSegmentExited']);
  });

  it('records a restricted entry between fixes only when the rule is broken at the interpolated entry', () => {
    const strip = area('ra-strip', 200, 400, { bannedHours: [{ from: '08:00', to: '09:00' }] });
    const before = [strip, ...laden(), pos('b0', at(-1, 40), 'V1', x(0), LAT, 60), pos('b1', at(0, 10), 'V1', x(500), LAT, 60)];
    // Entry at 07:59:52 (outside the window), though the exit at 08:00:04 is inside it: nothing.
    expect(runDetection(before).detections).toEqual([]);
    const during = [strip, ...laden(), pos('d0', at(0), 'V1', x(0), LAT, 60), pos('d1', at(0, 30), 'V1', x(500), LAT, 60)];
    expect(types(runDetection(during).detections)).toEqual(['RestrictedEntryStarted*', 'RestrictedEntryEnded*']);
    const empty = [strip, pos('e0', at(0), 'V1', x(0), LAT, 60), pos('e1', at(0, 30), 'V1', x(500), LAT, 60)];
    expect(runDetection(empty).detections).toEqual([]);
  });
});

describe('restricted entries and overspeed in the engine', () => {
  it('ends an entry at the configured number of fixes outside, dated at the first', () => {
    const events = [area('ra', 0, 1000, { ladenBanned: true }), ...laden(), ...along([500, 600, 1100, 700, 1200, 1300, 1400], 30, 20)];
    const one = runDetection(events, resolveDetectionConfig({ segmentExitFixes: 1 })).detections;
    expect(one.map((d) => `${d.type}@${d.occurredAt.slice(11, 19)}`)).toEqual([
      'RestrictedEntryStarted@08:00:00', 'RestrictedEntryEnded@08:01:00', 'RestrictedEntryStarted@08:01:30', 'RestrictedEntryEnded@08:02:00',
    ]);
    const three = runDetection(events, resolveDetectionConfig({ segmentExitFixes: 3 })).detections;
    expect(three.map((d) => `${d.type}@${d.occurredAt.slice(11, 19)}`)).toEqual(['RestrictedEntryStarted@08:00:00', 'RestrictedEntryEnded@08:02:00']);
  });

  it('takes the lowest limit of overlapping zones, names the zone that set it, and applies configured thresholds', () => {
    const events: DgtEvent[] = [tunnel({ speedLimitKmh: 60 }), area('ra-slow', -1000, 1000, { ladenBanned: true, speedLimitKmh: 50 }), ...along([0, 300, 600, 900], 30, 55)];
    const run = runDetection(events);
    expect(run.detections.map((d) => d.type)).toEqual(['AccidentSegmentEntered', 'OverspeedStarted', 'AccidentSegmentExited']);
    expect(run.detections[1]?.data).toMatchObject({ limitKmh: 50, zoneId: 'ra-slow', since: at(0), laden: false });
    const general = runDetection(along([0, 500, 1000, 1500], 20, 70), resolveDetectionConfig({ overspeedKmh: 60, overspeedMinS: 40 })).detections;
    expect(general.map((d) => `${d.type}@${d.occurredAt.slice(11, 19)}`)).toEqual(['OverspeedStarted@08:00:40']);
    expect(general[0]?.data).toMatchObject({ limitKmh: 60, zoneId: null });
  });

  it('applies the rules of the zone version in force at each fix, versioned exactly as the zone index versions geometry', () => {
    const nightsOnly = area('ra', 0, 1000, { bannedHours: [{ from: '22:00', to: '06:00' }] }, at(-60), 'z-nights');
    const allDay = area('ra', 0, 1000, { ladenBanned: true }, at(1), 'z-ban');
    const drive = [...laden(), ...along([100, 200, 300, 400], 30, 20)];
    const run = runDetection([nightsOnly, allDay, ...drive]);
    expect(run.detections.map((d) => `${d.type}@${d.occurredAt.slice(11, 19)}`)).toEqual(['RestrictedEntryStarted@08:01:00']);
    expect(run.detections[0]?.data.evidence).toEqual(['V1-2', 'W1-load', 'z-ban']);
    // A designation arriving after a later one supersedes it from its own time on (ZoneIndex.designate): no ban today.
    expect(runDetection([allDay, nightsOnly, ...drive]).detections).toEqual([]);
  });

  it('shows open entries and overspeeds in the vehicle snapshot', () => {
    const engine = new DetectionEngine();
    for (const e of [area('ra', 0, 5000, { ladenBanned: true }), ...laden(), ...along([0, 700, 1400, 2100], 30, 90)]) engine.apply(e);
    expect(engine.vehicle('V1')).toMatchObject({ inRestrictedEntries: ['ra'], overspeedSince: at(0) });
  });

  it('emits new detections that satisfy the event contract', () => {
    const events = [
      tunnel({ speedLimitKmh: 60, ladenBanned: true }), area('ra-strip', 2000, 2200, { ladenBanned: true }), ...laden(),
      ...along([-700, -50, 617, 1283, 1950, 2600, 3300], 30, 80), ...along([100, 200, 300, 400, 500, 700, 900], 30, 70, 'V2'),
    ];
    const run = runDetection(events);
    expect(new Set(types(run.detections))).toEqual(new Set([
      'AccidentSegmentEntered*', 'AccidentSegmentExited*', 'RestrictedEntryStarted*', 'RestrictedEntryEnded*',
      'AccidentSegmentEntered', 'AccidentSegmentExited', 'OverspeedStarted', 'OverspeedEnded',
    ]));
    for (const d of run.detections) expect(parseEvent(JSON.parse(canonicalJson(d)))).toEqual(d);
  });
});
