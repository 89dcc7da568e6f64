import { describe, expect, it } from 'vitest';
import type { LonLat, ZoneSpec } from '../src/index.ts';
import { ZoneGeometryError, ZoneIndex, ZoneIndexError, distanceToPathM, gcj02ToWgs84, pointInPolygon, wgs84ToGcj02 } from '../src/index.ts';
import { seededRandom } from './seededRandom.ts';
import { chemicalPark, lotA, lotC, lotGcj, offset, segment } from './taizhouZones.ts';

const MARCH = Date.UTC(2025, 2, 1);
const APRIL = Date.UTC(2025, 3, 1);
const MAY = Date.UTC(2025, 4, 1);

function square(id: string, centre: LonLat, halfM: number, kind: ZoneSpec['kind'] = 'parking-lot'): ZoneSpec {
  return {
    zoneId: id, kind, name: id, datum: 'WGS84',
    polygon: [offset(centre, -halfM, -halfM), offset(centre, halfM, -halfM), offset(centre, halfM, halfM), offset(centre, -halfM, halfM)],
  };
}

const here: LonLat = [121.4321, 28.6812];

function geometryError(fn: () => void): ZoneGeometryError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ZoneGeometryError) return e;
    throw e;
  }
  throw new Error('expected a ZoneGeometryError');
}

describe('ZoneIndex time versioning', () => {
  it('applies a designation from its fromMs on, not before', () => {
    const index = new ZoneIndex();
    index.designate(square('lot-1', here, 100), MARCH);
    expect(index.zonesAt(here[0], here[1], MARCH - 1, 'parking-lot')).toEqual([]);
    expect(index.zonesAt(here[0], here[1], MARCH, 'parking-lot')).toEqual(['lot-1']);
    expect(index.zonesAt(here[0], here[1], MAY, 'parking-lot')).toEqual(['lot-1']);
    expect(index.versionAt('lot-1', MARCH - 1)).toBeUndefined();
    expect(index.versionAt('lot-1', MARCH)?.toMs).toBe(Infinity);
  });

  it('ends a zone at withdrawal (exclusive end), reports false for unknown or already withdrawn zones', () => {
    const index = new ZoneIndex();
    index.designate(square('lot-1', here, 100), MARCH);
    expect(index.withdraw('lot-1', APRIL)).toBe(true);
    expect(index.inAny(here[0], here[1], APRIL - 1, 'parking-lot')).toBe(true);
    expect(index.inAny(here[0], here[1], APRIL, 'parking-lot')).toBe(false);
    expect(index.versionAt('lot-1', MARCH)?.toMs).toBe(APRIL);
    expect(index.withdraw('lot-1', MAY)).toBe(false);
    expect(index.withdraw('no-such-zone', MAY)).toBe(false);
    expect(index.versionAt('lot-1', MARCH)?.toMs).toBe(APRIL);
  });

  it('answers a March replay with March geometry after an April geometry change, and April with April', () => {
    const index = new ZoneIndex();
    const march = square('lot-1', here, 100);
    const aprilCentre = offset(here, 500, 0);
    const april = square('lot-1', aprilCentre, 100);
    index.designate(march, MARCH);
    index.designate(april, APRIL);

    // Old spot: in the zone in March only; new spot: in April only (queries in any order).
    expect(index.zonesAt(aprilCentre[0], aprilCentre[1], MAY, 'parking-lot')).toEqual(['lot-1']);
    expect(index.zonesAt(here[0], here[1], MARCH + 1000, 'parking-lot')).toEqual(['lot-1']);
    expect(index.zonesAt(aprilCentre[0], aprilCentre[1], APRIL - 1, 'parking-lot')).toEqual([]);
    expect(index.zonesAt(here[0], here[1], APRIL, 'parking-lot')).toEqual([]);
    expect(index.versionAt('lot-1', MARCH)?.toMs).toBe(APRIL);
    expect(index.versionAt('lot-1', APRIL)?.polygon).toEqual(april.polygon);
    expect(index.stats().versions).toBe(2);
    expect(index.activeAt(MARCH).map((v) => v.fromMs)).toEqual([MARCH]);
    expect(index.activeAt(APRIL).map((v) => v.fromMs)).toEqual([APRIL]);
  });

  it('lets a designation that is earlier than the active version supersede it from its own fromMs', () => {
    const index = new ZoneIndex();
    index.designate(square('lot-1', here, 100), APRIL);
    index.designate(square('lot-1', offset(here, 500, 0), 100), MARCH);
    expect(index.versionAt('lot-1', APRIL)?.fromMs).toBe(MARCH);
    expect(index.activeAt(MAY)).toHaveLength(1);
    expect(index.zonesAt(here[0], here[1], MAY, 'parking-lot')).toEqual([]);
  });
});

describe('ZoneIndex answers', () => {
  it('returns ids sorted and deduplicated, filtered by kind', () => {
    const index = new ZoneIndex();
    index.designate(square('lot-z', here, 150), MARCH);
    index.designate(square('lot-a', here, 100), MARCH);
    index.designate(square('lot-m', here, 120), MARCH);
    index.designate(square('park-b', here, 300, 'chemical-park'), MARCH);
    // Same id re-designated with the same geometry: still one id.
    index.designate(square('lot-m', here, 120), APRIL);
    expect(index.zonesAt(here[0], here[1], MAY, 'parking-lot')).toEqual(['lot-a', 'lot-m', 'lot-z']);
    expect(index.zonesAt(here[0], here[1], MAY, 'chemical-park')).toEqual(['park-b']);
    expect(index.zonesAt(here[0], here[1], MAY, 'accident-segment')).toEqual([]);
    expect(index.activeAt(MAY).map((v) => v.zoneId)).toEqual(['lot-a', 'lot-m', 'lot-z', 'park-b']);
  });

  it('returns one shared frozen empty array when nothing matches, near a zone or far from all', () => {
    const index = new ZoneIndex();
    index.designate(square('lot-1', here, 100), MARCH);
    const far = index.zonesAt(120.8, 28.2, MARCH, 'parking-lot');
    const near = offset(here, 105, 0);
    const nearMiss = index.zonesAt(near[0], near[1], MARCH, 'parking-lot');
    const beforeTime = index.zonesAt(here[0], here[1], MARCH - 1, 'parking-lot');
    expect(far).toEqual([]);
    expect(Object.isFrozen(far)).toBe(true);
    expect(nearMiss).toBe(far);
    expect(beforeTime).toBe(far);
    expect(index.zonesAt(Number.NaN, 28.6, MARCH, 'parking-lot')).toBe(far);
  });

  it('treats an accident segment as a corridor with rounded ends', () => {
    const index = new ZoneIndex();
    const start = segment.path?.[0] as LonLat;
    const second = segment.path?.[1] as LonLat;
    index.designate(segment, MARCH);
    // Points straight "behind" the start, along the reversed first segment direction.
    const dx = (start[0] - second[0]) * Math.cos((start[1] * Math.PI) / 180);
    const dy = start[1] - second[1];
    const len = Math.hypot(dx, dy);
    const inside = offset(start, (dx / len) * 49, (dy / len) * 49);
    const outside = offset(start, (dx / len) * 51, (dy / len) * 51);
    expect(index.zonesAt(inside[0], inside[1], MARCH, 'accident-segment')).toEqual(['seg-1']);
    expect(index.zonesAt(outside[0], outside[1], MARCH, 'accident-segment')).toEqual([]);
    expect(distanceToPathM(inside[0], inside[1], segment.path as LonLat[])).toBeLessThan(50);
    expect(distanceToPathM(outside[0], outside[1], segment.path as LonLat[])).toBeGreaterThan(50);
  });

  it('converts GCJ-02 zones to WGS-84 before indexing and keeps the declared datum', () => {
    const index = new ZoneIndex();
    const gcjCentre: LonLat = [121.2655, 28.6499];
    index.designate(lotGcj, MARCH);
    const [lon, lat] = gcj02ToWgs84(gcjCentre[0], gcjCentre[1]);
    expect(index.zonesAt(lon, lat, MARCH, 'parking-lot')).toEqual(['lot-gcj']);
    // The raw GCJ-02 numbers read as WGS-84 are ~500 m off: outside the 125 m lot.
    expect(index.zonesAt(gcjCentre[0], gcjCentre[1], MARCH, 'parking-lot')).toEqual([]);
    const version = index.versionAt('lot-gcj', MARCH);
    expect(version?.datum).toBe('GCJ02');
    const back = version?.polygon?.map(([x, y]) => wgs84ToGcj02(x, y)) ?? [];
    back.forEach(([x, y], i) => {
      const original = lotGcj.polygon?.[i] as LonLat;
      expect(Math.abs(x - original[0])).toBeLessThan(1e-7);
      expect(Math.abs(y - original[1])).toBeLessThan(1e-7);
    });
  });

  it('gives the same answers at any resolution and for identical designation sequences (deterministic, exact)', () => {
    const zones = [lotA, lotC, chemicalPark, segment];
    const build = (resolution: number) => {
      const index = new ZoneIndex({ resolution });
      zones.forEach((z) => index.designate(z, MARCH));
      return index;
    };
    const a = build(11);
    const b = build(11);
    const coarse = build(9);
    expect(a.stats()).toEqual(b.stats());
    expect(coarse.stats().cells).toBeLessThan(a.stats().cells);
    const rnd = seededRandom(3);
    let hits = 0;
    for (let i = 0; i < 5000; i++) {
      const lon = 121.34 + rnd() * 0.16;
      const lat = 28.59 + rnd() * 0.14;
      for (const kind of ['parking-lot', 'accident-segment', 'chemical-park'] as const) {
        const got = a.zonesAt(lon, lat, MARCH, kind);
        expect(b.zonesAt(lon, lat, MARCH, kind)).toEqual(got);
        expect(coarse.zonesAt(lon, lat, MARCH, kind)).toEqual(got);
        const want = zones
          .filter((z) => z.kind === kind)
          .filter((z) => (z.polygon ? pointInPolygon(lon, lat, z.polygon) : distanceToPathM(lon, lat, z.path as LonLat[]) <= (z.bufferM as number)))
          .map((z) => z.zoneId)
          .sort();
        expect(got).toEqual(want);
        hits += got.length;
      }
    }
    expect(hits).toBeGreaterThan(100);
  });

  it('counts versions, cells and boundary cells', () => {
    const index = new ZoneIndex();
    expect(index.stats()).toEqual({ versions: 0, cells: 0, boundaryCells: 0 });
    index.designate(square('lot-1', here, 200), MARCH);
    const s = index.stats();
    expect(s.versions).toBe(1);
    // A 400 m square at res 11 (~2,150 m² per cell) covers ~75 cells plus a ring of boundary cells.
    expect(s.cells).toBeGreaterThan(70);
    expect(s.boundaryCells).toBeGreaterThan(10);
    expect(s.boundaryCells).toBeLessThan(s.cells);
  });
});

describe('ZoneIndex input errors', () => {
  const base = { zoneId: 'bad', name: 'bad', datum: 'WGS84' as const };
  const a = here;
  const b = offset(here, 100, 0);

  it.each([
    ['POLYGON_TOO_FEW_VERTICES', { ...base, kind: 'parking-lot', polygon: [a, b, a, b] }],
    ['POLYGON_REQUIRED', { ...base, kind: 'chemical-park' }],
    ['PATH_REQUIRED', { ...base, kind: 'accident-segment', bufferM: 50 }],
    ['PATH_TOO_SHORT', { ...base, kind: 'accident-segment', path: [a], bufferM: 50 }],
    ['PATH_TOO_SHORT', { ...base, kind: 'accident-segment', path: [a, a, [a[0] + 1e-9, a[1]]], bufferM: 50 }],
    ['BUFFER_REQUIRED', { ...base, kind: 'accident-segment', path: [a, b] }],
    ['BUFFER_INVALID', { ...base, kind: 'accident-segment', path: [a, b], bufferM: -5 }],
    ['INVALID_COORDINATE', { ...base, kind: 'parking-lot', polygon: [a, b, [Number.NaN, 28]] }],
    ['INVALID_COORDINATE', { ...base, kind: 'parking-lot', polygon: [a, b, [121, 95]] }],
  ] as [string, ZoneSpec][])('rejects %s with a typed error and leaves the index unchanged', (code, spec) => {
    const index = new ZoneIndex();
    index.designate({ ...square('bad', here, 100) }, MARCH);
    const before = index.stats();
    const error = geometryError(() => index.designate(spec, APRIL));
    expect(error.code).toBe(code);
    expect(error.zoneId).toBe('bad');
    expect(index.stats()).toEqual(before);
    expect(index.versionAt('bad', MAY)?.fromMs).toBe(MARCH);
  });

  it('rejects an invalid resolution and non-finite times with ZoneIndexError codes', () => {
    expect(() => new ZoneIndex({ resolution: 16 })).toThrow(ZoneIndexError);
    const index = new ZoneIndex();
    try {
      index.designate(square('lot-1', here, 100), Number.NaN);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ZoneIndexError);
      expect((e as ZoneIndexError).code).toBe('INVALID_TIME');
    }
    expect(index.stats().versions).toBe(0);
  });
});
