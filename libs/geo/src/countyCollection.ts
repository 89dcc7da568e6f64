import type { LonLat } from './types.ts';

/** A county-level division as named in its boundary data. */
export interface County {
  /** Six-digit administrative division code (行政区划代码), e.g. "331002". */
  code: string;
  /** Chinese name, e.g. "椒江区". */
  name: string;
  /** Pinyin, e.g. "Jiaojiang". */
  nameEn: string;
}

/** One polygon: outer ring first, then holes; every ring closed, WGS-84. */
export type CountyPolygon = readonly (readonly LonLat[])[];

export interface CountyShape extends County {
  polygons: readonly CountyPolygon[];
}

/** Boundary data that cannot be indexed; `path` names the offending field, e.g. `features[3].properties.code`. */
export class CountyDataError extends Error {
  override readonly name = 'CountyDataError';
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.path = path;
  }
}

const CODE = /^\d{6}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new CountyDataError(path, 'expected a non-empty string');
  return value;
}

function readPosition(value: unknown, path: string): LonLat {
  if (!Array.isArray(value) || value.length < 2)
    throw new CountyDataError(path, 'expected a [lon, lat] position');
  const [lon, lat] = value as unknown[];
  if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180) {
    throw new CountyDataError(
      `${path}[0]`,
      `longitude must be a number in [-180, 180], got ${String(lon)}`,
    );
  }
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) {
    throw new CountyDataError(
      `${path}[1]`,
      `latitude must be a number in [-90, 90], got ${String(lat)}`,
    );
  }
  return [lon, lat];
}

function readRing(value: unknown, path: string): LonLat[] {
  if (!Array.isArray(value))
    throw new CountyDataError(path, 'expected a ring (array of positions)');
  if (value.length < 4)
    throw new CountyDataError(path, `a ring needs at least 4 positions, got ${value.length}`);
  const ring = value.map((p, i) => readPosition(p, `${path}[${i}]`));
  const first = ring[0] as LonLat;
  const last = ring[ring.length - 1] as LonLat;
  if (first[0] !== last[0] || first[1] !== last[1])
    throw new CountyDataError(path, 'ring is not closed (first position must equal the last)');
  return ring;
}

function readPolygon(value: unknown, path: string): LonLat[][] {
  if (!Array.isArray(value) || value.length === 0)
    throw new CountyDataError(path, 'expected a polygon (non-empty array of rings)');
  return value.map((r, i) => readRing(r, `${path}[${i}]`));
}

function readPolygons(geometry: unknown, path: string): LonLat[][][] {
  if (!isObject(geometry)) throw new CountyDataError(path, 'expected a geometry object');
  const { type, coordinates } = geometry;
  if (type === 'Polygon') return [readPolygon(coordinates, `${path}.coordinates`)];
  if (type === 'MultiPolygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0) {
      throw new CountyDataError(`${path}.coordinates`, 'expected a non-empty array of polygons');
    }
    return coordinates.map((p, i) => readPolygon(p, `${path}.coordinates[${i}]`));
  }
  throw new CountyDataError(
    `${path}.type`,
    `expected "Polygon" or "MultiPolygon", got ${JSON.stringify(type)}`,
  );
}

/**
 * Validates a GeoJSON FeatureCollection of counties (as in `seeds/taizhou/counties.json`). Each feature
 * needs `properties.code` (6 digits, unique), `name`, `nameEn` and `datum: "WGS84"` — positions are
 * compared with GNSS fixes as they are, so GCJ-02 data must be converted before it gets here.
 */
export function readCountyCollection(collection: unknown): CountyShape[] {
  if (!isObject(collection))
    throw new CountyDataError('$', 'expected a GeoJSON FeatureCollection object');
  if (collection.type !== 'FeatureCollection') {
    throw new CountyDataError(
      'type',
      `expected "FeatureCollection", got ${JSON.stringify(collection.type)}`,
    );
  }
  const features = collection.features;
  if (!Array.isArray(features) || features.length === 0)
    throw new CountyDataError('features', 'expected a non-empty array');
  const seen = new Set<string>();
  return features.map((feature: unknown, i): CountyShape => {
    const path = `features[${i}]`;
    if (!isObject(feature)) throw new CountyDataError(path, 'expected a Feature object');
    const properties = feature.properties;
    if (!isObject(properties))
      throw new CountyDataError(`${path}.properties`, 'expected an object');
    const code = requireString(properties.code, `${path}.properties.code`);
    if (!CODE.test(code))
      throw new CountyDataError(
        `${path}.properties.code`,
        `expected a 6-digit division code, got ${JSON.stringify(code)}`,
      );
    if (seen.has(code))
      throw new CountyDataError(`${path}.properties.code`, `duplicate code ${code}`);
    seen.add(code);
    const name = requireString(properties.name, `${path}.properties.name`);
    const nameEn = requireString(properties.nameEn, `${path}.properties.nameEn`);
    if (properties.datum !== 'WGS84') {
      throw new CountyDataError(
        `${path}.properties.datum`,
        `expected "WGS84", got ${JSON.stringify(properties.datum)}`,
      );
    }
    return { code, name, nameEn, polygons: readPolygons(feature.geometry, `${path}.geometry`) };
  });
}
