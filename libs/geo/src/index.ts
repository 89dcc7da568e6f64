export type { Datum, LonLat, ZoneKind, ZoneSpec, ZoneVersion } from './types.ts';
export { ZoneGeometryError, ZoneIndexError } from './errors.ts';
export type { ZoneGeometryErrorCode, ZoneIndexErrorCode } from './errors.ts';
export { gcj02ToWgs84, wgs84ToGcj02 } from './gcj02.ts';
export { EARTH_RADIUS_M, distanceM } from './haversine.ts';
export { pointInPolygon } from './pointInPolygon.ts';
export { distanceToPathM } from './pathDistance.ts';
export { DEFAULT_H3_RESOLUTION, cellOf } from './h3Cells.ts';
export { ZoneIndex } from './zoneIndex.ts';
