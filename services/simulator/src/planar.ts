import type { LonLat } from './geography.ts';

/*
 * Local planar geometry in metres (equirectangular around Taizhou's latitude). Deliberately not
 * @dgt/geo: the ground truth must not be computed by the code it is used to check. Over the
 * few tens of kilometres of a segment the error against the great circle is centimetres.
 */

const M_PER_DEG_LAT = 111_195;
const REF_LAT_RAD = (28.7 * Math.PI) / 180;
const M_PER_DEG_LON = M_PER_DEG_LAT * Math.cos(REF_LAT_RAD);

export function toXY(p: LonLat): [number, number] {
  return [p[0] * M_PER_DEG_LON, p[1] * M_PER_DEG_LAT];
}

export function toLonLat(x: number, y: number): [number, number] {
  return [x / M_PER_DEG_LON, y / M_PER_DEG_LAT];
}

export function planarDistanceM(a: LonLat, b: LonLat): number {
  const [ax, ay] = toXY(a);
  const [bx, by] = toXY(b);
  return Math.hypot(ax - bx, ay - by);
}

/** Distance from point (px, py) to the segment (ax, ay)–(bx, by), all in metres. */
export function pointSegmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** A polyline projected once, for repeated distance queries. */
export class PlanarPath {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  readonly minX: number;
  readonly maxX: number;
  readonly minY: number;
  readonly maxY: number;

  constructor(points: readonly LonLat[]) {
    this.xs = new Float64Array(points.length);
    this.ys = new Float64Array(points.length);
    points.forEach((p, i) => {
      const [x, y] = toXY(p);
      this.xs[i] = x;
      this.ys[i] = y;
    });
    this.minX = Math.min(...this.xs);
    this.maxX = Math.max(...this.xs);
    this.minY = Math.min(...this.ys);
    this.maxY = Math.max(...this.ys);
  }

  distanceM(x: number, y: number): number {
    let best = Infinity;
    for (let i = 0; i + 1 < this.xs.length; i++) {
      const d = pointSegmentDistance(x, y, this.xs[i]!, this.ys[i]!, this.xs[i + 1]!, this.ys[i + 1]!);
      if (d < best) best = d;
    }
    return best;
  }

  /** Distance from (x, y) to the bounding box (0 inside it): never more than the distance to the path. */
  boxDistanceM(x: number, y: number): number {
    const dx = Math.max(this.minX - x, 0, x - this.maxX);
    const dy = Math.max(this.minY - y, 0, y - this.maxY);
    return Math.hypot(dx, dy);
  }

  /** True if (x, y) is farther than `m` from the bounding box, so surely farther from the path. */
  farFromBox(x: number, y: number, m: number): boolean {
    return x < this.minX - m || x > this.maxX + m || y < this.minY - m || y > this.maxY + m;
  }
}

/** A closed ring projected once, for repeated point-in-polygon and distance queries. */
export class PlanarPolygon {
  readonly edges: PlanarPath;

  constructor(ring: readonly LonLat[]) {
    this.edges = new PlanarPath(ring);
  }

  /** Even-odd rule; a point exactly on an edge may land either side (the simulator keeps clear of edges). */
  contains(x: number, y: number): boolean {
    const { xs, ys } = this.edges;
    if (this.edges.farFromBox(x, y, 0)) return false;
    let inside = false;
    for (let i = 0, j = xs.length - 1; i < xs.length; j = i++) {
      const yi = ys[i]!;
      const yj = ys[j]!;
      if (yi > y !== yj > y && x < ((xs[j]! - xs[i]!) * (y - yi)) / (yj - yi) + xs[i]!) inside = !inside;
    }
    return inside;
  }

  /** Distance to the boundary (0 on it), whichever side the point is on. */
  boundaryDistanceM(x: number, y: number): number {
    return this.edges.distanceM(x, y);
  }
}
