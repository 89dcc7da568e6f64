import type { Datum, LonLat, ZoneSpec } from './types.ts';
import { ZoneGeometryError } from './errors.ts';
import { gcj02ToWgs84 } from './gcj02.ts';
import { distanceM } from './haversine.ts';

/**
 * Consecutive path points closer than this are one point: the great circle through two points
 * a few millimetres apart is numerically undefined (its axis is a cross product of nearly equal
 * vectors), which would break the error bounds the cell classification relies on.
 */
export const PATH_MERGE_DISTANCE_M = 0.01;

/** A zone's geometry validated and converted to WGS-84. */
export type ZoneGeometry =
  | { readonly shape: 'polygon'; readonly polygon: readonly LonLat[] }
  | { readonly shape: 'buffer'; readonly path: readonly LonLat[]; readonly bufferM: number };

function toWgs84(zoneId: string, points: readonly LonLat[], datum: Datum): LonLat[] {
  return points.map((p) => {
    const lon = p[0];
    const lat = p[1];
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
      throw new ZoneGeometryError('INVALID_COORDINATE', zoneId, `invalid coordinate [${lon}, ${lat}]`);
    }
    switch (datum) {
      case 'WGS84':
        return Object.freeze([lon, lat] as const);
      case 'GCJ02':
        return Object.freeze(gcj02ToWgs84(lon, lat)) as LonLat;
      default: {
        const never: never = datum;
        throw new ZoneGeometryError('UNKNOWN_DATUM', zoneId, `unknown datum ${String(never)}`);
      }
    }
  });
}

function polygonGeometry(spec: ZoneSpec): ZoneGeometry {
  if (!spec.polygon) throw new ZoneGeometryError('POLYGON_REQUIRED', spec.zoneId, `a ${spec.kind} needs a polygon`);
  const polygon = toWgs84(spec.zoneId, spec.polygon, spec.datum);
  const distinct = new Set(polygon.map(([lon, lat]) => `${lon},${lat}`)).size;
  if (distinct < 3) {
    throw new ZoneGeometryError('POLYGON_TOO_FEW_VERTICES', spec.zoneId, `polygon has ${distinct} distinct vertices, needs 3`);
  }
  return { shape: 'polygon', polygon: Object.freeze(polygon) };
}

function bufferGeometry(spec: ZoneSpec): ZoneGeometry {
  if (!spec.path) throw new ZoneGeometryError('PATH_REQUIRED', spec.zoneId, 'an accident-segment needs a path');
  if (spec.bufferM === undefined) throw new ZoneGeometryError('BUFFER_REQUIRED', spec.zoneId, 'an accident-segment needs bufferM');
  if (!Number.isFinite(spec.bufferM) || spec.bufferM <= 0) {
    throw new ZoneGeometryError('BUFFER_INVALID', spec.zoneId, `bufferM must be a positive number, got ${spec.bufferM}`);
  }
  const path: LonLat[] = [];
  for (const p of toWgs84(spec.zoneId, spec.path, spec.datum)) {
    const prev = path[path.length - 1];
    if (prev === undefined || distanceM(prev[0], prev[1], p[0], p[1]) >= PATH_MERGE_DISTANCE_M) path.push(p);
  }
  if (path.length < 2) {
    throw new ZoneGeometryError('PATH_TOO_SHORT', spec.zoneId, `path has ${path.length} distinct point(s), needs 2`);
  }
  return { shape: 'buffer', path: Object.freeze(path), bufferM: spec.bufferM };
}

/** Validates a designation and converts it to WGS-84; throws {@link ZoneGeometryError}. */
export function zoneGeometry(spec: ZoneSpec): ZoneGeometry {
  switch (spec.kind) {
    case 'parking-lot':
    case 'chemical-park':
    case 'restricted-area':
      return polygonGeometry(spec);
    case 'accident-segment':
      return bufferGeometry(spec);
    default: {
      const never: never = spec.kind;
      throw new ZoneGeometryError('UNKNOWN_KIND', spec.zoneId, `unknown kind ${String(never)}`);
    }
  }
}
