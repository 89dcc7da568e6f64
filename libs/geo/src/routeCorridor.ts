import { enlargeBox, greatCircleBulgeM } from './degreeMargins.ts';
import { gcj02ToWgs84 } from './gcj02.ts';
import { EARTH_RADIUS_M } from './haversine.ts';
import { degreesOfArcToMetres, preparePath, type QueryPoint, queryPoint, segmentDistanceDeg } from './pathDistance.ts';
import type { Datum, LonLat } from './types.ts';

/*
 * A waybill's declared route and its tolerance, asked once per fix of a laden vehicle: "is this fix
 * off the route, and by how much?". The distance is the exact point-to-path distance of
 * `distanceToPathM` (great-circle arcs on the sphere, the same floating-point operations), so a fix
 * is within tolerance here exactly when `distanceToPathM(...) <= toleranceM`.
 *
 * A vehicle follows its route segment after segment, so the segment that held its last fix (and
 * the next ones) is asked first; every segment keeps its box enlarged by the tolerance and the
 * arc's bulge, so a segment whose box does not hold the point cannot be within the tolerance of it
 * and is never measured. Most answers need no trigonometry: each segment also keeps a local plane
 * (equirectangular at its mid-latitude, metres) and a margin bounding how far a planar distance can
 * be from the true one for any point of its box. A planar distance below tolerance − margin is
 * within, one above tolerance + margin is not; only the band between is measured exactly (and a fix
 * off the route, whose distance is evidence, against every segment). The margin (`planarMarginM`)
 * is a proven bound, doubled; a segment it cannot bound (long, or polar) is always measured exactly.
 *
 * A fleet holds one corridor per routed waybill under way, so it is one flat array of numbers per
 * route (about 100 bytes a point): the unit vectors an exact measurement needs are rebuilt for the
 * one segment measured, with the same operations as `preparePath`, so results are the same bits.
 */

const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;
/** Segments longer than this, or boxes reaching beyond this latitude, are always measured exactly. */
const PLANAR_MAX_LENGTH_M = 50_000;
const PLANAR_MAX_LAT = 80;
/** Numbers kept per segment: its start (lon, lat), box (4), plane (kx, dx, dy), margin (NaN: measure exactly). */
const STRIDE = 10;

/**
 * How far (m) a distance measured in the equirectangular plane of a segment (scale cos φ0 at its
 * mid-latitude φ0) can differ from the great-circle distance, for points and segment inside a box
 * of half-height `halfLatDeg` around φ0 and reaching |φ| ≤ `maxAbsLatDeg`, distances up to `reachM`:
 * - east–west scale: |cos φ − cos φ0| / cos φ ≤ tan φmax · |φ − φ0|, a relative error on every
 *   east–west component;
 * - the plane against the sphere over `reachM`: relative (reachM / R)², below 1e-4 here;
 * - the arc against its chord: at most `greatCircleBulgeM` of the segment's Δλ.
 * Doubled, plus a metre for rounding.
 */
export function planarMarginM(halfLatDeg: number, maxAbsLatDeg: number, reachM: number, dLonDeg: number): number {
  const rel = Math.tan((maxAbsLatDeg * Math.PI) / 180) * ((halfLatDeg * Math.PI) / 180) + 1e-4;
  return 2 * (rel * reachM + greatCircleBulgeM(dLonDeg)) + 1;
}

export class RouteCorridor {
  readonly toleranceM: number;
  readonly segments: number;
  /** Per segment STRIDE numbers, then the last point's lon, lat. */
  private readonly data: Float64Array;
  private readonly q: QueryPoint = { lon: 0, lat: 0, x: 0, y: 0, z: 0 };
  /** Whether `q` holds the point being asked about (computed only when a segment needs it). */
  private qReady = false;
  /** The segment that held the last point within tolerance: where the next search starts. */
  private hit = 0;

  constructor(path: readonly LonLat[], toleranceM: number, datum: Datum = 'WGS84') {
    // The waybill schema guarantees both: these are caller bugs.
    if (path.length < 2) throw new RangeError('a route needs at least 2 points');
    if (!(toleranceM > 0) || !Number.isFinite(toleranceM)) throw new RangeError(`route tolerance must be a positive number of metres, got ${toleranceM}`);
    this.toleranceM = toleranceM;
    const pts = datum === 'GCJ02' ? path.map((p) => gcj02ToWgs84(p[0], p[1]) as LonLat) : path;
    const n = pts.length - 1;
    this.segments = n;
    const d = (this.data = new Float64Array(STRIDE * n + 2));
    for (let i = 0; i < n; i++) {
      const [aLon, aLat] = pts[i] as LonLat;
      const [bLon, bLat] = pts[i + 1] as LonLat;
      const box = enlargeBox(
        { minLon: Math.min(aLon, bLon), minLat: Math.min(aLat, bLat), maxLon: Math.max(aLon, bLon), maxLat: Math.max(aLat, bLat) },
        // 1 m beyond the tolerance: what is measured as within it lies inside the box, rounding included.
        toleranceM + 1 + greatCircleBulgeM(bLon - aLon),
      );
      const midLat = (aLat + bLat) / 2;
      const kx = Math.cos((midLat * Math.PI) / 180) * M_PER_DEG;
      const dx = (bLon - aLon) * kx;
      const dy = (bLat - aLat) * M_PER_DEG;
      const len = Math.sqrt(dx * dx + dy * dy);
      const maxAbsLat = Math.max(Math.abs(box.minLat), Math.abs(box.maxLat));
      const usable = len <= PLANAR_MAX_LENGTH_M && maxAbsLat <= PLANAR_MAX_LAT;
      const margin = planarMarginM(Math.max(box.maxLat - midLat, midLat - box.minLat), maxAbsLat, toleranceM + len, bLon - aLon);
      const o = STRIDE * i;
      d[o] = aLon;
      d[o + 1] = aLat;
      d[o + 2] = box.minLon;
      d[o + 3] = box.minLat;
      d[o + 4] = box.maxLon;
      d[o + 5] = box.maxLat;
      d[o + 6] = kx;
      d[o + 7] = dx;
      d[o + 8] = dy;
      d[o + 9] = usable ? margin : Number.NaN;
    }
    const last = pts[n] as LonLat;
    d[STRIDE * n] = last[0];
    d[STRIDE * n + 1] = last[1];
  }

  /** Point `i` of the route, WGS-84. */
  point(i: number): LonLat {
    const o = i < this.segments ? STRIDE * i : STRIDE * this.segments;
    return [this.data[o] as number, this.data[o + 1] as number];
  }

  /** Null when the point lies within the tolerance of the route; otherwise its distance (m) to the route. */
  beyond(lon: number, lat: number): number | null {
    this.qReady = false;
    const n = this.segments;
    const start = this.hit;
    // From the last segment on (a vehicle moves forward along its route), wrapping round: the first
    // within tolerance settles it (which one does not change the answer, only how soon it comes).
    for (let k = 0; k < n; k++) {
      const i = (start + k) % n;
      if (this.within(i, lon, lat)) {
        this.hit = i;
        return null;
      }
    }
    return this.distanceM(lon, lat);
  }

  private within(i: number, lon: number, lat: number): boolean {
    const d = this.data;
    const o = STRIDE * i;
    if (lon < (d[o + 2] as number) || lat < (d[o + 3] as number) || lon > (d[o + 4] as number) || lat > (d[o + 5] as number)) return false;
    const px = (lon - (d[o] as number)) * (d[o + 6] as number);
    const py = (lat - (d[o + 1] as number)) * M_PER_DEG;
    const margin = d[o + 9] as number;
    // NaN compares false both ways: such a segment always goes to the exact measurement.
    if (margin === margin) {
      const dx = d[o + 7] as number;
      const dy = d[o + 8] as number;
      const len2 = dx * dx + dy * dy;
      const t = len2 > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy) / len2)) : 0;
      const ex = px - t * dx;
      const ey = py - t * dy;
      const d2 = ex * ex + ey * ey;
      const tol = this.toleranceM;
      const inner = tol - margin;
      if (inner > 0 && d2 <= inner * inner) return true;
      if (d2 > (tol + margin) * (tol + margin)) return false;
    }
    // In the band the plane cannot decide: the exact distance.
    return this.exactM(i, lon, lat) <= this.toleranceM;
  }

  /** The exact distance (m) from the point to segment `i`: its vectors rebuilt as preparePath builds them. */
  private exactM(i: number, lon: number, lat: number): number {
    if (!this.qReady) {
      queryPoint(lon, lat, this.q);
      this.qReady = true;
    }
    const segment = preparePath([this.point(i), this.point(i + 1)]);
    return degreesOfArcToMetres(segmentDistanceDeg(segment, 0, this.q));
  }

  /** The exact distance (m) from the point to the route, every segment measured. */
  distanceM(lon: number, lat: number): number {
    const q = queryPoint(lon, lat, this.q);
    this.qReady = true;
    const pts: LonLat[] = [];
    for (let i = 0; i <= this.segments; i++) pts.push(this.point(i));
    const prepared = preparePath(pts);
    let best = Infinity;
    for (let i = 0; i < this.segments; i++) {
      const dd = segmentDistanceDeg(prepared, i, q);
      if (dd < best) best = dd;
    }
    return degreesOfArcToMetres(best);
  }
}
