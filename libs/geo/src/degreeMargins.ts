import { EARTH_RADIUS_M } from './haversine.ts';

/**
 * Conservative metres → degrees conversions for enlarging boxes: a point within `m` metres
 * (great-circle) of another differs by at most these many degrees. The 1 % slack absorbs the
 * second-order terms of the spherical metric and floating-point error.
 */
const METRES_PER_DEGREE = (EARTH_RADIUS_M * Math.PI) / 180;
const SLACK = 1.01;

export function metresToDegreesLat(m: number): number {
  return (m / METRES_PER_DEGREE) * SLACK;
}

/** `absLat` must be the largest |latitude| the enlarged box can reach. */
export function metresToDegreesLon(m: number, absLat: number): number {
  const cos = Math.cos((Math.min(absLat, 89) * Math.PI) / 180);
  return (m / (METRES_PER_DEGREE * cos)) * SLACK;
}

/** Upper bound (metres) on how far a great-circle arc bulges beyond the lat/lon box of its ends. */
export function greatCircleBulgeM(dLonDeg: number): number {
  const dLon = (Math.abs(dLonDeg) * Math.PI) / 180;
  // Exact bulge at mid-arc is ≈ sin φ cos φ · Δλ²/8 ≤ Δλ²/16 radians; 4× that for margin.
  return (EARTH_RADIUS_M * dLon * dLon) / 4;
}

/** A lon/lat box. */
export interface Box {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** The box enlarged by `m` metres on every side. */
export function enlargeBox(box: Box, m: number): Box {
  const dLat = metresToDegreesLat(m);
  const absLat = Math.max(Math.abs(box.minLat), Math.abs(box.maxLat)) + dLat;
  const dLon = metresToDegreesLon(m, absLat);
  return { minLon: box.minLon - dLon, minLat: box.minLat - dLat, maxLon: box.maxLon + dLon, maxLat: box.maxLat + dLat };
}
