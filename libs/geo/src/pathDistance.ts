import type { LonLat } from './types.ts';
import { EARTH_RADIUS_M, centralAngle, toDegrees, toRadians } from './haversine.ts';

// Distance from a point to a path = the great-circle distance on the sphere (R = 6371008.8 m) to the
// nearest point of the path, whose segments are great-circle arcs. This is exactly what
// @turf/point-to-line-distance computes with its default `method: 'geodesic'`: per segment,
// nearestPointOnLine projects onto the segment's great circle via 3-D unit vectors, clamps to the
// nearer endpoint when the projection falls outside the arc, and measures the haversine distance;
// the minimum is then converted degrees → metres. We replay the same floating-point operations in
// the same order (no allocation, endpoint vectors precomputed), so results are bit-identical to Turf
// and "inside the buffer" (distance ≤ bufferM) never differs between the two, not even at the edge.

/** Turf's factors.degrees: Turf measures in "degrees" of arc and converts to metres at the end. */
const DEG_PER_RAD = 360 / (2 * Math.PI);

/** A path with its unit vectors and great-circle axes precomputed. */
export interface PreparedPath {
  readonly segments: number;
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  /** Unit vector per point: x, y, z. */
  readonly vec: Float64Array;
  /** Per segment: cross(A, B), then the same normalised. */
  readonly axis: Float64Array;
  readonly axisNorm: Float64Array;
}

export function preparePath(path: readonly LonLat[]): PreparedPath {
  // A single point is a zero-length segment (Turf would refuse it; callers validate first).
  const pts = path.length === 1 ? [path[0] as LonLat, path[0] as LonLat] : path;
  const n = pts.length;
  const segments = Math.max(0, n - 1);
  // Views of one array: allocating a typed array's buffer costs more than filling a few dozen numbers,
  // and a national set of corridors prepares hundreds of thousands of them.
  const all = new Float64Array(5 * n + 6 * segments);
  const lon = all.subarray(0, n);
  const lat = all.subarray(n, 2 * n);
  const vec = all.subarray(2 * n, 5 * n);
  for (let i = 0; i < n; i++) {
    const p = pts[i] as LonLat;
    lon[i] = p[0];
    lat[i] = p[1];
    const la = toRadians(p[1]);
    const lo = toRadians(p[0]);
    vec[3 * i] = Math.cos(la) * Math.cos(lo);
    vec[3 * i + 1] = Math.cos(la) * Math.sin(lo);
    vec[3 * i + 2] = Math.sin(la);
  }
  const axis = all.subarray(5 * n, 5 * n + 3 * segments);
  const axisNorm = all.subarray(5 * n + 3 * segments, 5 * n + 6 * segments);
  for (let i = 0; i < segments; i++) {
    const a0 = vec[3 * i] as number, a1 = vec[3 * i + 1] as number, a2 = vec[3 * i + 2] as number;
    const b0 = vec[3 * i + 3] as number, b1 = vec[3 * i + 4] as number, b2 = vec[3 * i + 5] as number;
    const s0 = a1 * b2 - a2 * b1;
    const s1 = a2 * b0 - a0 * b2;
    const s2 = a0 * b1 - a1 * b0;
    axis[3 * i] = s0;
    axis[3 * i + 1] = s1;
    axis[3 * i + 2] = s2;
    const mag = Math.sqrt(Math.pow(s0, 2) + Math.pow(s1, 2) + Math.pow(s2, 2));
    axisNorm[3 * i] = s0 / mag;
    axisNorm[3 * i + 1] = s1 / mag;
    axisNorm[3 * i + 2] = s2 / mag;
  }
  return { segments, lon, lat, vec, axis, axisNorm };
}

/** The query point's unit vector, computed once per query and shared by all segments. */
export interface QueryPoint {
  lon: number;
  lat: number;
  x: number;
  y: number;
  z: number;
}

export function queryPoint(lon: number, lat: number, into: QueryPoint): QueryPoint {
  const la = toRadians(lat);
  const lo = toRadians(lon);
  into.lon = lon;
  into.lat = lat;
  into.x = Math.cos(la) * Math.cos(lo);
  into.y = Math.cos(la) * Math.sin(lo);
  into.z = Math.sin(la);
  return into;
}

/** Distance in degrees of arc from q to segment i: Turf's nearestPointOnLine on one segment. */
export function segmentDistanceDeg(path: PreparedPath, i: number, q: QueryPoint): number {
  const { lon, lat, vec, axis, axisNorm } = path;
  const aLon = lon[i] as number, aLat = lat[i] as number;
  const bLon = lon[i + 1] as number, bLat = lat[i + 1] as number;
  let iLon: number;
  let iLat: number;
  if (bLon === q.lon && bLat === q.lat) {
    iLon = bLon;
    iLat = bLat;
  } else if (aLon === q.lon && aLat === q.lat) {
    iLon = aLon;
    iLat = aLat;
  } else {
    const cx = q.x, cy = q.y, cz = q.z;
    const a0 = vec[3 * i] as number, a1 = vec[3 * i + 1] as number, a2 = vec[3 * i + 2] as number;
    const b0 = vec[3 * i + 3] as number, b1 = vec[3 * i + 4] as number, b2 = vec[3 * i + 5] as number;
    const s0 = axis[3 * i] as number, s1 = axis[3 * i + 1] as number, s2 = axis[3 * i + 2] as number;
    if (s0 === 0 && s1 === 0 && s2 === 0) {
      // Coincident (or antipodal) endpoints: Turf's choices, kept for agreement.
      if (a0 * b0 + a1 * b1 + a2 * b2 > 0) {
        iLon = bLon;
        iLat = bLat;
      } else {
        iLon = q.lon;
        iLat = q.lat;
      }
    } else {
      const t0 = s1 * cz - s2 * cy;
      const t1 = s2 * cx - s0 * cz;
      const t2 = s0 * cy - s1 * cx;
      if (t0 === 0 && t1 === 0 && t2 === 0) {
        iLon = bLon;
        iLat = bLat;
      } else {
        const ia0 = t1 * s2 - t2 * s1;
        const ia1 = t2 * s0 - t0 * s2;
        const ia2 = t0 * s1 - t1 * s0;
        const mag = Math.sqrt(Math.pow(ia0, 2) + Math.pow(ia1, 2) + Math.pow(ia2, 2));
        let i0 = ia0 / mag;
        let i1 = ia1 / mag;
        let i2 = ia2 / mag;
        const m0 = -i0, m1 = -i1, m2 = -i2;
        if (!(cx * i0 + cy * i1 + cz * i2 > cx * m0 + cy * m1 + cz * m2)) {
          i0 = m0;
          i1 = m1;
          i2 = m2;
        }
        const n0 = axisNorm[3 * i] as number, n1 = axisNorm[3 * i + 1] as number, n2 = axisNorm[3 * i + 2] as number;
        const cmpAI = (a1 * i2 - a2 * i1) * n0 + (a2 * i0 - a0 * i2) * n1 + (a0 * i1 - a1 * i0) * n2;
        const cmpIB = (i1 * b2 - i2 * b1) * n0 + (i2 * b0 - i0 * b2) * n1 + (i0 * b1 - i1 * b0) * n2;
        if (cmpAI >= 0 && cmpIB >= 0) {
          const zc = Math.min(Math.max(i2, -1), 1);
          iLat = toDegrees(Math.asin(zc));
          iLon = toDegrees(Math.atan2(i1, i0));
        } else if (a0 * cx + a1 * cy + a2 * cz > b0 * cx + b1 * cy + b2 * cz) {
          iLon = aLon;
          iLat = aLat;
        } else {
          iLon = bLon;
          iLat = bLat;
        }
      }
    }
  }
  return centralAngle(q.lon, q.lat, iLon, iLat) * DEG_PER_RAD;
}

/** Turf's final unit conversion (degrees of arc → metres), same operations. */
export function degreesOfArcToMetres(deg: number): number {
  return (deg / DEG_PER_RAD) * EARTH_RADIUS_M;
}

/** Minimum over the listed segments (all when `only` is null), in degrees of arc. */
export function preparedDistanceDeg(path: PreparedPath, q: QueryPoint, only: Int32Array | null): number {
  let best = Infinity;
  if (only === null) {
    for (let i = 0; i < path.segments; i++) {
      const d = segmentDistanceDeg(path, i, q);
      if (d < best) best = d;
    }
  } else {
    for (let k = 0; k < only.length; k++) {
      const d = segmentDistanceDeg(path, only[k] as number, q);
      if (d < best) best = d;
    }
  }
  return best;
}

/**
 * Great-circle distance in metres from a point to a path of great-circle arcs (see the comment at the
 * top of this file): equal to `pointToLineDistance(pt, line, { units: 'meters' })` of Turf.
 * An empty path is infinitely far; a single point is a zero-length path.
 */
export function distanceToPathM(lon: number, lat: number, path: readonly LonLat[]): number {
  if (path.length === 0) return Infinity;
  const prepared = preparePath(path);
  const q = queryPoint(lon, lat, { lon: 0, lat: 0, x: 0, y: 0, z: 0 });
  return degreesOfArcToMetres(preparedDistanceDeg(prepared, q, null));
}
