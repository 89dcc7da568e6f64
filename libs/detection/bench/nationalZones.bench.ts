/*
 * Issue #21 item 6: the detection engine with 20,000 corridor zones spread over China (1–5 km
 * paths, 30–100 m buffers; libs/geo/bench/nationalCorridors.ts), a laden fleet driving the roads
 * they lie on at 0–150 m from the centre line, so that fixes fall inside, just outside and far
 * outside the buffers and the exact edge tests run.
 * - The engine as it is (its own index: covers on demand) against the same-run reference: the same
 *   engine on an index with every zone's H3 cover computed at designation (coversOnDemand off, the
 *   index as it was when the issue measured 118k positions/s and a 69 s build), same zones, same
 *   fixes, runs alternated; both must emit the same detections.
 * - The build of each index through the engine (ZoneDesignated events), and its memory.
 * - One zone change (designate, amend, revoke) and the next fix, with 20,000 zones and with 200.
 * Run: npm run bench -w @dgt/detection (env BENCH_NATIONAL_VEHICLES, BENCH_NATIONAL_FIXES, BENCH_NATIONAL_CORRIDORS
 * to resize)
 */
import { loadavg } from 'node:os';
import { type DetectionEvent, type DgtEvent, parseEvent } from '@dgt/events';
import { ZoneIndex, type ZoneSpec } from '@dgt/geo';
import { DetectionEngine } from '../src/index.ts';
import { nationalCorridors, nationalDefaults, nationalFleet, nationalSet, type NationalFleet } from '../../geo/bench/nationalCorridors.ts';
import { seededRandom } from '../../geo/test/seededRandom.ts';

const vehicles = Number(process.env.BENCH_NATIONAL_VEHICLES ?? 2_000);
const fixesPerVehicle = Number(process.env.BENCH_NATIONAL_FIXES ?? 150);
const ROUNDS = 5;
const CHUNK = 2_000;
const CHANGES = 60;
const gc = (globalThis as { gc?: () => void }).gc;
const load = () => `load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
async function settle(): Promise<void> {
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc?.();
}

const T0 = '2026-01-01T00:00:00+08:00';
const { roads, zones: specs, rnd } = nationalSet({ ...nationalDefaults, corridors: Number(process.env.BENCH_NATIONAL_CORRIDORS ?? nationalDefaults.corridors) });
function designation(spec: ZoneSpec, occurredAt: string, eventId = `zd-${spec.zoneId}`): DgtEvent {
  return parseEvent({ eventId, type: 'ZoneDesignated', occurredAt, data: { zoneId: spec.zoneId, kind: spec.kind, name: spec.name, datum: spec.datum, path: spec.path, bufferM: spec.bufferM } });
}
const zoneEvents = specs.map((s) => designation(s, T0));
const fleet = nationalFleet(roads, vehicles, fixesPerVehicle, Date.parse('2026-03-02T00:00:00Z'), rnd);
const vehicleIds = Array.from({ length: vehicles }, (_, v) => `京A${String(v).padStart(5, '0')}`);
const o = { name: 'o', lon: 116.4, lat: 39.9 };
const setup: DgtEvent[] = [];
for (let v = 0; v < vehicles; v++) {
  const wb = `WB-${v}`;
  setup.push(
    parseEvent({ eventId: `${wb}-d`, type: 'ConsignmentDeclared', occurredAt: '2026-03-01T00:00:00Z', data: { waybillNo: wb, consignorId: 'c', goods: [{ unNumber: '1230', name: 'methanol', hazardClass: '3', quantityKg: 20000 }], origin: o, destination: o } }),
    parseEvent({ eventId: `${wb}-a`, type: 'CarriageAssigned', occurredAt: '2026-03-01T00:00:01Z', data: { waybillNo: wb, carrierId: `C${v % 50}`, vehicleId: vehicleIds[v], driverId: 'd', escortId: 'e' } }),
    parseEvent({ eventId: `${wb}-l`, type: 'LoadingCompleted', occurredAt: '2026-03-01T00:00:02Z', data: { waybillNo: wb, vehicleId: vehicleIds[v] } }),
  );
}

function fixEvents(track: NationalFleet, from: number, to: number, tag = ''): DgtEvent[] {
  const out: DgtEvent[] = [];
  for (let k = from; k < to; k++) {
    const vehicleId = vehicleIds[track.vehicle[k] as number] as string;
    out.push({ eventId: `${vehicleId}-${k}${tag}`, type: 'VehiclePositionReported', occurredAt: new Date(track.ms[k] as number).toISOString(), data: { vehicleId, lon: track.lon[k] as number, lat: track.lat[k] as number, speedKmh: track.speed[k] as number } });
  }
  return out;
}

console.log(
  `national zones engine bench: ${specs.length.toLocaleString('en')} corridors, ${vehicles.toLocaleString('en')} laden vehicles × ${fixesPerVehicle} fixes = ${fleet.count.toLocaleString('en')} positions ` +
    `(on the corridors' roads, 0–150 m off the centre line), node ${process.version}, ${load()}`,
);

/** Designates every zone through a fresh engine on `index`; wall and CPU ms, and the index's memory when gc is exposed. */
async function buildThrough(index: ZoneIndex): Promise<{ engine: DetectionEngine; wallMs: number; cpuMs: number; bytes: number }> {
  await settle();
  const before = used();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const engine = new DetectionEngine(undefined, index);
  for (const e of zoneEvents) {
    const step = engine.apply(e);
    if (step.rejection !== null) throw new Error(`zone refused: ${step.rejection.reason}`);
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await settle();
  return { engine, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, bytes: used() - before };
}

const onDemand = await buildThrough(new ZoneIndex({ coversOnDemand: true, covers: null }));
console.log(`  build through the engine, covers on demand (the engine's own index): ${(onDemand.wallMs / 1000).toFixed(2)} s wall, ${(onDemand.cpuMs / 1000).toFixed(2)} s CPU, index ${(onDemand.bytes / 1e6).toFixed(0)} MB (${load()})`);
const fullCover = await buildThrough(new ZoneIndex({ coversOnDemand: false, covers: null }));
const cells = fullCover.engine.zones.stats();
console.log(
  `  build through the engine, full covers (reference): ${(fullCover.wallMs / 1000).toFixed(1)} s wall, ${(fullCover.cpuMs / 1000).toFixed(1)} s CPU, index ${(fullCover.bytes / 1e6).toFixed(0)} MB, ` +
    `${cells.cells.toLocaleString('en')} H3 cells (${load()})`,
);
console.log(
  `  → build ${(onDemand.wallMs / fullCover.wallMs).toFixed(3)}× wall, ${(onDemand.cpuMs / fullCover.cpuMs).toFixed(3)}× CPU; memory ${(onDemand.bytes / fullCover.bytes).toFixed(2)}× | ` +
    `targets ≤ 5 s: ${onDemand.wallMs <= 5000 ? 'met' : 'MISSED'} (wall), ${onDemand.cpuMs <= 5000 ? 'met' : 'MISSED'} (CPU); ≤ 700 MB: ${onDemand.bytes <= 700e6 ? 'met' : 'MISSED'}`,
);

/** One pass of the fleet through a fresh engine sharing `index` (zones already designated): seconds in `apply`, and the detections. */
function run(index: ZoneIndex): { seconds: number; detections: Map<string, number> } {
  const engine = new DetectionEngine(undefined, index);
  for (const e of setup) engine.apply(e);
  const detections = new Map<string, number>();
  let elapsed = 0n;
  for (let from = 0; from < fleet.count; from += CHUNK) {
    const chunk = fixEvents(fleet, from, Math.min(fleet.count, from + CHUNK));
    const start = process.hrtime.bigint();
    const emitted: (readonly DetectionEvent[])[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const d = engine.apply(chunk[i] as DgtEvent).detections;
      if (d.length > 0) emitted.push(d as readonly DetectionEvent[]);
    }
    elapsed += process.hrtime.bigint() - start;
    for (const ds of emitted) for (const d of ds) {
      const key = d.type + (d.data.interpolated ? ' (between fixes)' : '');
      detections.set(key, (detections.get(key) ?? 0) + 1);
    }
  }
  return { seconds: Number(elapsed) / 1e9, detections };
}

const summary = (m: Map<string, number>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, n]) => `${t} ${n}`).join(', ');
run(onDemand.engine.zones); // warm-up
run(fullCover.engine.zones);
const rates = { onDemand: [] as number[], fullCover: [] as number[] };
let found = '';
for (let round = 0; round < ROUNDS; round++) {
  const a = run(onDemand.engine.zones);
  const b = run(fullCover.engine.zones);
  if (summary(a.detections) !== summary(b.detections)) throw new Error(`the two indexes disagree: ${summary(a.detections)} | ${summary(b.detections)}`);
  found = summary(a.detections);
  rates.onDemand.push(fleet.count / a.seconds);
  rates.fullCover.push(fleet.count / b.seconds);
}
const rate = median(rates.onDemand), reference = median(rates.fullCover);
const fmt = (r: number) => Math.round(r).toLocaleString('en');
console.log(`  engine, covers on demand   ${fmt(rate).padStart(10)} positions/s (median of ${ROUNDS}: ${rates.onDemand.map(fmt).join(', ')})`);
console.log(`  engine, full covers (ref.) ${fmt(reference).padStart(10)} positions/s (median of ${ROUNDS}: ${rates.fullCover.map(fmt).join(', ')})`);
console.log(`  → ${(rate / reference).toFixed(2)}× the reference | target ≥ 0.9×: ${rate / reference >= 0.9 ? 'met' : 'MISSED'} (${load()})`);
console.log(`  detections per run (identical for both indexes): ${found}`);

// One zone change through the engine, then the next fix of every vehicle near it: with the
// 20,000-zone index and with one of the first 200 zones, the same changes in both.
const smallIndex = new ZoneIndex({ coversOnDemand: true, covers: null });
const small = new DetectionEngine(undefined, smallIndex);
for (const e of zoneEvents.slice(0, 200)) small.apply(e);
const large = onDemand.engine;
for (const engine of [small, large]) for (const e of setup) engine.apply(e);
const fresh = nationalCorridors(roads, CHANGES, seededRandom(77), 'new');
const changeAt = (k: number) => new Date(Date.parse('2026-03-03T00:00:00Z') + k * 60_000).toISOString();
/** A fix on the changed zone's first vertex, half a minute after the i-th change. */
function fixAt(spec: ZoneSpec, i: number): DgtEvent {
  const [lon, lat] = (spec.path as readonly (readonly [number, number])[])[0] as readonly [number, number];
  return { eventId: `probe-${i}`, type: 'VehiclePositionReported', occurredAt: changeAt(i + 0.5), data: { vehicleId: vehicleIds[i % vehicles] as string, lon, lat, speedKmh: 50 } };
}
const ops: [string, (k: number) => [DgtEvent, ZoneSpec]][] = [
  ['designate a new corridor', (k) => [designation(fresh[k] as ZoneSpec, changeAt(k), `new-${k}`), fresh[k] as ZoneSpec]],
  ['amend a corridor (new path)', (k) => {
    const spec = { ...(fresh[k] as ZoneSpec), zoneId: (specs[k] as ZoneSpec).zoneId };
    return [designation(spec, changeAt(CHANGES + k), `amend-${k}`), spec];
  }],
  ['revoke a corridor', (k) => {
    const spec = specs[100 + k] as ZoneSpec;
    return [parseEvent({ eventId: `revoke-${k}`, type: 'ZoneWithdrawn', occurredAt: changeAt(2 * CHANGES + k), data: { zoneId: spec.zoneId } }), spec];
  }],
];
console.log(`  zone change through the engine, then the next fix on the zone (${CHANGES} of each, timed apart; medians; ${load()}):`);
let worst = 0;
for (let o = 0; o < ops.length; o++) {
  const [label, make] = ops[o] as [string, (k: number) => [DgtEvent, ZoneSpec]];
  const change = { small: [] as number[], large: [] as number[] };
  const next = { small: [] as number[], large: [] as number[] };
  for (let k = 0; k < CHANGES; k++) {
    const [event, spec] = make(k);
    const fix = fixAt(spec, o * CHANGES + k);
    // Alternately, so both engines see the same load.
    for (const [name, engine] of [['small', small], ['large', large]] as const) {
      let t0 = performance.now();
      const step = engine.apply(event);
      change[name].push((performance.now() - t0) * 1000);
      if (step.rejection !== null) throw new Error(`change refused: ${step.rejection.reason}`);
      t0 = performance.now();
      engine.apply(fix);
      next[name].push((performance.now() - t0) * 1000);
    }
  }
  const ratio = median(change.large) / median(change.small);
  worst = Math.max(worst, ratio);
  const us = (xs: readonly number[]) => `${median(xs).toFixed(1).padStart(6)} µs`;
  console.log(`    ${label.padEnd(28)} the change: ${specs.length.toLocaleString('en')} zones ${us(change.large)} | 200 zones (reference) ${us(change.small)} → ${ratio.toFixed(2)}×`);
  console.log(`    ${''.padEnd(28)} the next fix: ${specs.length.toLocaleString('en')} zones ${us(next.large)} | 200 zones ${us(next.small)} → ${(median(next.large) / median(next.small)).toFixed(2)}×`);
}
console.log(`  zone change cost, ${specs.length.toLocaleString('en')} / 200 zones: at most ${worst.toFixed(2)}× (proportional to the zone changed: ~1×)`);
console.log('  Tile38 side by side: not run (no Docker daemon on this machine; the Go module proxy refuses github.com/tidwall/tile38, 403).');
