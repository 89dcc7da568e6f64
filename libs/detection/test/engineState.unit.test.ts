import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DetectionEvent, type DgtEvent, parseNdjsonLine } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import {
  DetectionEngine,
  ENGINE_STATE_VERSION,
  type EngineState,
  EngineStateError,
  resolveDetectionConfig,
  type VehicleStateData,
} from '../src/index.ts';
import { mixedStream } from './mixedStream.ts';

const scenariosDir = new URL('../../../tests/scenarios/', import.meta.url).pathname;

function scenarioEvents(name: string): DgtEvent[] {
  const out: DgtEvent[] = [];
  for (const line of readFileSync(join(scenariosDir, name, 'input.ndjson'), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const r = parseNdjsonLine(line);
    if (r.ok) out.push(r.event);
  }
  return out;
}

const scenarios = readdirSync(scenariosDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

interface Observed {
  detections: DetectionEvent[];
  rejections: string[];
  ignored: string[];
}

function run(engine: DetectionEngine, events: readonly DgtEvent[], into: Observed): void {
  for (const e of events) {
    const step = engine.apply(e);
    into.detections.push(...step.detections);
    if (step.rejection) into.rejections.push(`${step.rejection.eventId}:${step.rejection.code}`);
    if (step.ignored) into.ignored.push(`${e.eventId}:${step.ignored}`);
  }
}

/** Everything an outside observer can ask an engine. */
function observable(engine: DetectionEngine, events: readonly DgtEvent[]) {
  const waybills = new Set<string>();
  const vehicles = new Set<string>(engine.vehicleIds());
  for (const e of events) {
    if ('waybillNo' in e.data && typeof e.data.waybillNo === 'string') waybills.add(e.data.waybillNo);
    if ('vehicleId' in e.data && typeof e.data.vehicleId === 'string') vehicles.add(e.data.vehicleId);
  }
  return {
    vehicles: [...vehicles].sort().map((id) => engine.vehicle(id)),
    consignments: [...waybills].sort().map((w) => engine.consignment(w)),
    stats: engine.stats(),
    zones: engine.zones.activeAt(Number.MAX_SAFE_INTEGER),
    zoneStats: engine.zones.stats(),
  };
}

/** The generated stream runs two hours: fatigue after one, so its periods cross the splits. */
const mixedConfig = resolveDetectionConfig({ fatigueAfterS: 3_600 });

/** Engine A runs everything; engine B runs 1..k and hands its state (through JSON) to C, which runs the rest. */
function checkSplit(events: readonly DgtEvent[], k: number, config = resolveDetectionConfig({})): void {
  const a = new DetectionEngine(config);
  const whole: Observed = { detections: [], rejections: [], ignored: [] };
  run(a, events, whole);

  const b = new DetectionEngine(config);
  const split: Observed = { detections: [], rejections: [], ignored: [] };
  run(b, events.slice(0, k), split);
  const saved = JSON.parse(JSON.stringify(b.exportState())) as EngineState;
  const c = DetectionEngine.fromState(saved, config);
  run(c, events.slice(k), split);

  expect(split).toEqual(whole);
  expect(observable(c, events)).toEqual(observable(a, events));
  expect(c.exportState()).toEqual(a.exportState());
}

describe('engine state export and import', () => {
  it('has scenarios to check against', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(14);
  });

  for (const name of scenarios) {
    it(`${name}: resuming from the state saved after any event gives the same detections and state as one run`, () => {
      const events = scenarioEvents(name);
      expect(events.length).toBeGreaterThan(0);
      for (let k = 0; k <= events.length; k++) checkSplit(events, k);
    }, 30_000);
  }

  it('resumes a generated stream (zones re-designated and withdrawn, loads, unloads, duplicates, late fixes) at many split points', () => {
    const events = mixedStream(24, 120);
    const reference = new DetectionEngine(mixedConfig);
    const observed: Observed = { detections: [], rejections: [], ignored: [] };
    run(reference, events, observed);
    // The stream must exercise what the state has to carry across the split.
    const kinds = new Set(observed.detections.map((d) => d.type));
    expect([...kinds].sort()).toEqual([
      'AccidentSegmentEntered', 'AccidentSegmentExited', 'FatigueDrivingEnded', 'FatigueDrivingStarted', 'IllegalParkingEnded', 'IllegalParkingStarted',
      'OverspeedEnded', 'OverspeedStarted', 'RestrictedEntryEnded', 'RestrictedEntryStarted', 'RouteDeviationEnded', 'RouteDeviationStarted',
      'TerminalOffline', 'TerminalOnline',
    ]);
    // Passages and restricted entries between fixes too, so their state crosses the splits.
    expect(observed.detections.some((d) => d.type === 'RestrictedEntryStarted' && d.data.interpolated === true)).toBe(true);
    expect(observed.detections.some((d) => d.type === 'RestrictedEntryStarted' && d.data.interpolated === undefined)).toBe(true);
    expect(observed.rejections.length).toBeGreaterThan(0);
    expect(observed.ignored.some((i) => i.endsWith(':duplicate'))).toBe(true);
    expect(observed.ignored.some((i) => i.endsWith(':late'))).toBe(true);
    for (let k = 0; k <= events.length; k += 97) checkSplit(events, k, mixedConfig);
    checkSplit(events, events.length - 1, mixedConfig);
  }, 60_000);

  it('resumes from parts saved batch by batch (only what each batch changed), as a projector saves them', () => {
    const events = mixedStream(16, 90, 11);
    const reference = new DetectionEngine(mixedConfig);
    const whole: Observed = { detections: [], rejections: [], ignored: [] };
    run(reference, events, whole);

    const saved = { vehicles: new Map<string, string>(), consignments: new Map<string, string>(), zones: new Map<string, string>(), counters: '' };
    let engine = new DetectionEngine(mixedConfig);
    engine.trackChanges();
    let clockMs: number | null = null;
    const resumed: Observed = { detections: [], rejections: [], ignored: [] };
    const restart = () => {
      const parse = <T>(m: Map<string, string>) => [...m.keys()].sort().map((k) => JSON.parse(m.get(k)!) as T);
      const state: EngineState = {
        version: ENGINE_STATE_VERSION,
        vehicles: parse(saved.vehicles),
        consignments: parse(saved.consignments),
        zones: parse(saved.zones),
        counters: JSON.parse(saved.counters) as EngineState['counters'],
        clockMs,
      };
      engine = DetectionEngine.fromState(state, mixedConfig);
      engine.trackChanges();
    };
    const batch = 53;
    for (let from = 0; from < events.length; from += batch) {
      run(engine, events.slice(from, from + batch), resumed);
      const changed = engine.takeChanges();
      for (const id of changed.vehicles) saved.vehicles.set(id, JSON.stringify(engine.exportVehicle(id)));
      for (const w of changed.consignments) saved.consignments.set(w, JSON.stringify(engine.exportConsignment(w)));
      for (const z of changed.zones) saved.zones.set(z, JSON.stringify(engine.exportZone(z)));
      saved.counters = JSON.stringify(engine.stats());
      clockMs = engine.clock();
      if ((from / batch) % 3 === 2) restart();
    }
    expect(resumed).toEqual(whole);
    expect(engine.exportState()).toEqual(reference.exportState());
  }, 60_000);

  it('reports exactly the parts an event changed', () => {
    const events = mixedStream(4, 3);
    const engine = new DetectionEngine();
    engine.trackChanges();
    for (const e of events) engine.apply(e);
    const changes = engine.takeChanges();
    expect(changes.vehicles).toEqual(['V000', 'V001', 'V002', 'V003']);
    expect(changes.consignments).toEqual(['WB-0', 'WB-1', 'WB-3']);
    expect(changes.zones).toEqual(['lot-1', 'park-1', 'ra-1', 'seg-1']);
    expect(engine.takeChanges()).toEqual({ vehicles: [], consignments: [], zones: [] });
  });

  it('keeps the newest ids of the duplicate ring when the window shrinks between runs', () => {
    const events = mixedStream(1, 40).filter((e) => e.type === 'VehiclePositionReported' && !e.eventId.endsWith('-late'));
    const wide = new DetectionEngine(resolveDetectionConfig({ duplicateWindow: 16 }));
    for (const e of events) wide.apply(e);
    const state = wide.exportState();
    const narrow = DetectionEngine.fromState(state, resolveDetectionConfig({ duplicateWindow: 4 }));
    const v = narrow.exportVehicle('V000') as VehicleStateData;
    const lastIds = [...new Set(events.map((e) => e.eventId))].slice(-4);
    expect(v.recent).toEqual(lastIds);
    // The newest id is still recognised as a duplicate, not as a late fix.
    const newest = events.find((e) => e.eventId === lastIds[3])!;
    expect(narrow.apply(newest).ignored).toBe('duplicate');
  });

  it('refuses state of another version or shape with a typed error', () => {
    expect(() => DetectionEngine.fromState({ version: 1 } as unknown as EngineState)).toThrow(EngineStateError);
    expect(() => DetectionEngine.fromState({ version: ENGINE_STATE_VERSION, vehicles: {}, consignments: [], zones: [], counters: {} } as unknown as EngineState)).toThrow(
      /vehicles must be an array/,
    );
  });
});
