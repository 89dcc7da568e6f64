import { clockTick, type DetectionEvent, type DgtEvent, parseEvent } from '@dgt/events';
import { distanceM } from '@dgt/geo';
import { describe, expect, it } from 'vitest';
import { classifyDetection, DetectionEngine, resolveDetectionConfig } from '../src/index.ts';
import { at, consignment, pos } from './fixtures.ts';

/*
 * The time rules of issue #16: fatigue driving, offline terminals, route deviation. Times are
 * minutes after 08:00 Beijing time (fixtures.at); one fix a minute unless a test says otherwise.
 */

const LAT = 28.6;
/** ~670 m a minute eastwards at 40 km/h: moving, within every limit. */
const lonAt = (m: number) => 121.3 + m * 0.0068;

function drive(vehicleId: string, from: number, to: number, lonOf: (m: number) => number = lonAt, lat = LAT): DgtEvent[] {
  const out: DgtEvent[] = [];
  for (let m = from; m <= to; m++) out.push(pos(`${vehicleId}-d${m}`, at(m), vehicleId, lonOf(m), lat, 40));
  return out;
}

function stand(vehicleId: string, from: number, to: number, lon: number, lat = LAT, every = 1): DgtEvent[] {
  const out: DgtEvent[] = [];
  for (let m = from; m <= to; m += every) out.push(pos(`${vehicleId}-s${m}`, at(m), vehicleId, lon, lat, 0));
  return out;
}

const tickAt = (m: number) => clockTick(Date.parse(at(m)));

function run(events: readonly DgtEvent[], config = {}): DetectionEvent[] {
  const engine = new DetectionEngine(resolveDetectionConfig(config));
  return events.flatMap((e) => [...engine.apply(e).detections]);
}

const ofType = (ds: DetectionEvent[], type: DetectionEvent['type']) => ds.filter((d) => d.type === type);

describe('fatigue driving (疲劳驾驶): more than 4 h of driving without a 20-minute rest', () => {
  it('is declared at the first moving fix more than fatigueAfterS after the period began (4 h exactly is not yet)', () => {
    const ds = run(drive('V1', 0, 245));
    const started = ofType(ds, 'FatigueDrivingStarted');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({
      eventId: 'V1-d241/FatigueDrivingStarted',
      occurredAt: at(241),
      data: { vehicleId: 'V1', drivingSince: at(0), drivenS: 241 * 60, laden: false, evidence: ['V1-d0', 'V1-d241'] },
    });
    expect(classifyDetection(started[0] as DetectionEvent)).toMatchObject({ kind: 'fatigue-driving', category: 'violation' });
  });

  it('counts short stops as part of the driving period, and names the waybill when laden', () => {
    const events = [
      ...consignment('W1', 'V1', ['declare', 'assign', 'load']),
      ...drive('V1', 0, 180),
      ...stand('V1', 181, 190, lonAt(180)),
      ...drive('V1', 191, 245, (m) => lonAt(m - 11)),
    ];
    const started = ofType(run(events), 'FatigueDrivingStarted');
    expect(started.map((d) => [d.occurredAt, d.data.drivingSince, d.data.laden, d.data.waybillNo, d.data.carrierId])).toEqual([[at(241), at(0), true, 'W1', 'C1']]);
    expect(started[0]?.data.evidence).toContain('W1-load');
  });

  it('ends with a stop of exactly restMinS, and a new period begins at the next moving fix', () => {
    const events = [
      ...drive('V1', 0, 245),
      ...stand('V1', 246, 266, lonAt(245)), // anchored at 246; the fix at 266 is 20 min later
      ...drive('V1', 267, 520, (m) => lonAt(m - 21)),
    ];
    const ds = run(events);
    const ended = ofType(ds, 'FatigueDrivingEnded');
    expect(ended.map((d) => [d.eventId, d.occurredAt, d.data])).toEqual([
      ['V1-s266/FatigueDrivingEnded', at(266), { vehicleId: 'V1', drivingSince: at(0), restStartedAt: at(246), endedAt: at(266) }],
    ]);
    // The new period starts at 267: declared again at the first fix after 267 + 240 min.
    expect(ofType(ds, 'FatigueDrivingStarted').map((d) => [d.occurredAt, d.data.drivingSince])).toEqual([
      [at(241), at(0)],
      [at(508), at(267)],
    ]);
  });

  it('does not end with a stop one minute short of restMinS', () => {
    const events = [...drive('V1', 0, 245), ...stand('V1', 246, 265, lonAt(245)), ...drive('V1', 266, 300, (m) => lonAt(m - 20))];
    const ds = run(events);
    expect(ofType(ds, 'FatigueDrivingEnded')).toEqual([]);
    expect(ofType(ds, 'FatigueDrivingStarted')).toHaveLength(1);
  });

  it('counts a report gap of restMinS in place as a rest, but not a gap after which the vehicle is elsewhere', () => {
    const inPlace = [...drive('V1', 0, 245), pos('V1-back', at(270), 'V1', lonAt(245) + 0.0005, LAT, 30), ...drive('V1', 271, 300, (m) => lonAt(m - 25))];
    expect(ofType(run(inPlace), 'FatigueDrivingEnded').map((d) => [d.occurredAt, d.data.restStartedAt])).toEqual([[at(270), at(245)]]);
    // 25 minutes without a fix, then 10 km further on: it drove on through the gap.
    const moved = [...drive('V1', 0, 245), pos('V1-back', at(270), 'V1', lonAt(245) + 0.1, LAT, 30), ...drive('V1', 271, 300, (m) => lonAt(m - 25) + 0.1)];
    expect(ofType(run(moved), 'FatigueDrivingEnded')).toEqual([]);
  });

  it('is not declared for a driver who stops before the limit and rests across it', () => {
    const events = [...drive('V1', 0, 235), ...stand('V1', 236, 262, lonAt(235)), ...drive('V1', 263, 300, (m) => lonAt(m - 27))];
    expect(ofType(run(events), 'FatigueDrivingStarted')).toEqual([]);
  });

  it('ignores late and duplicate fixes during a driving period and a rest: the same period, the same rest', () => {
    const base = [...drive('V1', 0, 245), ...stand('V1', 246, 266, lonAt(245)), ...drive('V1', 267, 280, (m) => lonAt(m - 21))];
    const reference = run(base);
    const at100 = base.findIndex((e) => e.eventId === 'V1-d100');
    const at250 = base.findIndex((e) => e.eventId === 'V1-s250');
    const noisy = [
      ...base.slice(0, at100),
      // A late moving fix dated in the past, and a repeat: neither restarts nor extends anything.
      pos('V1-late', at(50, 30), 'V1', lonAt(50), LAT, 60),
      base[at100 - 1] as DgtEvent,
      ...base.slice(at100, at250),
      // During the rest: a late moving fix (it would break the stop were it applied) and a repeat.
      pos('V1-late-2', at(247, 30), 'V1', lonAt(245) + 0.05, LAT, 70),
      base[at250 - 1] as DgtEvent,
      ...base.slice(at250),
    ];
    expect(run(noisy)).toEqual(reference);
    expect(reference.map((d) => d.type)).toEqual(['FatigueDrivingStarted', 'FatigueDrivingEnded']);
  });

  it('ends at a clock tick once a stop has lasted restMinS, though the terminal reports no more', () => {
    const events = [...drive('V1', 0, 245), ...stand('V1', 246, 250, lonAt(245)), tickAt(265), tickAt(266), tickAt(267)];
    const ended = ofType(run(events), 'FatigueDrivingEnded');
    const tick = tickAt(266);
    expect(ended.map((d) => [d.eventId, d.occurredAt, d.data.restStartedAt, d.data.endedAt])).toEqual([
      [`${tick.eventId}/FatigueDrivingEnded/V1`, tick.occurredAt, at(246), tick.data.at],
    ]);
  });
});

describe('offline terminals (不在线): an active consignment whose vehicle stops reporting', () => {
  const assigned = consignment('W1', 'V1', ['declare', 'assign']);
  const laden = consignment('W1', 'V1', ['declare', 'assign', 'load']);

  it('goes offline at the tick reaching lastFix + offlineAfterS exactly, dated at that deadline; back online at the next fix', () => {
    const events = [...assigned, ...drive('V1', 0, 10), tickAt(29), tickAt(30), tickAt(31), pos('V1-back', at(45), 'V1', lonAt(10) + 0.05, LAT, 40)];
    const ds = run(events);
    expect(ds.map((d) => d.type)).toEqual(['TerminalOffline', 'TerminalOnline']);
    const [offline, online] = ds as [DetectionEvent, DetectionEvent];
    expect(offline).toMatchObject({
      eventId: 'V1-d10/TerminalOffline',
      // The deadline, in the last fix's own offset.
      occurredAt: '2026-03-02T08:30:00.000+08:00',
      data: { vehicleId: 'V1', lastFixAt: at(10), lon: lonAt(10), lat: LAT, laden: false, waybillNo: 'W1', carrierId: 'C1', evidence: ['V1-d10', tickAt(30).eventId] },
    });
    expect(classifyDetection(offline).category).toBe('advisory');
    expect(online).toMatchObject({ eventId: 'V1-back/TerminalOnline', occurredAt: at(45), data: { vehicleId: 'V1', lastFixAt: at(10), backAt: at(45), gapS: 35 * 60 } });
    expect(online.data.movedM).toBeCloseTo(distanceM(lonAt(10), LAT, lonAt(10) + 0.05, LAT), 1);
    expect(online.data.movedM).toBeGreaterThan(4_000);
  });

  it('is a violation while laden', () => {
    const ds = run([...laden, ...drive('V1', 0, 10), tickAt(31)]);
    expect(ds).toHaveLength(1);
    expect(ds[0]?.data).toMatchObject({ laden: true, waybillNo: 'W1' });
    expect(classifyDetection(ds[0] as DetectionEvent).category).toBe('violation');
  });

  it('raises nothing for a vehicle without an active consignment (none, closed, or unloaded)', () => {
    expect(run([...drive('V1', 0, 10), tickAt(60)])).toEqual([]);
    const done = [...consignment('W1', 'V1', ['declare', 'assign', 'load', 'unload', 'close']), ...drive('V1', 0, 10), tickAt(60)];
    expect(run(done)).toEqual([]);
  });

  it('is moved by the record clock only: fix times, even far-future ones, never make another vehicle offline', () => {
    const events = [...assigned, ...drive('V1', 0, 10), pos('V2-future', '2099-01-01T00:00:00Z', 'V2', 121.4, 28.6, 30), pos('V2-later', at(100), 'V2', 121.4, 28.6, 30)];
    expect(run(events)).toEqual([]);
  });

  it('goes offline once, however many ticks pass, and a repeated tick changes nothing', () => {
    const events = [...assigned, ...drive('V1', 0, 10), tickAt(30), tickAt(30), tickAt(31), tickAt(90)];
    expect(run(events).map((d) => d.type)).toEqual(['TerminalOffline']);
  });

  it('ignores late and duplicate fixes while offline: only a newer fix brings it back', () => {
    const events = [...assigned, ...drive('V1', 0, 10), tickAt(30), pos('V1-d5', at(5), 'V1', lonAt(5), LAT, 40), pos('V1-old', at(9), 'V1', lonAt(9), LAT, 40), tickAt(40)];
    expect(run(events).map((d) => d.type)).toEqual(['TerminalOffline']);
  });
});

describe('route deviation (偏离线路): a laden vehicle off its waybill route', () => {
  /** A route due east along LAT; fixes north of it by `off` degrees of latitude (0.01° ≈ 1.1 km). */
  function routed(waybillNo: string, vehicleId: string, route: Record<string, unknown>): DgtEvent[] {
    const [declare, ...rest] = consignment(waybillNo, vehicleId, ['declare', 'assign', 'load']);
    const declared = parseEvent({ ...declare, data: { ...(declare as { data: object }).data, route } });
    return [declared, ...rest];
  }
  const path = [
    [121.3, LAT],
    [122.5, LAT],
  ];
  const offAt = (minutes: number[], off = 0.01) => (m: number) => (minutes.includes(m) ? LAT + off : LAT);
  function track(vehicleId: string, from: number, to: number, latOf: (m: number) => number): DgtEvent[] {
    const out: DgtEvent[] = [];
    for (let m = from; m <= to; m++) out.push(pos(`${vehicleId}-d${m}`, at(m), vehicleId, lonAt(m), latOf(m), 40));
    return out;
  }

  it('starts at the first of routeDeviationFixes consecutive fixes beyond tolerance (emitted at the last), ends at the first fix back', () => {
    const events = [...routed('W1', 'V1', { path }), ...track('V1', 0, 20, offAt([5, 6, 7, 8]))];
    const ds = run(events);
    expect(ds.map((d) => [d.type, d.occurredAt])).toEqual([
      ['RouteDeviationStarted', at(5)],
      ['RouteDeviationEnded', at(9)],
    ]);
    const [started, ended] = ds as [DetectionEvent, DetectionEvent];
    expect(started).toMatchObject({ eventId: 'V1-d5/RouteDeviationStarted', data: { vehicleId: 'V1', waybillNo: 'W1', carrierId: 'C1', lon: lonAt(5), lat: LAT + 0.01 } });
    expect(started.data.evidence).toEqual(['V1-d5', 'V1-d6', 'V1-d7', 'W1-load']);
    // 0.01° of latitude north of the route, less the great-circle arc's poleward bulge.
    expect(started.data.distanceM).toBeGreaterThan(1_050);
    expect(started.data.distanceM).toBeLessThan(1_120);
    expect(ended).toMatchObject({ eventId: 'V1-d9/RouteDeviationEnded', data: { waybillNo: 'W1', startedAt: at(5), endedAt: at(9) } });
    expect(classifyDetection(started).category).toBe('violation');
  });

  it('raises nothing for routeDeviationFixes − 1 fixes off the route', () => {
    expect(run([...routed('W1', 'V1', { path }), ...track('V1', 0, 20, offAt([5, 6, 12, 13]))])).toEqual([]);
  });

  it('reports the largest distance of the run when it ends', () => {
    const latOf = (m: number) => (m >= 5 && m <= 8 ? LAT + 0.01 * (m - 4) : LAT);
    const ds = run([...routed('W1', 'V1', { path }), ...track('V1', 0, 12, latOf)]);
    const ended = ofType(ds, 'RouteDeviationEnded')[0];
    expect(ended?.data.maxDistanceM).toBeGreaterThan(4_400);
    expect(ofType(ds, 'RouteDeviationStarted')[0]?.data.distanceM).toBeLessThan(1_200);
  });

  it('honours the waybill tolerance, and does not apply before loading or without a route', () => {
    expect(run([...routed('W1', 'V1', { path, toleranceM: 2_000 }), ...track('V1', 0, 20, offAt([5, 6, 7, 8]))])).toEqual([]);
    const [declare, assign] = routed('W2', 'V2', { path });
    expect(run([declare as DgtEvent, assign as DgtEvent, ...track('V2', 0, 20, offAt([5, 6, 7, 8]))])).toEqual([]);
    expect(run([...consignment('W3', 'V3', ['declare', 'assign', 'load']), ...track('V3', 0, 20, offAt([5, 6, 7, 8]))])).toEqual([]);
  });

  it('reads a GCJ-02 route in WGS-84: the same path declared in GCJ-02 numbers is followed, not ~500 m off', () => {
    // The GCJ-02 numbers of points on LAT (wgs84ToGcj02 is what a Chinese map shows).
    const shiftLon = 0.0047;
    const shiftLat = -0.0029;
    const gcjPath = path.map(([lon, lat]) => [(lon as number) + shiftLon, (lat as number) + shiftLat]);
    const onRoad = run([...routed('W1', 'V1', { path: gcjPath, datum: 'GCJ02', toleranceM: 200 }), ...track('V1', 0, 20, () => LAT)]);
    expect(onRoad).toEqual([]);
    const misread = run([...routed('W1', 'V1', { path: gcjPath, toleranceM: 200 }), ...track('V1', 0, 20, () => LAT)]);
    expect(ofType(misread, 'RouteDeviationStarted')).toHaveLength(1);
  });

  it('ends a declared deviation at the first fix after the vehicle is unloaded off the route', () => {
    const unload = consignment('W1', 'V1', ['unload'], at(8, 30));
    const events = [...routed('W1', 'V1', { path }), ...track('V1', 0, 8, offAt([5, 6, 7, 8])), ...unload, ...track('V1', 9, 12, () => LAT + 0.02)];
    expect(run(events).map((d) => [d.type, d.occurredAt])).toEqual([
      ['RouteDeviationStarted', at(5)],
      ['RouteDeviationEnded', at(9)],
    ]);
  });

  it('ignores late and duplicate fixes during a run: they neither extend nor break it', () => {
    const off = offAt([5, 6, 7]);
    const base = track('V1', 0, 12, off);
    const late = pos('V1-late', at(4, 30), 'V1', lonAt(4), LAT, 40);
    const events = [...routed('W1', 'V1', { path }), ...base.slice(0, 7), late, base[6] as DgtEvent, ...base.slice(7)];
    expect(run(events).map((d) => [d.type, d.occurredAt])).toEqual([
      ['RouteDeviationStarted', at(5)],
      ['RouteDeviationEnded', at(8)],
    ]);
  });
});

describe('the time rules, saved and restored', () => {
  it('gives the same detections when the engine is restored from its state after any event', () => {
    const events = [
      ...consignment('W1', 'V1', ['declare', 'assign', 'load']),
      ...drive('V1', 0, 245),
      tickAt(250),
      tickAt(266),
      pos('V1-back', at(270), 'V1', lonAt(245) + 0.2, LAT, 40),
      ...stand('V1', 271, 292, lonAt(245) + 0.2),
    ];
    const whole = run(events);
    for (const type of ['FatigueDrivingStarted', 'TerminalOffline', 'TerminalOnline', 'FatigueDrivingEnded']) expect(whole.map((d) => d.type)).toContain(type);
    for (let split = 1; split < events.length; split += 7) {
      const first = new DetectionEngine();
      const out = events.slice(0, split).flatMap((e) => [...first.apply(e).detections]);
      const second = DetectionEngine.fromState(JSON.parse(JSON.stringify(first.exportState())));
      out.push(...events.slice(split).flatMap((e) => [...second.apply(e).detections]));
      expect(out).toEqual(whole);
    }
  });
});
