/*
 * Issue #21 item 6, zones at national scale: building the zone index for 20,000 corridors (1–5 km
 * paths, 30–100 m buffers, spread over China; see nationalCorridors.ts) as the detection engine does
 * (covers on demand), its memory, and the cost of one zone change with 20,000 zones loaded against
 * 200. The engine's per-position rate with these zones is libs/detection/bench/nationalZones.bench.ts.
 * Run: npm run bench -w @dgt/geo (node --expose-gc, for the memory figures)
 */
import { loadavg } from 'node:os';
import type { ZoneSpec } from '../src/index.ts';
import { ZoneIndex } from '../src/index.ts';
import { seededRandom } from '../test/seededRandom.ts';
import { nationalCorridors, nationalSet } from './nationalCorridors.ts';

const T = Date.UTC(2026, 0, 1);
const BUILDS = 3;
const REFERENCE_CORRIDORS = 1_000;
const CHANGES = 100;
const gc = (globalThis as { gc?: () => void }).gc;
const load = () => `load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
/** The JS heap and the typed arrays outside it (most of the index is typed arrays). */
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const { roads, zones } = nationalSet();
const vertices = zones.reduce((n, z) => n + (z.path?.length ?? 0), 0);
console.log(
  `national zones bench: ${zones.length.toLocaleString('en')} corridors (${vertices.toLocaleString('en')} vertices, 1–5 km, 30–100 m buffers, over 100–122°E 22–41°N), ` +
    `node ${process.version}, ${load()}`,
);

/** Wall and CPU (user + system, this process) milliseconds of building an index of `specs`. */
function build(specs: readonly ZoneSpec[], coversOnDemand: boolean): { index: ZoneIndex; wallMs: number; cpuMs: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const index = new ZoneIndex({ coversOnDemand, covers: null });
  for (const z of specs) index.designate(z, T);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { index, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

// Warm-up (JIT, h3-js) on zones not measured.
build(nationalCorridors(roads, 300, seededRandom(1), 'warm'), true);
build(nationalCorridors(roads, 20, seededRandom(2), 'warm'), false);

/** Garbage collected, typed arrays' memory included (it is released a moment after the collection). */
async function settle(): Promise<void> {
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc?.();
}

const wall: number[] = [];
const cpu: number[] = [];
let heapDelta = 0;
let rss = 0;
let index: ZoneIndex | null = null;
for (let round = 0; round < BUILDS; round++) {
  index = null;
  await settle();
  const before = used();
  const b = build(zones, true);
  wall.push(b.wallMs);
  cpu.push(b.cpuMs);
  if (round === 0) {
    // Memory of the first build: nothing freed by an earlier one is still around.
    await settle();
    heapDelta = used() - before;
    rss = process.memoryUsage().rss;
  }
  index = b.index;
  console.log(`  build ${round + 1}: ${(b.wallMs / 1000).toFixed(2)} s wall, ${(b.cpuMs / 1000).toFixed(2)} s CPU (${load()})`);
}
// The reference: the same index with every cover computed at designation (coversOnDemand off, the
// index before issue #21), on the first REFERENCE_CORRIDORS corridors, scaled to all of them (a full
// build takes minutes; the engine bench does one, for its reference).
const reference = build(zones.slice(0, REFERENCE_CORRIDORS), false);
const referenceCells = reference.index.stats().cells;
const scale = zones.length / REFERENCE_CORRIDORS;
console.log(
  `  reference: full covers, first ${REFERENCE_CORRIDORS.toLocaleString('en')} corridors: ${(reference.wallMs / 1000).toFixed(1)} s wall, ${(reference.cpuMs / 1000).toFixed(1)} s CPU, ` +
    `${referenceCells.toLocaleString('en')} H3 cells → ×${scale}: ~${((reference.wallMs * scale) / 1000).toFixed(0)} s wall, ~${((reference.cpuMs * scale) / 1000).toFixed(0)} s CPU (${load()})`,
);

const buildWall = median(wall);
const buildCpu = median(cpu);
const refWall = reference.wallMs * scale;
console.log(
  `  build, covers on demand (the engine's index): ${(buildWall / 1000).toFixed(2)} s wall, ${(buildCpu / 1000).toFixed(2)} s CPU (median of ${BUILDS}) | ` +
    `reference ~${(refWall / 1000).toFixed(0)} s wall → ${(buildWall / refWall).toFixed(3)}× | target ≤ 5 s: ${buildWall <= 5000 ? 'met' : 'MISSED'} (wall), ${buildCpu <= 5000 ? 'met' : 'MISSED'} (CPU)`,
);
if (gc) {
  console.log(
    `  memory (first build): the index's own JS heap + typed arrays (after gc, less before the build) ${mb(heapDelta)}; process RSS after the build ${mb(rss)} ` +
      `(the whole process: node, h3-js, the generated roads and specs) | target ≤ 700 MB: ${heapDelta <= 700e6 ? 'met' : 'MISSED'} (index), ${rss <= 700e6 ? 'met' : 'MISSED'} (RSS)`,
  );
} else {
  console.log('  memory: run with node --expose-gc to measure the index alone');
}
console.log(`  the issue's figures (other runs): before 69 s and 2.6 GB of heap; Tile38 0.95 s and 667 MB resident for the whole server`);

// Zone changes at runtime: the same designations, amendments (new geometry, same id) and
// revocations applied to an index of 200 zones and to the one of 20,000, alternately (so both see
// the same load); timed alone, then the queries the next fix there makes (zonesAt, stableUntil,
// crossingClearance), timed apart, so work a change leaves for later is counted too.
const small = build(zones.slice(0, 200), true).index;
// A middle size: cost that grows with the tables' size (cache misses) rather than with the zone count shows as a step, not a line.
const middle = build(zones.slice(0, 2_000), true).index;
const large = index as ZoneIndex;
const fresh = nationalCorridors(roads, CHANGES, seededRandom(77), 'new');
function probe(target: ZoneIndex, spec: ZoneSpec, t: number): number {
  const [lon, lat] = (spec.path as readonly (readonly [number, number])[])[0] as readonly [number, number];
  return target.zonesAt(lon, lat, t, 'accident-segment').length + target.stableUntil(t) + target.crossingClearance(lon, lat, 'accident-segment');
}
/** Applies the k-th change of a kind at t; the zone whose place the next fix is at. */
type Op = (target: ZoneIndex, k: number, t: number) => ZoneSpec;
const ops: [string, Op][] = [
  ['designate a new corridor', (target, k, t) => {
    target.designate(fresh[k] as ZoneSpec, t);
    return fresh[k] as ZoneSpec;
  }],
  ['amend a corridor (new path)', (target, k, t) => {
    const spec = { ...(fresh[k] as ZoneSpec), zoneId: (zones[k] as ZoneSpec).zoneId };
    target.designate(spec, t);
    return spec;
  }],
  ['revoke a corridor', (target, k, t) => {
    const spec = zones[100 + k] as ZoneSpec;
    if (!target.withdraw(spec.zoneId, t)) throw new Error(`${spec.zoneId} was not active`);
    return spec;
  }],
];
const us = (xs: readonly number[]) => `${median(xs).toFixed(1).padStart(6)} µs (mean ${mean(xs).toFixed(0)})`;
console.log(`  zone changes (${CHANGES} of each; medians; ${load()}):`);
let worst = 0;
for (let o = 0; o < ops.length; o++) {
  const [label, op] = ops[o] as [string, Op];
  const change = { small: [] as number[], middle: [] as number[], large: [] as number[] };
  const next = { small: [] as number[], middle: [] as number[], large: [] as number[] };
  for (let k = 0; k < CHANGES; k++) {
    const t = T + (o + 1) * 86_400_000 + k * 60_000;
    for (const [name, target] of [['small', small], ['middle', middle], ['large', large]] as const) {
      let t0 = performance.now();
      const spec = op(target, k, t);
      change[name].push((performance.now() - t0) * 1000);
      t0 = performance.now();
      probe(target, spec, t + 30_000);
      next[name].push((performance.now() - t0) * 1000);
    }
  }
  const ratio = median(change.large) / median(change.small);
  worst = Math.max(worst, ratio);
  console.log(
    `    ${label.padEnd(28)} the change: 20,000 zones ${us(change.large)} | 200 zones (reference) ${us(change.small)} → ${ratio.toFixed(2)}× ` +
      `| 2,000 zones ${us(change.middle)}: 20,000 / 2,000 → ${(median(change.large) / median(change.middle)).toFixed(2)}×`,
  );
  console.log(`    ${''.padEnd(28)} next fix's queries: 20,000 zones ${us(next.large)} | 200 zones ${us(next.small)} → ${(median(next.large) / median(next.small)).toFixed(2)}×`);
}
console.log(`  zone change cost, 20,000 / 200 zones: at most ${worst.toFixed(2)}× (proportional to the zone changed: ~1×; the next fix's queries read larger, colder tables)`);
console.log('  Tile38: not run on this machine (no Docker daemon; `go install github.com/tidwall/tile38/cmd/tile38-server@latest` was refused by the Go module proxy, 403).');
