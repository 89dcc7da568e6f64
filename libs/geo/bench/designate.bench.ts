// Cost of designating a zone, cold (cover computed) and warm (same geometry again: cover cache hit),
// against bare h3.polygonToCells of the same area measured in the same run.
// Run: npm run bench -w @dgt/geo
import { loadavg } from 'node:os';
import type { LonLat, ZoneSpec } from '../src/index.ts';
import { CoverCache, ZoneIndex, DEFAULT_H3_RESOLUTION } from '../src/index.ts';
import { cellsWithCentreIn } from '../src/h3Cells.ts';
import { zoneGeometry } from '../src/zoneGeometry.ts';
import { chemicalPark, offset } from '../test/taizhouZones.ts';

const ROUNDS = 7;

/** A winding 44 km road, a vertex every 100 m (an accident-segment corridor of Taizhou's size). */
function road(): [number, number][] {
  const out: [number, number][] = [];
  let p: LonLat = [121.1, 28.5];
  let heading = 0.3;
  for (let s = 0; s <= 44_000; s += 100) {
    out.push([p[0], p[1]]);
    heading += Math.sin(s / 3000) * 0.05;
    p = offset(p, 100 * Math.cos(heading), 100 * Math.sin(heading));
  }
  return out;
}

/** The corridor's outline (vertices offset ± bufferM along the local normal), for the H3 reference only. */
function outline(path: readonly LonLat[], bufferM: number): LonLat[] {
  const side = (sign: number) =>
    path.map((p, i) => {
      const a = path[Math.max(0, i - 1)] as LonLat;
      const b = path[Math.min(path.length - 1, i + 1)] as LonLat;
      const dx = (b[0] - a[0]) * Math.cos((p[1] * Math.PI) / 180);
      const dy = b[1] - a[1];
      const n = Math.hypot(dx, dy);
      return offset(p, (sign * -dy * bufferM) / n, (sign * dx * bufferM) / n);
    });
  return [...side(1), ...side(-1).reverse()];
}

const winding = road();
const roundPark = Array.from({ length: 40 }, (_, i) => {
  const a = (i / 40) * 2 * Math.PI;
  const r = 1200 * (0.8 + 0.2 * Math.sin(5 * a));
  return offset([121.46, 28.7], r * Math.cos(a), r * Math.sin(a));
});

const cases: ZoneSpec[] = [
  // The replay bench's zones (replay/bench/buildBenchStore.ts).
  { zoneId: 'replay-lot', kind: 'parking-lot', name: '2 × 2 km lot', datum: 'WGS84', polygon: [[121.1, 28.45], [121.12, 28.45], [121.12, 28.47], [121.1, 28.47]] },
  { zoneId: 'replay-seg', kind: 'accident-segment', name: '44 km straight, 80 m', datum: 'WGS84', path: [[121.2, 28.4], [121.2, 28.8]], bufferM: 80 },
  // Taizhou-like.
  { zoneId: 'corridor-150', kind: 'accident-segment', name: '44 km winding, 150 m, GCJ-02', datum: 'GCJ02', path: winding, bufferM: 150 },
  { zoneId: 'corridor-100', kind: 'accident-segment', name: '44 km winding, 100 m', datum: 'WGS84', path: winding, bufferM: 100 },
  { zoneId: 'corridor-200', kind: 'accident-segment', name: '44 km winding, 200 m', datum: 'WGS84', path: winding, bufferM: 200 },
  { ...chemicalPark, name: '3 × 2.2 km park, notched' },
  { zoneId: 'park-round', kind: 'chemical-park', name: '~4 km² park, 40 vertices', datum: 'WGS84', polygon: roundPark },
];

function referenceRing(zone: ZoneSpec): LonLat[] {
  const g = zoneGeometry(zone);
  return g.shape === 'polygon' ? [...g.polygon] : outline(g.path, g.bufferM);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

console.log(`designate bench: res ${DEFAULT_H3_RESOLUTION}, median of ${ROUNDS}, node ${process.version}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
// Warm up h3-js (wasm) and the JIT on a zone not measured.
for (let i = 0; i < 3; i++) new ZoneIndex({ covers: null }).designate({ ...chemicalPark, zoneId: 'warm-up' }, 0);

let coldTotal = 0, warmTotal = 0, refTotal = 0;
for (const zone of cases) {
  const ring = referenceRing(zone);
  let refCells = 0;
  const ref = median(Array.from({ length: ROUNDS }, () => time(() => (refCells = cellsWithCentreIn(ring, DEFAULT_H3_RESOLUTION).length))));
  let cells = 0;
  const cold = median(Array.from({ length: ROUNDS }, () => time(() => {
    const index = new ZoneIndex({ covers: new CoverCache() });
    index.designate(zone, 0);
    cells = index.stats().cells;
  })));
  const covers = new CoverCache();
  new ZoneIndex({ covers }).designate(zone, 0);
  const indexes = Array.from({ length: ROUNDS }, () => new ZoneIndex({ covers }));
  const warm = median(indexes.map((index) => time(() => index.designate(zone, 0))));
  coldTotal += cold;
  warmTotal += warm;
  refTotal += ref;
  console.log(
    `  ${zone.name.padEnd(32)} ${String(cells).padStart(6)} cells: cold ${cold.toFixed(1).padStart(6)} ms, warm ${warm.toFixed(2).padStart(5)} ms` +
      ` | polygonToCells ${ref.toFixed(1).padStart(5)} ms (${refCells} cells) | cold ${(cold / ref).toFixed(1)}×, warm ${(warm / ref).toFixed(2)}× reference`,
  );
}
console.log(`  all: cold ${coldTotal.toFixed(0)} ms, warm ${warmTotal.toFixed(1)} ms, reference ${refTotal.toFixed(0)} ms; cold/warm ${(coldTotal / warmTotal).toFixed(0)}×`);
