import type { LonLat } from './types.ts';
import { signOfDifferenceOfProducts } from './orientation.ts';

/**
 * Planar ray casting in lon/lat (edges are straight lines in degrees), boundary counted as inside.
 * This is the algorithm of point-in-polygon-hao, which @turf/boolean-point-in-polygon uses, with the
 * same half-open crossing rule and an exact orientation sign, so the two agree on every input,
 * points on edges and vertices included. The ring may be open or closed (first point repeated).
 */
export function pointInPolygon(lon: number, lat: number, ring: readonly LonLat[]): boolean {
  const n = ring.length;
  if (n === 0) return false;
  const first = ring[0] as LonLat;
  const last = ring[n - 1] as LonLat;
  const closed = first[0] === last[0] && first[1] === last[1];
  const edges = closed ? n - 1 : n;
  let crossings = 0;
  let u1 = first[0] - lon;
  let v1 = first[1] - lat;
  for (let i = 0; i < edges; i++) {
    const next = ring[i + 1 === n ? 0 : i + 1] as LonLat;
    const u2 = next[0] - lon;
    const v2 = next[1] - lat;
    if (v1 === 0 && v2 === 0) {
      if ((u2 <= 0 && u1 >= 0) || (u1 <= 0 && u2 >= 0)) return true;
    } else if ((v2 >= 0 && v1 <= 0) || (v2 <= 0 && v1 >= 0)) {
      // Sign of robust-predicates' orient2d(u1, u2, v1, v2, 0, 0) = u2*v1 - u1*v2.
      const f = signOfDifferenceOfProducts(u2, v1, u1, v2);
      if (f === 0) return true;
      if ((f > 0 && v2 > 0 && v1 <= 0) || (f < 0 && v2 <= 0 && v1 > 0)) crossings++;
    }
    u1 = u2;
    v1 = v2;
  }
  return crossings % 2 === 1;
}
