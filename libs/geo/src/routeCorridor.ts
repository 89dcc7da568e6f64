import { type Box, enlargeBox, greatCircleBulgeM, metresToDegreesLat } from './degreeMargins.ts';
import { gcj02ToWgs84 } from './gcj02.ts';
import { degreesOfArcToMetres, type PreparedPath, preparePath, type QueryPoint, queryPoint, segmentDistanceDeg } from './pathDistance.ts';
import { SegmentBins } from './segmentBins.ts';
import type { Datum, LonLat } from './types.ts';

/*
 * A waybill's declared route and its tolerance, asked once per fix of a laden vehicle: "is this fix
 * off the route, and by how much?". The distance is the exact point-to-path distance of
 * `distanceToPathM` (great-circle arcs on the sphere, the same floating-point operations, so a fix
 * is within tolerance here exactly when `distanceToPathM(...) <= toleranceM`).
 *
 * Most fixes of a vehicle on its route are settled by a few segments: every segment is registered
 * in the bins its box — enlarged by the tolerance and the arc's bulge — touches, so a fix within
 * the tolerance of a segment always finds that segment in its own bin. Only a fix off the route
 * (rare, and the one whose distance is evidence) is measured against every segment.
 */

export class RouteCorridor {
  readonly toleranceM: number;
  /** WGS-84, whatever the declared datum. */
  readonly path: readonly LonLat[];
  private readonly prepared: PreparedPath;
  private readonly bins: SegmentBins;
  private readonly q: QueryPoint = { lon: 0, lat: 0, x: 0, y: 0, z: 0 };

  constructor(path: readonly LonLat[], toleranceM: number, datum: Datum = 'WGS84') {
    // The waybill schema guarantees both: these are caller bugs.
    if (path.length < 2) throw new RangeError('a route needs at least 2 points');
    if (!(toleranceM > 0) || !Number.isFinite(toleranceM)) throw new RangeError(`route tolerance must be a positive number of metres, got ${toleranceM}`);
    this.toleranceM = toleranceM;
    this.path = Object.freeze(path.map((p) => (datum === 'GCJ02' ? Object.freeze(gcj02ToWgs84(p[0], p[1])) : p) as LonLat));
    this.prepared = preparePath(this.path);
    const boxes: Box[] = [];
    let extent: Box = { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity };
    for (let i = 0; i < this.prepared.segments; i++) {
      const a = this.path[i] as LonLat;
      const b = this.path[i + 1] as LonLat;
      const box = enlargeBox(
        { minLon: Math.min(a[0], b[0]), minLat: Math.min(a[1], b[1]), maxLon: Math.max(a[0], b[0]), maxLat: Math.max(a[1], b[1]) },
        // 1 m beyond the tolerance: what is measured as within it lies inside the box, rounding included.
        toleranceM + 1 + greatCircleBulgeM(b[0] - a[0]),
      );
      boxes.push(box);
      extent = { minLon: Math.min(extent.minLon, box.minLon), minLat: Math.min(extent.minLat, box.minLat), maxLon: Math.max(extent.maxLon, box.maxLon), maxLat: Math.max(extent.maxLat, box.maxLat) };
    }
    this.bins = new SegmentBins(extent, metresToDegreesLat(Math.max(toleranceM, 200)), this.prepared.segments);
    boxes.forEach((box, i) => this.bins.add(i, box));
  }

  /** Null when the point lies within the tolerance of the route; otherwise its distance (m) to the route. */
  beyond(lon: number, lat: number): number | null {
    const q = queryPoint(lon, lat, this.q);
    const tol = this.toleranceM;
    for (const i of this.bins.at(lon, lat)) {
      if (degreesOfArcToMetres(segmentDistanceDeg(this.prepared, i, q)) <= tol) return null;
    }
    return this.distanceM(lon, lat);
  }

  /** The exact distance (m) from the point to the route, every segment measured. */
  distanceM(lon: number, lat: number): number {
    const q = queryPoint(lon, lat, this.q);
    let best = Infinity;
    for (let i = 0; i < this.prepared.segments; i++) {
      const d = segmentDistanceDeg(this.prepared, i, q);
      if (d < best) best = d;
    }
    return degreesOfArcToMetres(best);
  }
}
