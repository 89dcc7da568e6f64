import type { LonLat } from './geography.ts';
import { pointSegmentDistance, toXY } from './planar.ts';

/*
 * Distance from a fix to a declared route, on the sphere. The planar geometry of planar.ts is off
 * by up to half a percent across the region (one reference latitude), metres at a 500 m
 * tolerance: enough to flip a fix near the edge. The route-deviation truth needs the exact
 * great-circle distance the rule is stated in, so it is computed here (own code, not @dgt/geo:
 * the truth must not be computed by the code it checks), on the same sphere (mean radius).
 */

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

type Vec = [number, number, number];

function unit(lon: number, lat: number): Vec {
  const cl = Math.cos(lat * RAD);
  return [cl * Math.cos(lon * RAD), cl * Math.sin(lon * RAD), Math.sin(lat * RAD)];
}

function cross(a: Vec, b: Vec): Vec {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function dot(a: Vec, b: Vec): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

function angle(a: Vec, b: Vec): number {
  const c = cross(a, b);
  return Math.atan2(Math.hypot(c[0], c[1], c[2]), dot(a, b));
}

/** Angular distance from p to the minor great-circle arc a–b. */
function arcDistance(p: Vec, a: Vec, b: Vec): number {
  const n = cross(a, b);
  const len = Math.hypot(n[0], n[1], n[2]);
  if (len < 1e-15) return angle(p, a);
  const nu: Vec = [n[0] / len, n[1] / len, n[2] / len];
  // Between the ends when p lies on the inner side of both end meridians of the arc.
  if (dot(cross(a, p), nu) >= 0 && dot(cross(p, b), nu) >= 0) return Math.abs(Math.asin(Math.max(-1, Math.min(1, dot(p, nu)))));
  return Math.min(angle(p, a), angle(p, b));
}

/** A declared route prepared for many distance queries. */
export class SphericalPath {
  private readonly units: Vec[];
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;

  constructor(readonly points: readonly LonLat[]) {
    this.units = points.map(([lon, lat]) => unit(lon, lat));
    this.xs = new Float64Array(points.length);
    this.ys = new Float64Array(points.length);
    points.forEach((p, i) => {
      const [x, y] = toXY(p);
      this.xs[i] = x;
      this.ys[i] = y;
    });
  }

  /**
   * Great-circle distance (m) from (lon, lat) to the path. The planar distance finds the
   * candidates (it is within 1 % of the spherical one here); only those are measured exactly.
   */
  distanceM(lon: number, lat: number): number {
    const [x, y] = toXY([lon, lat]);
    const n = this.points.length;
    const planar = new Float64Array(Math.max(0, n - 1));
    let best = Infinity;
    for (let i = 0; i + 1 < n; i++) {
      const d = pointSegmentDistance(x, y, this.xs[i]!, this.ys[i]!, this.xs[i + 1]!, this.ys[i + 1]!);
      planar[i] = d;
      if (d < best) best = d;
    }
    const reach = best * 1.02 + 5;
    const p = unit(lon, lat);
    let exact = Infinity;
    for (let i = 0; i + 1 < n; i++) {
      if (planar[i]! > reach) continue;
      const d = arcDistance(p, this.units[i]!, this.units[i + 1]!);
      if (d < exact) exact = d;
    }
    return exact * EARTH_RADIUS_M;
  }
}
