import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { pointToLineDistance } from '@turf/point-to-line-distance';
import { lineString, polygon as turfPolygon } from '@turf/helpers';
import type { LonLat, ZoneKind, ZoneSpec } from '../src/index.ts';
import { ZoneIndex, distanceToPathM, gcj02ToWgs84, pointInPolygon } from '../src/index.ts';
import { seededRandom } from './seededRandom.ts';
import { chemicalPark, lotA, lotC, lotGcj, offset, restrictedArea, segment, segmentApril, segmentGcj, waterSource } from './taizhouZones.ts';

const T0 = Date.UTC(2025, 2, 1); // March
const T1 = Date.UTC(2025, 3, 1); // April: seg-1 changes geometry
const T2 = Date.UTC(2025, 3, 15); // lot-c withdrawn
const QUERY_TIMES = [T0 - 1, T0, T0 + 86_400_000, T1 - 1, T1, T2 - 1, T2, T2 + 1e9];
const KINDS: readonly ZoneKind[] = ['parking-lot', 'accident-segment', 'chemical-park', 'restricted-area'];

/** The test's own record of what applies when, in WGS-84 (converted here, not by the index). */
interface Expected {
  zoneId: string;
  kind: ZoneKind;
  fromMs: number;
  toMs: number;
  polygon?: LonLat[];
  path?: LonLat[];
  bufferM?: number;
}

function wgs(spec: ZoneSpec, points: readonly LonLat[]): LonLat[] {
  return points.map((p) => (spec.datum === 'GCJ02' ? gcj02ToWgs84(p[0], p[1]) : [p[0], p[1]]));
}

function expected(spec: ZoneSpec, fromMs: number, toMs: number): Expected {
  return {
    zoneId: spec.zoneId, kind: spec.kind, fromMs, toMs,
    ...(spec.polygon ? { polygon: wgs(spec, spec.polygon) } : {}),
    ...(spec.path ? { path: wgs(spec, spec.path), bufferM: spec.bufferM as number } : {}),
  };
}

function closed(ring: readonly LonLat[]): [number, number][] {
  const r = ring.map((p): [number, number] => [p[0], p[1]]);
  const f = r[0] as [number, number];
  const l = r[r.length - 1] as [number, number];
  return f[0] === l[0] && f[1] === l[1] ? r : [...r, f];
}

describe('ZoneIndex exactness on Taizhou-sized zones', () => {
  // On demand, zones answered by their own exact test are designated without their H3 cells.
  it.each([
    ['covers computed at designation', {}],
    ['covers on demand', { coversOnDemand: true }],
  ])('agrees with the brute-force exact functions, and those with Turf, on every one of 100,000 points, most within 1 m of an edge (%s)', (_, options) => {
    const index = new ZoneIndex(options);
    for (const z of [lotA, lotC, lotGcj, chemicalPark, restrictedArea, waterSource, segment, segmentGcj]) index.designate(z, T0);
    index.designate(segmentApril, T1);
    expect(index.withdraw('lot-c', T2)).toBe(true);

    const versions: Expected[] = [
      expected(lotA, T0, Infinity), expected(lotC, T0, T2), expected(lotGcj, T0, Infinity), expected(chemicalPark, T0, Infinity), expected(restrictedArea, T0, Infinity), expected(waterSource, T0, Infinity),
      expected(segment, T0, T1), expected(segmentApril, T1, Infinity), expected(segmentGcj, T0, Infinity),
    ];
    // The index stores the same WGS-84 geometry the test derived independently.
    for (const v of versions) {
      const stored = index.versionAt(v.zoneId, v.fromMs);
      expect(stored?.toMs).toBe(v.toMs);
      expect(stored?.polygon ?? stored?.path).toEqual(v.polygon ?? v.path);
    }
    const turf = versions.map((v) =>
      v.polygon ? { polygon: turfPolygon([closed(v.polygon)]) } : { line: lineString((v.path as LonLat[]).map((p): [number, number] => [p[0], p[1]])) },
    );

    const rnd = seededRandom(20250301);
    // Polygons weigh double: Turf's path distance costs ~0.5 ms per call on a 60-vertex path.
    const weighted = versions.flatMap((v, i) => (v.polygon ? [i, i] : [i]));
    const points: { lon: number; lat: number; source: number; nearEdge: boolean }[] = [];
    const push = (p: readonly [number, number], source: number, nearEdge: boolean) => points.push({ lon: p[0], lat: p[1], source, nearEdge });
    const TOTAL = 100_000;
    while (points.length < TOTAL) {
      const source = weighted[Math.floor(rnd() * weighted.length)] as number;
      const v = versions[source] as Expected;
      const mode = rnd();
      if (v.polygon) {
        const ring = closed(v.polygon);
        const e = Math.floor(rnd() * (ring.length - 1));
        const a = ring[e] as LonLat;
        const b = ring[e + 1] as LonLat;
        const t = rnd();
        const on: [number, number] = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
        if (mode < 0.1) {
          push(on, source, true); // on the edge up to rounding: exercises the exact orientation predicate
        } else if (mode < 0.13) {
          push(a, source, true); // exactly a vertex
        } else if (mode < 0.75) {
          // Within 1 m of the edge, either side.
          const cos = Math.cos((a[1] * Math.PI) / 180);
          const dx = (b[0] - a[0]) * cos;
          const dy = b[1] - a[1];
          const len = Math.hypot(dx, dy);
          const s = rnd() * 2 - 1;
          push(offset(on, (-dy / len) * s, (dx / len) * s), source, true);
        } else {
          const lons = ring.map((p) => p[0]);
          const lats = ring.map((p) => p[1]);
          const [minLon, maxLon, minLat, maxLat] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
          const padLon = (maxLon - minLon) * 0.3;
          const padLat = (maxLat - minLat) * 0.3;
          push([minLon - padLon + rnd() * (maxLon - minLon + 2 * padLon), minLat - padLat + rnd() * (maxLat - minLat + 2 * padLat)], source, false);
        }
      } else {
        const path = v.path as LonLat[];
        const buffer = v.bufferM as number;
        const s = buffer + (rnd() * 2 - 1); // within 1 m of the buffer's edge
        if (mode < 0.6) {
          const e = Math.floor(rnd() * (path.length - 1));
          const a = path[e] as LonLat;
          const b = path[e + 1] as LonLat;
          const t = rnd();
          const on: [number, number] = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
          const cos = Math.cos((a[1] * Math.PI) / 180);
          const dx = (b[0] - a[0]) * cos;
          const dy = b[1] - a[1];
          const len = Math.hypot(dx, dy);
          const side = rnd() < 0.5 ? -1 : 1;
          push(offset(on, (-dy / len) * s * side, (dx / len) * s * side), source, true);
        } else if (mode < 0.75) {
          // Around a vertex, including the rounded caps at both ends.
          const k = rnd() < 0.5 ? (rnd() < 0.5 ? 0 : path.length - 1) : Math.floor(rnd() * path.length);
          const ang = rnd() * 2 * Math.PI;
          push(offset(path[k] as LonLat, Math.cos(ang) * s, Math.sin(ang) * s), source, true);
        } else {
          const a = path[Math.floor(rnd() * (path.length - 1))] as LonLat;
          const r = buffer * 3;
          push(offset(a, (rnd() * 2 - 1) * r, (rnd() * 2 - 1) * r), source, false);
        }
      }
    }

    // The reference skips versions whose box (grown by 200 m beyond the buffer) is far from the point:
    // such a point is certainly outside, and a full brute force over all of them would take minutes.
    const boxes = versions.map((v) => {
      const pts = v.polygon ?? (v.path as LonLat[]);
      const grow = (v.bufferM ?? 0) + 200;
      const lat = pts[0]?.[1] ?? 0;
      const dLat = grow / 111_000;
      const dLon = grow / (111_000 * Math.cos((lat * Math.PI) / 180));
      return {
        minLon: Math.min(...pts.map((p) => p[0])) - dLon, maxLon: Math.max(...pts.map((p) => p[0])) + dLon,
        minLat: Math.min(...pts.map((p) => p[1])) - dLat, maxLat: Math.max(...pts.map((p) => p[1])) + dLat,
      };
    });

    const indexMismatches: string[] = [];
    const turfMismatches: string[] = [];
    let inAnActiveZone = 0;
    let nearEdge = 0;
    let nearEdgeInside = 0;
    let multi = 0;
    let maxDistanceDiff = 0;
    let bitIdentical = 0;
    let polygonChecks = 0;
    let distanceChecks = 0;
    points.forEach(({ lon, lat, source, nearEdge: isNearEdge }, p) => {
      const t = QUERY_TIMES[p % QUERY_TIMES.length] as number;
      // Exact definitions per version; each polygon test near the point, and the path distance to the
      // path the point was drawn around, checked against Turf.
      const contains = versions.map((v, i) => {
        const box = boxes[i] as (typeof boxes)[number];
        if (lon < box.minLon || lon > box.maxLon || lat < box.minLat || lat > box.maxLat) return false;
        const tf = turf[i] as { polygon?: Parameters<typeof booleanPointInPolygon>[1]; line?: Parameters<typeof pointToLineDistance>[1] };
        if (v.polygon) {
          const ours = pointInPolygon(lon, lat, v.polygon);
          polygonChecks++;
          if (ours !== booleanPointInPolygon([lon, lat], tf.polygon as Parameters<typeof booleanPointInPolygon>[1])) {
            turfMismatches.push(`polygon ${v.zoneId} [${lon}, ${lat}]`);
          }
          return ours;
        }
        const buffer = v.bufferM as number;
        const ours = distanceToPathM(lon, lat, v.path as LonLat[]);
        if (i === source) {
          const theirs = pointToLineDistance([lon, lat], tf.line as Parameters<typeof pointToLineDistance>[1], { units: 'meters' });
          distanceChecks++;
          if (ours === theirs) bitIdentical++;
          maxDistanceDiff = Math.max(maxDistanceDiff, Math.abs(ours - theirs));
          if (ours <= buffer !== theirs <= buffer || Math.abs(ours - theirs) > 1e-9) {
            turfMismatches.push(`path ${v.zoneId} [${lon}, ${lat}] ours=${ours} turf=${theirs}`);
          }
        }
        return ours <= buffer;
      });
      if (isNearEdge) {
        nearEdge++;
        if (contains[source]) nearEdgeInside++;
      }
      let hits = 0;
      for (const kind of KINDS) {
        const want = [...new Set(versions.filter((v, i) => v.kind === kind && v.fromMs <= t && t < v.toMs && contains[i]).map((v) => v.zoneId))].sort();
        const got = index.zonesAt(lon, lat, t, kind);
        hits += want.length;
        if (want.join(',') !== got.join(',') || index.inAny(lon, lat, t, kind) !== want.length > 0) {
          indexMismatches.push(`${kind} [${lon}, ${lat}] t=${t}: want [${want.join(',')}] got [${got.join(',')}]`);
        }
      }
      if (hits > 0) inAnActiveZone++;
      if (hits > 1) multi++;
    });

    const stats = index.stats();
    console.log(
      `zone exactness: ${points.length} points, ${nearEdge} within 1 m of an edge (${nearEdgeInside} inside, ` +
        `${nearEdge - nearEdgeInside} outside); ${inAnActiveZone} in an active zone at their query time, ${multi} in 2+ zones; ` +
        `Turf checks: ${polygonChecks} polygon, ${distanceChecks} path distance (${bitIdentical} bit-identical, max |diff| ` +
        `${maxDistanceDiff} m); index ${JSON.stringify(stats)}; mismatches index=${indexMismatches.length} turf=${turfMismatches.length}`,
    );
    expect(points.length).toBeGreaterThanOrEqual(100_000);
    expect(nearEdge / points.length).toBeGreaterThan(0.5);
    expect(nearEdgeInside).toBeGreaterThan(nearEdge * 0.3);
    expect(nearEdge - nearEdgeInside).toBeGreaterThan(nearEdge * 0.3);
    expect(inAnActiveZone).toBeGreaterThan(points.length * 0.2);
    expect(multi).toBeGreaterThan(0);
    expect(polygonChecks).toBeGreaterThan(points.length * 0.5);
    expect(distanceChecks).toBeGreaterThan(points.length * 0.2);
    expect(stats.boundaryCells).toBeLessThan(stats.cells);
    expect(indexMismatches.slice(0, 10)).toEqual([]);
    expect(indexMismatches.length).toBe(0);
    expect(turfMismatches.slice(0, 10)).toEqual([]);
    expect(turfMismatches.length).toBe(0);
    expect(maxDistanceDiff).toBeLessThanOrEqual(1e-9);
  }, 180_000);
});
