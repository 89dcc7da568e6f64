import { cellToBoundary, cellToLatLng, getResolution, gridDisk, isValidCell, latLngToCell } from 'h3-js';
import { distanceToPathM } from './pathDistance.ts';
import { pointInPolygon } from './pointInPolygon.ts';
import type { LonLat } from './types.ts';

/*
 * H3 cells as planning sees them: aggregation bins for stops (the parking-demand map) at a
 * resolution the user picks (7 ≈ 5 km², 8 ≈ 0.7 km²), in lon/lat order like every other
 * coordinate in dgt. Only this library imports h3-js.
 */

/** Resolutions the planning map offers: coarse enough to aggregate, fine enough to site a lot. */
export const HEX_RESOLUTIONS = [6, 7, 8, 9] as const;

/** The cell containing a WGS-84 point at `res`. */
export function hexCell(lon: number, lat: number, res: number): string {
  return latLngToCell(lat, lon, res);
}

export function isHexCell(cell: string): boolean {
  return isValidCell(cell);
}

export function hexResolution(cell: string): number {
  return getResolution(cell);
}

/** The cell's centre, [lon, lat]. */
export function hexCentre(cell: string): LonLat {
  const [lat, lon] = cellToLatLng(cell);
  return [lon, lat];
}

/** The cell's outline as a closed GeoJSON ring ([lon, lat], first point repeated last, counter-clockwise). */
export function hexRing(cell: string): LonLat[] {
  const ring: LonLat[] = cellToBoundary(cell, true).map(([lon, lat]) => [lon, lat] as const);
  return ring;
}

/** The six (five at a pentagon) cells sharing an edge with `cell`, sorted so callers iterate deterministically. */
export function hexNeighbours(cell: string): string[] {
  return gridDisk(cell, 1)
    .filter((c) => c !== cell)
    .sort();
}

/** Great-circle distance from a point to an area: 0 inside (or on) its ring, else to the nearest point of its outline. */
export function distanceToAreaM(lon: number, lat: number, ring: readonly LonLat[]): number {
  if (ring.length === 0) return Infinity;
  if (ring.length >= 3 && pointInPolygon(lon, lat, ring)) return 0;
  const first = ring[0] as LonLat;
  const last = ring[ring.length - 1] as LonLat;
  const closed = first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first];
  return distanceToPathM(lon, lat, closed);
}
