/** Mean Earth radius (IUGG), the one Turf uses, so our metres equal Turf's. */
export const EARTH_RADIUS_M = 6371008.8;

/** Turf's degreesToRadians, operation for operation (bit-identical results matter for the exactness tests). */
export function toRadians(degrees: number): number {
  return ((degrees % 360) * Math.PI) / 180;
}

/** Turf's radiansToDegrees, operation for operation. */
export function toDegrees(radians: number): number {
  return ((radians % (2 * Math.PI)) * 180) / Math.PI;
}

/** Central angle (radians) from point 1 to point 2, the haversine formula exactly as @turf/distance evaluates it. */
export function centralAngle(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = toRadians(lat2 - lat1);
  const dLon = toRadians(lon2 - lon1);
  const la1 = toRadians(lat1);
  const la2 = toRadians(lat2);
  const a = Math.pow(Math.sin(dLat / 2), 2) + Math.pow(Math.sin(dLon / 2), 2) * Math.cos(la1) * Math.cos(la2);
  return 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

/** Great-circle distance in metres on the sphere of radius {@link EARTH_RADIUS_M}. */
export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  return centralAngle(lon1, lat1, lon2, lat2) * EARTH_RADIUS_M;
}
