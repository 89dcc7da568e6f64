// zonesAt throughput vs a bare H3 lookup (cellOf), on a realistic Taizhou zone set.
// Run: npm run bench -w @dgt/geo
import type { LonLat, ZoneKind, ZoneSpec } from '../src/index.ts';
import { ZoneIndex, cellOf, DEFAULT_H3_RESOLUTION } from '../src/index.ts';
import { seededRandom } from '../test/seededRandom.ts';
import { offset } from '../test/taizhouZones.ts';

const rnd = seededRandom(42);
const T = Date.UTC(2025, 2, 1);
const inTaizhou = (): LonLat => [120.7 + rnd() * 1.1, 28.1 + rnd() * 1.1];

function polygonAround(centre: LonLat, radiusM: number, vertices: number): [number, number][] {
  return Array.from({ length: vertices }, (_, i) => {
    const a = (i / vertices) * 2 * Math.PI;
    const r = radiusM * (0.7 + 0.3 * rnd());
    return offset(centre, r * Math.cos(a), r * Math.sin(a));
  });
}

function roadPath(lengthM: number): [number, number][] {
  let p: LonLat = inTaizhou();
  let heading = rnd() * 2 * Math.PI;
  const out: [number, number][] = [[p[0], p[1]]];
  for (let s = 0; s < lengthM; s += 100) {
    heading += (rnd() - 0.5) * 0.3;
    p = offset(p, 100 * Math.cos(heading), 100 * Math.sin(heading));
    out.push([p[0], p[1]]);
  }
  return out;
}

const zones: ZoneSpec[] = [];
for (let i = 0; i < 250; i++) {
  zones.push({ zoneId: `lot-${i}`, kind: 'parking-lot', name: 'lot', datum: i % 3 === 0 ? 'GCJ02' : 'WGS84', polygon: polygonAround(inTaizhou(), 100 + rnd() * 150, 6) });
}
for (let i = 0; i < 100; i++) {
  const lengthM = 1000 * Math.exp(rnd() * Math.log(40)); // log-uniform 1–40 km
  zones.push({ zoneId: `seg-${i}`, kind: 'accident-segment', name: 'seg', datum: 'WGS84', path: roadPath(lengthM), bufferM: 30 + rnd() * 170 });
}
for (let i = 0; i < 8; i++) {
  zones.push({ zoneId: `park-${i}`, kind: 'chemical-park', name: 'park', datum: 'WGS84', polygon: polygonAround(inTaizhou(), 1500, 40) });
}

let t0 = performance.now();
const index = new ZoneIndex();
for (const z of zones) index.designate(z, T);
const buildMs = performance.now() - t0;
const s = index.stats();
const roadKm = zones.reduce((km, z) => km + ((z.path?.length ?? 1) - 1) * 0.1, 0);
console.log(`res ${DEFAULT_H3_RESOLUTION}: ${zones.length} zones (${roadKm.toFixed(0)} km of accident segments), built in ${buildMs.toFixed(0)} ms: ${JSON.stringify(s)}`);

const N = 2_000_000;
function uniformPositions(): Float64Array {
  const xy = new Float64Array(2 * N);
  for (let i = 0; i < N; i++) {
    const [lon, lat] = inTaizhou();
    xy[2 * i] = lon;
    xy[2 * i + 1] = lat;
  }
  return xy;
}
/** Vehicles on the accident-segment roads: within 300 m of a segment vertex. */
function onRoadPositions(): Float64Array {
  const segs = zones.filter((z) => z.path);
  const xy = new Float64Array(2 * N);
  for (let i = 0; i < N; i++) {
    const path = segs[Math.floor(rnd() * segs.length)]?.path as LonLat[];
    const [lon, lat] = offset(path[Math.floor(rnd() * path.length)] as LonLat, (rnd() - 0.5) * 600, (rnd() - 0.5) * 600);
    xy[2 * i] = lon;
    xy[2 * i + 1] = lat;
  }
  return xy;
}

function rate(label: string, xy: Float64Array, fn: (lon: number, lat: number) => number): number {
  fn(xy[0] as number, xy[1] as number);
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += fn(xy[2 * i] as number, xy[2 * i + 1] as number); // warm-up
  t0 = performance.now();
  for (let i = 0; i < N; i++) sink += fn(xy[2 * i] as number, xy[2 * i + 1] as number);
  const perSec = N / ((performance.now() - t0) / 1000);
  console.log(`  ${label.padEnd(44)} ${(perSec / 1e6).toFixed(2)} M/s  (sink ${sink})`);
  return perSec;
}

const kinds: ZoneKind[] = ['parking-lot', 'accident-segment', 'chemical-park'];
for (const [scenario, xy] of [['uniform over Taizhou', uniformPositions()], ['on accident-segment roads (±300 m)', onRoadPositions()]] as const) {
  console.log(`${scenario}, ${N} positions:`);
  const ref = rate('cellOf (bare h3.latLngToCell, reference)', xy, (lon, lat) => cellOf(lon, lat, DEFAULT_H3_RESOLUTION).length);
  const seg = rate("zonesAt(…, 'accident-segment')", xy, (lon, lat) => index.zonesAt(lon, lat, T, 'accident-segment').length);
  const all = rate('zonesAt × 3 kinds', xy, (lon, lat) => {
    let n = 0;
    for (const k of kinds) n += index.zonesAt(lon, lat, T, k).length;
    return n;
  });
  console.log(`  ratios to cellOf: accident-segment ${(seg / ref).toFixed(2)}×, three kinds ${(all / ref).toFixed(2)}×`);
}
