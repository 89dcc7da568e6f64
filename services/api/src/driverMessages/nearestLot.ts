import { distanceM } from '@dgt/geo';
import type { ZoneView } from '@dgt/readmodels';

export interface NearestLot {
  readonly zoneId: string;
  readonly name: string;
  readonly distanceM: number;
}

/**
 * The dedicated lot (`parking-lot` zone) nearest to a point, by great-circle distance to the
 * lot's centre (the mean of its ring's corners: lots are a few hundred metres across, the
 * advice is to one decimal of a km). Ties go to the lower zone id, so the answer never
 * depends on the read model's order. Undefined when no lot is designated.
 */
export function nearestLot(zones: readonly ZoneView[], lon: number, lat: number): NearestLot | undefined {
  let best: NearestLot | undefined;
  for (const z of zones) {
    if (z.kind !== 'parking-lot' || z.polygon === null || z.polygon.length === 0) continue;
    const centre = ringCentre(z.polygon);
    const d = distanceM(lon, lat, centre[0], centre[1]);
    if (best === undefined || d < best.distanceM || (d === best.distanceM && z.zoneId < best.zoneId)) best = { zoneId: z.zoneId, name: z.name, distanceM: d };
  }
  return best;
}

function ringCentre(ring: readonly (readonly [number, number])[]): [number, number] {
  // A closed ring repeats its first corner last; counting it twice would pull the centre towards it.
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  const corners = ring.length > 1 && first[0] === last[0] && first[1] === last[1] ? ring.slice(0, -1) : ring;
  let lon = 0;
  let lat = 0;
  for (const [x, y] of corners) {
    lon += x;
    lat += y;
  }
  return [lon / corners.length, lat / corners.length];
}
