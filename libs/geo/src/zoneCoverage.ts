import type { LonLat } from './types.ts';
import type { Box } from './degreeMargins.ts';
import type { PreparedPath } from './pathDistance.ts';
import type { ZoneCover } from './zoneCover.ts';
import { ZoneGeometryError } from './errors.ts';
import { averageEdgeLengthM, cellAndNeighbours, cellGeometry, cellOf } from './h3Cells.ts';
import { enlargeBox, greatCircleBulgeM, metresToDegreesLat } from './degreeMargins.ts';
import { lineMayTouchBox } from './lineBox.ts';
import { degreesOfArcToMetres, queryPoint, segmentDistanceDeg } from './pathDistance.ts';
import { pointInPolygon } from './pointInPolygon.ts';
import { SegmentBins } from './segmentBins.ts';
import { buildZoneCover } from './zoneCover.ts';

// How a zone becomes H3 cells, rigorously:
// - Candidates: a flood fill from the cells of the zone's vertices through neighbours, continuing
//   from every cell that MAY meet the zone. The cells meeting a connected zone are connected through
//   shared edges/vertices, and the "may meet" test below is conservative, so every cell that can hold
//   a zone point is reached and kept.
// - Buffer zones: D(p) = distance to the path is 1-Lipschitz and every point of a cell lies within its
//   circumradius r of the centre c (cell edges are great-circle arcs, so the cell sits in that cap).
//   Hence D(c) > buffer + r + margin ⇒ no point of the cell is in the zone; D(c) < buffer − r − margin
//   ⇒ all are ("interior", answered without an exact test); otherwise "boundary" and the exact test
//   runs on the segments with d_s(c) ≤ buffer + r + margin only — any other segment is farther than
//   buffer + margin from every point of the cell, so it can never decide membership.
// - Polygon zones: membership is planar in lon/lat, so a cell is boxed in lon/lat (its vertex box
//   plus the margin). No ring edge touching the box ⇒ ray-casting parity is constant on it, decided
//   by the centre: interior or outside. Any edge touching it ⇒ boundary, exact test.
// The margin (2 m, plus 1 % on r) dwarfs floating-point error (nanometres; ≤ 0.4 m for the shortest
// allowed path segment of 1 cm) and H3's own rounding at cell edges.

export const SAFETY_MARGIN_M = 2;
const RADIUS_SLACK = 1.01;
/** A zone larger than this is a data error (≈ 4,000 km² at res 11), not something to index. */
const MAX_CELLS_PER_ZONE = 2_000_000;

/**
 * Whether the cover of a zone all of whose points lie in `reach` (a lon/lat box) can be refused as
 * ZONE_TOO_LARGE at `res`: false only when it provably cannot. Every kept cell meets the box grown by
 * the zone's buffer, the margin and a cell's reach, so there are at most that area over the smallest
 * cell's area of them (H3 cells of one resolution differ in area by less than 2×; a quarter of the
 * average is taken). What lets an index leave a cover it never reads uncomputed without ever
 * accepting a zone that computing it would refuse.
 */
export function mayExceedCellLimit(reach: Box, bufferM: number, res: number): boolean {
  const edgeM = averageEdgeLengthM(res);
  const padM = bufferM + SAFETY_MARGIN_M + 8 * edgeM;
  const grown = enlargeBox(reach, padM);
  if (!Number.isFinite(grown.minLon + grown.minLat + grown.maxLon + grown.maxLat)) return true;
  const metresPerDegree = degreesOfArcToMetres(1);
  const widthM = (grown.maxLon - grown.minLon) * metresPerDegree;
  const heightM = (grown.maxLat - grown.minLat) * metresPerDegree;
  const smallestCellM2 = (3 * Math.sqrt(3) * edgeM * edgeM) / 2 / 4;
  return (widthM * heightM) / smallestCellM2 > MAX_CELLS_PER_ZONE;
}

/** Accumulates the kept cells of a flood fill, boxes flat (minLon, minLat, maxLon, maxLat per cell). */
class CoverBuilder {
  readonly cells: string[] = [];
  readonly interior: boolean[] = [];
  readonly segments: (Int32Array | null)[] = [];
  private boxes = new Float64Array(4 * 1024);

  /** Keeps `cell`; `box` is its lon/lat box enlarged by the safety margin. */
  keep(cell: string, interior: boolean, segments: Int32Array | null, box: Box): void {
    const i = this.cells.length;
    this.cells.push(cell);
    this.interior.push(interior);
    this.segments.push(segments);
    if (4 * i + 4 > this.boxes.length) {
      const grown = new Float64Array(this.boxes.length * 2);
      grown.set(this.boxes);
      this.boxes = grown;
    }
    this.boxes[4 * i] = box.minLon;
    this.boxes[4 * i + 1] = box.minLat;
    this.boxes[4 * i + 2] = box.maxLon;
    this.boxes[4 * i + 3] = box.maxLat;
  }

  build(): ZoneCover {
    return buildZoneCover(this.cells, this.interior, this.segments, this.boxes);
  }
}

/** Classifies one candidate cell, keeping it in `out` if it may meet the zone; true if kept. */
type Classify = (cell: string, out: CoverBuilder) => boolean;

function floodFill(zoneId: string, seeds: readonly string[], classify: Classify): ZoneCover {
  const visited = new Set<string>(seeds);
  const queue = [...visited];
  const out = new CoverBuilder();
  for (let head = 0; head < queue.length; head++) {
    const cell = queue[head] as string;
    if (!classify(cell, out)) continue;
    if (out.cells.length > MAX_CELLS_PER_ZONE) {
      throw new ZoneGeometryError('ZONE_TOO_LARGE', zoneId, `covers more than ${MAX_CELLS_PER_ZONE} H3 cells`);
    }
    for (const next of cellAndNeighbours(cell)) {
      if (!visited.has(next)) {
        visited.add(next);
        queue.push(next);
      }
    }
  }
  return out.build();
}

/** The lon/lat box of a set of points (empty: an inverted, infinite box). */
export function boxOf(points: readonly LonLat[]): Box {
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (const [lon, lat] of points) {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }
  return { minLon, minLat, maxLon, maxLat };
}

export function coverPolygon(zoneId: string, polygon: readonly LonLat[], res: number): ZoneCover {
  const first = polygon[0] as LonLat;
  const last = polygon[polygon.length - 1] as LonLat;
  const ring = first[0] === last[0] && first[1] === last[1] ? polygon : [...polygon, first];
  const edges = ring.length - 1;
  const extent = boxOf(ring);
  const bins = new SegmentBins(extent, metresToDegreesLat(4 * averageEdgeLengthM(res)), edges);
  for (let i = 0; i < edges; i++) bins.add(i, boxOf([ring[i] as LonLat, ring[i + 1] as LonLat]));

  return floodFill(zoneId, ring.map(([lon, lat]) => cellOf(lon, lat, res)), (cell, out) => {
    const g = cellGeometry(cell);
    const box = enlargeBox(g, SAFETY_MARGIN_M);
    for (const i of bins.overlapping(box)) {
      const a = ring[i] as LonLat;
      const b = ring[i + 1] as LonLat;
      if (lineMayTouchBox(a[0], a[1], b[0], b[1], box.minLon, box.minLat, box.maxLon, box.maxLat)) {
        out.keep(cell, false, null, box);
        return true;
      }
    }
    if (!pointInPolygon(g.lon, g.lat, polygon)) return false;
    out.keep(cell, true, null, box);
    return true;
  });
}

export function coverBuffer(zoneId: string, path: readonly LonLat[], prepared: PreparedPath, bufferM: number, res: number): ZoneCover {
  // Cells here are far smaller than this; a larger one (never seen) just checks every segment.
  const radiusBoundM = 3 * averageEdgeLengthM(res);
  const reachM = bufferM + radiusBoundM * RADIUS_SLACK + SAFETY_MARGIN_M;
  const segmentBoxes: Box[] = [];
  for (let i = 0; i < prepared.segments; i++) {
    const a = path[i] as LonLat;
    const b = path[i + 1] as LonLat;
    segmentBoxes.push(enlargeBox(boxOf([a, b]), reachM + greatCircleBulgeM(b[0] - a[0])));
  }
  const extent = boxOf(segmentBoxes.flatMap((b): LonLat[] => [[b.minLon, b.minLat], [b.maxLon, b.maxLat]]));
  const bins = new SegmentBins(extent, metresToDegreesLat(Math.max(reachM, 100)), prepared.segments);
  segmentBoxes.forEach((box, i) => bins.add(i, box));
  const all = Array.from({ length: prepared.segments }, (_, i) => i);
  const q = { lon: 0, lat: 0, x: 0, y: 0, z: 0 };
  // Reused for every cell; candidates come ascending (bins are filled in segment order), so it is too.
  const relevant = new Int32Array(prepared.segments);

  return floodFill(zoneId, path.map(([lon, lat]) => cellOf(lon, lat, res)), (cell, out) => {
    const g = cellGeometry(cell);
    const r = g.radiusM * RADIUS_SLACK;
    const candidates = r <= radiusBoundM ? bins.at(g.lon, g.lat) : all;
    queryPoint(g.lon, g.lat, q);
    const keepWithin = bufferM + r + SAFETY_MARGIN_M;
    let count = 0;
    let nearest = Infinity;
    for (let k = 0; k < candidates.length; k++) {
      const i = candidates[k] as number;
      const d = degreesOfArcToMetres(segmentDistanceDeg(prepared, i, q));
      nearest = Math.min(nearest, d);
      if (d <= keepWithin) relevant[count++] = i;
    }
    if (count === 0) return false;
    const box = enlargeBox(g, SAFETY_MARGIN_M);
    if (nearest < bufferM - r - SAFETY_MARGIN_M) out.keep(cell, true, null, box);
    else out.keep(cell, false, relevant.slice(0, count), box);
    return true;
  });
}
