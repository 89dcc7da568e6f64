import { degreesOfArcToMetres, type PreparedPath, preparedDistanceDeg, preparePath, type QueryPoint, queryPoint } from './pathDistance.ts';
import type { LonLat } from './types.ts';

/** A named road as drawn: WGS-84 polyline. */
export interface NamedRoad {
  readonly name: string;
  readonly path: readonly LonLat[];
}

/** The road nearest a point, and how far it is (great-circle metres to the polyline). */
export interface RoadNearby {
  readonly name: string;
  readonly distanceM: number;
}

const M_PER_DEG_LAT = 111_195;

interface IndexedRoad {
  readonly name: string;
  readonly path: PreparedPath;
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
}

/**
 * "Which road is this on, or near?" for a violation or a vehicle shown to a duty officer: the
 * nearest of a few hundred named roads within a distance, by the exact point-to-path distance
 * (`distanceToPathM`). A road whose box, grown by the distance, does not hold the point is never
 * measured. Ties go to the road listed first. Pure and immutable once built.
 */
export class RoadIndex {
  private readonly roads: readonly IndexedRoad[];
  private readonly q: QueryPoint = { lon: 0, lat: 0, x: 0, y: 0, z: 0 };

  constructor(roads: readonly NamedRoad[]) {
    this.roads = roads
      .filter((r) => r.path.length > 0)
      .map((r) => {
        let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
        for (const [lon, lat] of r.path) {
          minLon = Math.min(minLon, lon);
          maxLon = Math.max(maxLon, lon);
          minLat = Math.min(minLat, lat);
          maxLat = Math.max(maxLat, lat);
        }
        return { name: r.name, path: preparePath(r.path), minLon, minLat, maxLon, maxLat };
      });
  }

  /** The nearest road within `withinM` metres of (lon, lat), or null. */
  nearest(lon: number, lat: number, withinM: number): RoadNearby | null {
    if (!(Number.isFinite(lon) && Number.isFinite(lat) && withinM >= 0)) return null;
    const dLat = withinM / M_PER_DEG_LAT;
    // A degree of longitude is never longer than one of latitude; near the poles nothing is pruned.
    const cos = Math.cos(((Math.min(89, Math.abs(lat) + dLat)) * Math.PI) / 180);
    const dLon = dLat / Math.max(cos, 1e-6);
    let best: RoadNearby | null = null;
    let prepared = false;
    for (const r of this.roads) {
      if (lon < r.minLon - dLon || lon > r.maxLon + dLon || lat < r.minLat - dLat || lat > r.maxLat + dLat) continue;
      if (!prepared) {
        queryPoint(lon, lat, this.q);
        prepared = true;
      }
      const d = degreesOfArcToMetres(preparedDistanceDeg(r.path, this.q, null));
      if (d <= withinM && (best === null || d < best.distanceM)) best = { name: r.name, distanceM: d };
    }
    return best;
  }
}
