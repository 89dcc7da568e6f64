import type { LonLat } from './types.ts';
import { cellToBoundary, cellToLatLng, getHexagonEdgeLengthAvg, gridDisk, latLngToCell, polygonToCells, UNITS } from 'h3-js';
import { distanceM } from './haversine.ts';

/**
 * Resolution 11: average hexagon edge (= circumradius) ≈ 28.7 m, area ≈ 2,150 m².
 * Accident-segment buffers are 30–200 m, so at res 11 most of a corridor's cells are provably
 * inside and answer without an exact test, while a 40 km segment with a 200 m buffer still needs
 * only ~8,000 cells (res 12 would be 7× more memory for little gain; at res 10 the 76 m cells
 * would make nearly every cell of a 50 m corridor a boundary cell). Lots of a few hundred metres
 * get tens of cells. The H3 lookup itself costs the same at any resolution.
 */
export const DEFAULT_H3_RESOLUTION = 11;

/** The H3 cell containing a WGS-84 point; a thin wrapper, also the benchmark reference rate. */
export function cellOf(lon: number, lat: number, res: number): string {
  return latLngToCell(lat, lon, res);
}

/** Where a cell is and how far it reaches. */
export interface CellGeometry {
  readonly lon: number;
  readonly lat: number;
  /** Largest centre-to-vertex great-circle distance; the cell lies inside this cap (edges are great-circle arcs). */
  readonly radiusM: number;
  /** Lon/lat box of the vertices. */
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
}

export function cellGeometry(cell: string): CellGeometry {
  const [lat, lon] = cellToLatLng(cell);
  let radiusM = 0;
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (const [vLat, vLon] of cellToBoundary(cell)) {
    radiusM = Math.max(radiusM, distanceM(lon, lat, vLon, vLat));
    minLon = Math.min(minLon, vLon);
    maxLon = Math.max(maxLon, vLon);
    minLat = Math.min(minLat, vLat);
    maxLat = Math.max(maxLat, vLat);
  }
  return { lon, lat, radiusM, minLon, minLat, maxLon, maxLat };
}

/** The cell and its immediate neighbours. */
export function cellAndNeighbours(cell: string): string[] {
  return gridDisk(cell, 1);
}

export function averageEdgeLengthM(res: number): number {
  return getHexagonEdgeLengthAvg(res, UNITS.m);
}

/** Cells whose centre H3 finds inside a lon/lat ring: bare `polygonToCells`, the designate bench's reference. */
export function cellsWithCentreIn(ring: readonly LonLat[], res: number): string[] {
  return polygonToCells([ring.map(([lon, lat]) => [lat, lon])], res);
}
