// The datum check behind counties.json (seeds/README.md, "Datum of the source"): how far the source's
// coastline lies from an independent WGS-84 coastline as given, after GCJ-02 → WGS-84, and which uniform
// shift fits best. Run once by hand; the reference is not a dependency:
//   npm pack @geo-maps/earth-seas-10m@0.6.0 && tar -xzf geo-maps-earth-seas-10m-0.6.0.tgz
//   npx tsx seeds/tools/coastlineOffset.ts --source <台州市.js> --reference package/map.geo.json
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { gcj02ToWgs84 } from '@dgt/geo';
import { checkSourceDigest } from './buildCounties.ts';
import { decodeEchartsMap, parseRegisterMapScript } from './echartsMapDecode.ts';

type Point = [number, number];

/** Only the sea east of this longitude: the western outline is land borders with other prefectures. */
const EAST_OF = 120.95;
/** Vertices farther than this from the reference coast (either way) are on land borders, not the coast. */
const COAST_M = 3000;
const BOX = { minLon: 120.9, minLat: 27.9, maxLon: 122.3, maxLat: 29.4 };
const CELL = 0.02;
const M_PER_DEG_LAT = 111_195;
const M_PER_DEG_LON = M_PER_DEG_LAT * Math.cos((28.6 * Math.PI) / 180);

const { values } = parseArgs({
  options: { source: { type: 'string' }, reference: { type: 'string' } },
});
if (!values.source || !values.reference) {
  process.stderr.write(
    'usage: npx tsx seeds/tools/coastlineOffset.ts --source <台州市.js> --reference <earth-seas map.geo.json>\n',
  );
  process.exit(2);
}

const bytes = readFileSync(values.source);
checkSourceDigest(bytes);
const { mapName, geoJson } = parseRegisterMapScript(bytes.toString('utf8'));
const map = decodeEchartsMap(mapName, geoJson);

// Outer boundary = edges that no other ring shares (shared edges are borders between counties).
const rings = map.features.flatMap((f) => f.polygons.flat());
const edgeKey = (a: Point, b: Point) => `${a[0]},${a[1]},${b[0]},${b[1]}`;
const edgeUses = new Map<string, number>();
for (const ring of rings) {
  for (let i = 0; i + 1 < ring.length; i++) {
    for (const k of [
      edgeKey(ring[i] as Point, ring[i + 1] as Point),
      edgeKey(ring[i + 1] as Point, ring[i] as Point),
    ]) {
      edgeUses.set(k, (edgeUses.get(k) ?? 0) + 1);
    }
  }
}
const outer: Point[] = [];
for (const ring of rings) {
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x, y] = ring[i] as Point;
    if (
      edgeUses.get(edgeKey(ring[i] as Point, ring[i + 1] as Point)) === 1 &&
      x / map.scale > EAST_OF
    ) {
      outer.push([x / map.scale, y / map.scale]);
    }
  }
}

// Reference segments near Taizhou, bucketed by cell.
const reference = JSON.parse(readFileSync(values.reference, 'utf8')) as {
  geometries?: { type: string; coordinates: unknown }[];
};
const buckets = new Map<string, number[][]>();
const cellKey = (cx: number, cy: number) => `${cx},${cy}`;
for (const g of reference.geometries ?? []) {
  const polygons = (
    g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []
  ) as Point[][][];
  for (const ring of polygons.flat()) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax, ay] = ring[i] as Point;
      const [bx, by] = ring[i + 1] as Point;
      if (
        Math.max(ax, bx) < BOX.minLon ||
        Math.min(ax, bx) > BOX.maxLon ||
        Math.max(ay, by) < BOX.minLat ||
        Math.min(ay, by) > BOX.maxLat
      )
        continue;
      for (
        let cx = Math.floor(Math.min(ax, bx) / CELL);
        cx <= Math.floor(Math.max(ax, bx) / CELL);
        cx++
      ) {
        for (
          let cy = Math.floor(Math.min(ay, by) / CELL);
          cy <= Math.floor(Math.max(ay, by) / CELL);
          cy++
        ) {
          const list = buckets.get(cellKey(cx, cy)) ?? [];
          list.push([ax, ay, bx, by]);
          buckets.set(cellKey(cx, cy), list);
        }
      }
    }
  }
}
if (buckets.size === 0) throw new Error(`${values.reference}: no coastline near Taizhou`);

/** Metres to the nearest reference segment within 3 cells (~6 km), else Infinity. */
function distanceM([lon, lat]: Point): number {
  let best = Infinity;
  const cx0 = Math.floor(lon / CELL);
  const cy0 = Math.floor(lat / CELL);
  for (let cx = cx0 - 3; cx <= cx0 + 3; cx++) {
    for (let cy = cy0 - 3; cy <= cy0 + 3; cy++) {
      for (const [ax, ay, bx, by] of buckets.get(cellKey(cx, cy)) ?? []) {
        const ux = ((bx as number) - (ax as number)) * M_PER_DEG_LON;
        const uy = ((by as number) - (ay as number)) * M_PER_DEG_LAT;
        const wx = (lon - (ax as number)) * M_PER_DEG_LON;
        const wy = (lat - (ay as number)) * M_PER_DEG_LAT;
        const len = ux * ux + uy * uy;
        const s = len > 0 ? Math.max(0, Math.min(1, (ux * wx + uy * wy) / len)) : 0;
        best = Math.min(best, Math.hypot(wx - s * ux, wy - s * uy));
      }
    }
  }
  return best;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const converted = (p: Point) => gcj02ToWgs84(p[0], p[1]);
const coast = outer.filter((p) => distanceM(p) < COAST_M && distanceM(converted(p)) < COAST_M);
const asGiven = median(coast.map(distanceM));
const asGcj = median(coast.map((p) => distanceM(converted(p))));
let best = { dLon: 0, dLat: 0, m: Infinity };
for (let i = -20; i <= 20; i++) {
  for (let j = -20; j <= 20; j++) {
    const m = median(coast.map(([lon, lat]) => distanceM([lon + i * 0.0005, lat + j * 0.0005])));
    if (m < best.m) best = { dLon: i * 0.0005, dLat: j * 0.0005, m };
  }
}
const shifts = coast.map((p) => [converted(p)[0] - p[0], converted(p)[1] - p[1]]);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
process.stdout.write(
  [
    `coastal vertices compared: ${coast.length}`,
    `median distance as given (WGS-84 hypothesis): ${asGiven.toFixed(0)} m`,
    `median distance after GCJ-02 -> WGS-84:       ${asGcj.toFixed(0)} m`,
    `best uniform shift: ${best.dLon.toFixed(4)} deg lon, ${best.dLat.toFixed(4)} deg lat (median ${best.m.toFixed(0)} m)`,
    `GCJ-02 -> WGS-84 shift here (mean): ${mean(shifts.map((s) => s[0] as number)).toFixed(4)} deg lon, ${mean(shifts.map((s) => s[1] as number)).toFixed(4)} deg lat`,
  ].join('\n') + '\n',
);
