import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CountyDataError,
  CountyIndex,
  gcj02ToWgs84,
  pointInPolygon,
  wgs84ToGcj02,
} from '../src/index.ts';
import type { LonLat } from '../src/index.ts';
import { BandedRing, INSIDE, ON_BOUNDARY, OUTSIDE } from '../src/ringBands.ts';
import { seededRandom } from './seededRandom.ts';

const seedsDir = new URL('../../../seeds/taizhou/', import.meta.url);
const counties = JSON.parse(readFileSync(new URL('counties.json', seedsDir), 'utf8')) as {
  source: { sourceDatum: string; converted: boolean; note: string };
  features: {
    properties: { code: string; datum: string };
    geometry: { type: string; coordinates: unknown };
  }[];
};
const index = new CountyIndex(counties);

type Ring = [number, number][];
const square = (x0: number, y0: number, x1: number, y1: number): Ring => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const feature = (code: string, name: string, coordinates: Ring[], datum = 'WGS84') => ({
  type: 'Feature',
  properties: { code, name, nameEn: name, datum },
  geometry: { type: 'Polygon', coordinates },
});
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

describe('Taizhou county boundaries (seeds/taizhou/counties.json)', () => {
  it('holds the nine county-level divisions with their current codes, names and pinyin', () => {
    expect(index.counties()).toEqual([
      { code: '331002', name: '椒江区', nameEn: 'Jiaojiang' },
      { code: '331003', name: '黄岩区', nameEn: 'Huangyan' },
      { code: '331004', name: '路桥区', nameEn: 'Luqiao' },
      { code: '331022', name: '三门县', nameEn: 'Sanmen' },
      { code: '331023', name: '天台县', nameEn: 'Tiantai' },
      { code: '331024', name: '仙居县', nameEn: 'Xianju' },
      { code: '331081', name: '温岭市', nameEn: 'Wenling' },
      { code: '331082', name: '临海市', nameEn: 'Linhai' },
      { code: '331083', name: '玉环市', nameEn: 'Yuhuan' },
    ]);
  });

  it('is WGS-84, converted from the GCJ-02 source, and says so', () => {
    expect(counties.source.sourceDatum).toBe('GCJ02');
    expect(counties.source.converted).toBe(true);
    expect(counties.source.note).toContain('玉环县 331021 became 玉环市 331083');
    expect(counties.features.every((f) => f.properties.datum === 'WGS84')).toBe(true);
  });

  it('was converted with an inverse that is exact to 1e-7° over the whole county extent', () => {
    // The seed went GCJ-02 → WGS-84 through gcj02ToWgs84; at every vertex, going forward and back again
    // must land where it started, or the boundaries would carry the inverse's error.
    let worst = 0;
    let vertices = 0;
    for (const f of counties.features) {
      const polygons = (
        f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates
      ) as LonLat[][][];
      for (const [lon, lat] of polygons.flat(2)) {
        const [gLon, gLat] = wgs84ToGcj02(lon, lat);
        const [bLon, bLat] = gcj02ToWgs84(gLon, gLat);
        worst = Math.max(worst, Math.abs(bLon - lon), Math.abs(bLat - lat));
        vertices++;
      }
    }
    expect(vertices).toBeGreaterThan(10_000);
    expect(worst).toBeLessThan(1e-7);
  });

  it.each([
    ['city hall, Jiaojiang', 28.656, 121.421, '椒江区'],
    ['Xianju modern industrial cluster', 28.865, 120.79, '仙居县'],
    ['Tiantai Cangshan', 29.15, 121.05, '天台县'],
    ['Yuhuan', 28.17, 121.25, '玉环市'],
    ['Wenling east', 28.4, 121.53, '温岭市'],
    ['Huangyan Jiangkou chemical park', 28.645, 121.31, '黄岩区'],
    ['Linhai chemical park (Duqiao/Chuannan)', 28.72, 121.57, '临海市'],
  ])('places %s (%f, %f) in %s', (_place, lat, lon, name) => {
    expect(index.countyAt(lon, lat)?.name).toBe(name);
  });

  it('answers null at sea and outside Taizhou', () => {
    expect(index.countyAt(122.3, 28.5)).toBeNull(); // East China Sea, ~40 km off Jiaojiang
    expect(index.countyAt(120.155, 30.274)).toBeNull(); // Hangzhou, West Lake
    expect(index.countyAt(120.7, 28.0)).toBeNull(); // Wenzhou, south of the border
  });

  it('puts every seeded zone in a county, except the two at Toumen port on land reclaimed after the source was drawn', () => {
    const misses = new Map<string, number>();
    for (const line of readFileSync(new URL('zones.ndjson', seedsDir), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const { data } = JSON.parse(line) as {
        data: { zoneId: string; datum: string; polygon?: LonLat[]; path?: LonLat[] };
      };
      // Polygons: every vertex; segments (paths): the first point, where the zone is entered.
      const points = data.polygon ?? [data.path?.[0] as LonLat];
      for (const [lon, lat] of points) {
        const [wLon, wLat] = data.datum === 'GCJ02' ? gcj02ToWgs84(lon, lat) : [lon, lat];
        if (index.countyAt(wLon, wLat) === null)
          misses.set(data.zoneId, (misses.get(data.zoneId) ?? 0) + 1);
      }
    }
    // Toumen port's park and lot stand on reclaimed land between the mainland and Toumen island that the
    // source coastline predates (and the seed places them only roughly); the source's nearest shore is
    // Linhai's, ~2 km to the north-west, and 3 km due west of the port is Linhai.
    expect(Object.fromEntries(misses)).toEqual({ 'park-toumen': 5, 'lot-toumen': 5 });
    expect(index.countyAt(121.7, 28.7)).toBeNull();
    expect(index.countyAt(121.7 - 0.03, 28.7)?.name).toBe('临海市');
  });
});

describe('CountyIndex lookups', () => {
  it('agrees with pointInPolygon on every ring, on random points and on vertices and edge midpoints', () => {
    const rnd = seededRandom(18);
    let checked = 0;
    for (const f of counties.features) {
      const polygons = (
        f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates
      ) as LonLat[][][];
      for (const ring of polygons.flat()) {
        const banded = new BandedRing(ring);
        const probes: LonLat[] = [];
        for (let i = 0; i + 1 < ring.length; i += 7) {
          const [a, b] = [ring[i] as LonLat, ring[i + 1] as LonLat];
          probes.push(a, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
        }
        for (let i = 0; i < 200; i++) {
          probes.push([
            banded.minLon + rnd() * (banded.maxLon - banded.minLon),
            banded.minLat + rnd() * (banded.maxLat - banded.minLat),
          ]);
        }
        for (const [lon, lat] of probes) {
          expect(banded.position(lon, lat) !== OUTSIDE).toBe(pointInPolygon(lon, lat, ring));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20_000);
  });

  it('tells a ring boundary from its interior', () => {
    const ring = new BandedRing(square(0, 0, 2, 2));
    expect(ring.position(1, 1)).toBe(INSIDE);
    expect(ring.position(2, 1)).toBe(ON_BOUNDARY);
    expect(ring.position(0, 0)).toBe(ON_BOUNDARY);
    expect(ring.position(3, 1)).toBe(OUTSIDE);
  });

  it('gives a point on a shared border to the county whose code sorts first, whatever the input order', () => {
    const west = feature('331004', 'west', [square(0, 0, 1, 1)]);
    const east = feature('331002', 'east', [square(1, 0, 2, 1)]);
    for (const fc of [collection(west, east), collection(east, west)]) {
      const idx = new CountyIndex(fc);
      expect(idx.countyAt(1, 0.5)?.code).toBe('331002');
      expect(idx.countyAt(0.5, 0.5)?.code).toBe('331004');
      expect(idx.countyAt(1.5, 0.5)?.code).toBe('331002');
    }
  });

  it('treats holes as outside, their edges as the boundary (inside), and finds an enclave in a hole', () => {
    const idx = new CountyIndex(
      collection(
        feature('331001', 'ring county', [square(0, 0, 4, 4), square(1, 1, 3, 3)]),
        feature('331099', 'enclave', [square(1.5, 1.5, 2.5, 2.5)]),
      ),
    );
    expect(idx.countyAt(0.5, 0.5)?.code).toBe('331001');
    expect(idx.countyAt(1.2, 1.2)).toBeNull();
    expect(idx.countyAt(1, 2)?.code).toBe('331001');
    expect(idx.countyAt(2, 2)?.code).toBe('331099');
  });

  it('reads MultiPolygons: an island belongs to its county', () => {
    const idx = new CountyIndex(
      collection({
        type: 'Feature',
        properties: { code: '331083', name: '玉环市', nameEn: 'Yuhuan', datum: 'WGS84' },
        geometry: {
          type: 'MultiPolygon',
          coordinates: [[square(0, 0, 1, 1)], [square(5, 5, 6, 6)]],
        },
      }),
    );
    expect(idx.countyAt(5.5, 5.5)?.name).toBe('玉环市');
    expect(idx.countyAt(3, 3)).toBeNull();
  });

  it('refuses a non-coordinate query, naming the argument', () => {
    expect(() => index.countyAt(Number.NaN, 28.6)).toThrow(/lon must be a number/);
    expect(() => index.countyAt(121.4, 95)).toThrow(/lat must be a number/);
  });
});

describe('CountyIndex input validation', () => {
  const good = () => feature('331002', '椒江区', [square(121.4, 28.6, 121.5, 28.7)]);
  const multi = (coordinates: unknown) =>
    collection({ ...good(), geometry: { type: 'MultiPolygon', coordinates } });
  const cases: [string, string, unknown][] = [
    ['not a FeatureCollection', 'type', { type: 'Feature' }],
    ['no features', 'features', collection()],
    [
      'a code that is not 6 digits',
      'features[1].properties.code',
      collection(good(), feature('33100', 'x', [square(0, 0, 1, 1)])),
    ],
    ['a duplicate code', 'features[1].properties.code', collection(good(), good())],
    [
      'a missing nameEn',
      'features[0].properties.nameEn',
      collection({ ...good(), properties: { code: '331002', name: '椒江区', datum: 'WGS84' } }),
    ],
    [
      'GCJ-02 data',
      'features[0].properties.datum',
      collection(feature('331002', '椒江区', [square(0, 0, 1, 1)], 'GCJ02')),
    ],
    [
      'a LineString',
      'features[0].geometry.type',
      collection({
        ...good(),
        geometry: {
          type: 'LineString',
          coordinates: [
            [0, 0],
            [1, 1],
          ],
        },
      }),
    ],
    [
      'an open ring',
      'features[0].geometry.coordinates[0]',
      collection(
        feature('331002', 'x', [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        ]),
      ),
    ],
    [
      'a ring of three positions',
      'features[0].geometry.coordinates[0]',
      collection(
        feature('331002', 'x', [
          [
            [0, 0],
            [1, 0],
            [0, 0],
          ],
        ]),
      ),
    ],
    [
      'a latitude out of range',
      'features[0].geometry.coordinates[0][2][1]',
      collection(
        feature('331002', 'x', [
          [
            [0, 0],
            [1, 0],
            [1, 91],
            [0, 0],
          ],
        ]),
      ),
    ],
    [
      'a string coordinate',
      'features[0].geometry.coordinates[0][1][0]',
      collection(
        feature('331002', 'x', [
          [
            [0, 0],
            ['1', 0],
            [1, 1],
            [0, 0],
          ],
        ] as unknown as Ring[]),
      ),
    ],
    [
      'a bad hole in a MultiPolygon',
      'features[0].geometry.coordinates[1][1][3]',
      multi([[square(0, 0, 1, 1)], [square(2, 2, 5, 5), [[3, 3], [4, 3], [4, 4], [3]]]]),
    ],
    ['an empty MultiPolygon', 'features[0].geometry.coordinates', multi([])],
  ];
  it.each(cases)('refuses %s, naming %s', (_what, path, input) => {
    let error: unknown;
    try {
      new CountyIndex(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CountyDataError);
    expect((error as CountyDataError).path).toBe(path);
    expect((error as Error).message.startsWith(`${path}: `)).toBe(true);
  });
});
