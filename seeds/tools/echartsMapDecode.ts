// Reads the maps that ECharts-era packages ship as `echarts.registerMap(name, geoJson)` scripts, with
// geometry in ECharts' compressed form ("UTF8Encoding"). Written from the format as ECharts' own
// decoder (decodeGeoJSON / decodePolygon in src/coord/geo/parseGeoJson.ts) reads it:
// each ring is a string of character pairs (x, y); a character's code minus 64 is a zigzag-encoded
// delta, in units of 1/scale degree (scale = UTF8Scale, 1024 when absent), from the previous point,
// the first from the ring's `encodeOffsets` pair.

/** A ring in source units: integer multiples of 1/scale degree, as stored. */
export type QuantizedRing = [number, number][];
/** Outer ring first, then holes. */
export type QuantizedPolygon = QuantizedRing[];

export interface DecodedFeature {
  id: string;
  name: string;
  polygons: QuantizedPolygon[];
}

export interface DecodedMap {
  mapName: string;
  /** Units per degree. */
  scale: number;
  features: DecodedFeature[];
}

export class SourceFormatError extends Error {
  override readonly name = 'SourceFormatError';
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.path = path;
  }
}

const DEFAULT_SCALE = 1024;
/** The encoder adds 64 to keep characters printable; anything below is not an encoded delta. */
const CHAR_BIAS = 64;

/** Finds the end of the JSON object starting at `start` (brace depth outside strings). */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let k = start; k < text.length; k++) {
    const c = text[k];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return k;
  }
  return -1;
}

const REGISTER = /registerMap\(\s*(['"])([^'"]*)\1\s*,\s*\{/;

/** The map name and raw GeoJSON object of the script's one `registerMap(name, {...})` call. */
export function parseRegisterMapScript(text: string): { mapName: string; geoJson: unknown } {
  const match = REGISTER.exec(text);
  if (!match) throw new SourceFormatError('script', 'no registerMap(name, {...}) call found');
  const start = match.index + match[0].length - 1;
  const end = objectEnd(text, start);
  if (end < 0) throw new SourceFormatError('script', 'the registerMap object is not closed');
  try {
    return { mapName: match[2] as string, geoJson: JSON.parse(text.slice(start, end + 1)) };
  } catch (error) {
    throw new SourceFormatError(
      'script',
      `the registerMap object is not JSON (${(error as Error).message})`,
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readOffset(value: unknown, path: string): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => Number.isSafeInteger(v))) {
    throw new SourceFormatError(path, 'expected an [x, y] pair of integers');
  }
  return [value[0] as number, value[1] as number];
}

/** Decodes one encoded ring to source units. */
export function decodeRing(
  encoded: unknown,
  offset: unknown,
  path: string,
  offsetPath: string,
): QuantizedRing {
  if (typeof encoded !== 'string')
    throw new SourceFormatError(path, 'expected an encoded ring string');
  if (encoded.length === 0 || encoded.length % 2 !== 0) {
    throw new SourceFormatError(
      path,
      `expected an even, non-zero number of characters, got ${encoded.length}`,
    );
  }
  let [x, y] = readOffset(offset, offsetPath);
  const ring: QuantizedRing = [];
  for (let i = 0; i < encoded.length; i += 2) {
    const cx = encoded.charCodeAt(i) - CHAR_BIAS;
    const cy = encoded.charCodeAt(i + 1) - CHAR_BIAS;
    if (cx < 0 || cy < 0)
      throw new SourceFormatError(
        path,
        `character ${cx < 0 ? i : i + 1} is below "@", not an encoded delta`,
      );
    // Zigzag: even codes are non-negative deltas, odd codes negative ones.
    x += (cx >> 1) ^ -(cx & 1);
    y += (cy >> 1) ^ -(cy & 1);
    ring.push([x, y]);
  }
  return ring;
}

function decodePolygon(
  rings: unknown,
  offsets: unknown,
  path: string,
  offsetPath: string,
): QuantizedPolygon {
  if (!Array.isArray(rings) || rings.length === 0)
    throw new SourceFormatError(path, 'expected a non-empty array of rings');
  if (!Array.isArray(offsets) || offsets.length !== rings.length) {
    throw new SourceFormatError(offsetPath, `expected one offset per ring (${rings.length})`);
  }
  return rings.map((ring, i) =>
    decodeRing(ring, offsets[i], `${path}[${i}]`, `${offsetPath}[${i}]`),
  );
}

/** Decodes a registerMap GeoJSON object (as parsed by `parseRegisterMapScript`) to source units. */
export function decodeEchartsMap(mapName: string, geoJson: unknown): DecodedMap {
  if (!isObject(geoJson) || geoJson.type !== 'FeatureCollection')
    throw new SourceFormatError('$', 'expected a FeatureCollection');
  if (geoJson.UTF8Encoding !== true)
    throw new SourceFormatError('UTF8Encoding', 'expected true (compressed geometry)');
  const scale = geoJson.UTF8Scale ?? DEFAULT_SCALE;
  if (typeof scale !== 'number' || !(scale > 0))
    throw new SourceFormatError('UTF8Scale', 'expected a positive number');
  if (!Array.isArray(geoJson.features) || geoJson.features.length === 0)
    throw new SourceFormatError('features', 'expected a non-empty array');
  const features = geoJson.features.map((feature: unknown, f): DecodedFeature => {
    const path = `features[${f}]`;
    if (!isObject(feature)) throw new SourceFormatError(path, 'expected a Feature');
    const id = feature.id;
    if (typeof id !== 'string' && typeof id !== 'number')
      throw new SourceFormatError(`${path}.id`, 'expected the division code');
    const properties = feature.properties;
    if (!isObject(properties) || typeof properties.name !== 'string')
      throw new SourceFormatError(`${path}.properties.name`, 'expected a string');
    const geometry = feature.geometry;
    if (!isObject(geometry)) throw new SourceFormatError(`${path}.geometry`, 'expected an object');
    const { type, coordinates, encodeOffsets } = geometry;
    const gPath = `${path}.geometry`;
    let polygons: QuantizedPolygon[];
    if (type === 'Polygon') {
      polygons = [
        decodePolygon(coordinates, encodeOffsets, `${gPath}.coordinates`, `${gPath}.encodeOffsets`),
      ];
    } else if (type === 'MultiPolygon') {
      if (!Array.isArray(coordinates) || coordinates.length === 0)
        throw new SourceFormatError(`${gPath}.coordinates`, 'expected polygons');
      if (!Array.isArray(encodeOffsets) || encodeOffsets.length !== coordinates.length) {
        throw new SourceFormatError(
          `${gPath}.encodeOffsets`,
          `expected one entry per polygon (${coordinates.length})`,
        );
      }
      polygons = coordinates.map((p, i) =>
        decodePolygon(
          p,
          encodeOffsets[i],
          `${gPath}.coordinates[${i}]`,
          `${gPath}.encodeOffsets[${i}]`,
        ),
      );
    } else {
      throw new SourceFormatError(
        `${gPath}.type`,
        `expected Polygon or MultiPolygon, got ${JSON.stringify(type)}`,
      );
    }
    return { id: String(id), name: properties.name, polygons };
  });
  return { mapName, scale, features };
}
