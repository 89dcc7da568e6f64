import type { LonLat } from './types.ts';
import { signOfDifferenceOfProducts } from './orientation.ts';

/** Where a point lies relative to one ring. */
export const OUTSIDE = 0;
export const INSIDE = 1;
export const ON_BOUNDARY = 2;
export type RingPosition = typeof OUTSIDE | typeof INSIDE | typeof ON_BOUNDARY;

/**
 * Ring edges binned by latitude band. Ray casting only counts edges whose latitude span contains the
 * point's, so a query reads one band (a few dozen edges) instead of the whole ring — a county outline
 * has thousands. Every edge is listed in each band its span meets, so the answer is exactly that of
 * `pointInPolygon` (same crossing rule, same exact orientation sign), with the boundary told apart.
 */
export class BandedRing {
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
  private readonly bandCount: number;
  private readonly bandHeight: number;
  /** Edge i runs from (x[i], y[i]) to (x[i + 1], y[i + 1]). */
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  /** Edges of band b: bandEdges[bandStart[b] .. bandStart[b + 1]). */
  private readonly bandStart: Uint32Array;
  private readonly bandEdges: Uint32Array;

  /** `ring` must be closed (first position repeated last) with at least 4 positions. */
  constructor(ring: readonly LonLat[]) {
    const n = ring.length;
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    let minLon = Infinity;
    let minLat = Infinity;
    let maxLon = -Infinity;
    let maxLat = -Infinity;
    for (let i = 0; i < n; i++) {
      const [lon, lat] = ring[i] as LonLat;
      this.x[i] = lon;
      this.y[i] = lat;
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
    this.minLon = minLon;
    this.minLat = minLat;
    this.maxLon = maxLon;
    this.maxLat = maxLat;
    const edges = n - 1;
    // About 4 edges per band on average: a band then holds the handful that cross it plus short runs.
    this.bandCount = Math.max(1, Math.min(4096, Math.ceil(edges / 4)));
    this.bandHeight = maxLat > minLat ? (maxLat - minLat) / this.bandCount : 1;

    const counts = new Uint32Array(this.bandCount + 1);
    for (let i = 0; i < edges; i++) {
      const [from, to] = this.edgeBands(i);
      for (let b = from; b <= to; b++) counts[b + 1] = (counts[b + 1] as number) + 1;
    }
    for (let b = 0; b < this.bandCount; b++)
      counts[b + 1] = (counts[b + 1] as number) + (counts[b] as number);
    this.bandStart = counts;
    this.bandEdges = new Uint32Array(counts[this.bandCount] as number);
    const fill = counts.slice(0, this.bandCount);
    for (let i = 0; i < edges; i++) {
      const [from, to] = this.edgeBands(i);
      for (let b = from; b <= to; b++) {
        const at = fill[b] as number;
        this.bandEdges[at] = i;
        fill[b] = at + 1;
      }
    }
  }

  /** Floor of the band coordinate, clamped: monotone in lat, so an edge spanning lat shares its band. */
  private bandOf(lat: number): number {
    const b = Math.floor((lat - this.minLat) / this.bandHeight);
    return b < 0 ? 0 : b >= this.bandCount ? this.bandCount - 1 : b;
  }

  private edgeBands(i: number): [number, number] {
    const a = this.y[i] as number;
    const b = this.y[i + 1] as number;
    return a <= b ? [this.bandOf(a), this.bandOf(b)] : [this.bandOf(b), this.bandOf(a)];
  }

  /** OUTSIDE, INSIDE or ON_BOUNDARY (on an edge or a vertex). */
  position(lon: number, lat: number): RingPosition {
    if (lon < this.minLon || lon > this.maxLon || lat < this.minLat || lat > this.maxLat)
      return OUTSIDE;
    const band = this.bandOf(lat);
    const end = this.bandStart[band + 1] as number;
    let crossings = 0;
    for (let k = this.bandStart[band] as number; k < end; k++) {
      const i = this.bandEdges[k] as number;
      const u1 = (this.x[i] as number) - lon;
      const v1 = (this.y[i] as number) - lat;
      const u2 = (this.x[i + 1] as number) - lon;
      const v2 = (this.y[i + 1] as number) - lat;
      // The loop body of pointInPolygon, edge by edge (see pointInPolygon.ts for the rule).
      if (v1 === 0 && v2 === 0) {
        if ((u2 <= 0 && u1 >= 0) || (u1 <= 0 && u2 >= 0)) return ON_BOUNDARY;
      } else if ((v2 >= 0 && v1 <= 0) || (v2 <= 0 && v1 >= 0)) {
        const f = signOfDifferenceOfProducts(u2, v1, u1, v2);
        if (f === 0) return ON_BOUNDARY;
        if ((f > 0 && v2 > 0 && v1 <= 0) || (f < 0 && v2 <= 0 && v1 > 0)) crossings++;
      }
    }
    return crossings % 2 === 1 ? INSIDE : OUTSIDE;
  }
}
