import { describe, expect, it } from 'vitest';
import type { LonLat, ZoneKind, ZoneSpec } from '../src/index.ts';
import { CoverCache, ZoneIndex, gcj02ToWgs84 } from '../src/index.ts';
import { seededRandom } from './seededRandom.ts';
import { chemicalPark, lotA, lotC, lotGcj, offset, segment, segmentApril, segmentGcj } from './taizhouZones.ts';

const T = Date.UTC(2025, 2, 1);
const ZONES: readonly ZoneSpec[] = [lotA, lotC, lotGcj, chemicalPark, segment, segmentGcj];
const KINDS: readonly ZoneKind[] = ['parking-lot', 'accident-segment', 'chemical-park'];

/** Points around every vertex of the zones, most within tens of metres of an edge. */
function pointsNearZones(n: number): LonLat[] {
  const rnd = seededRandom(7);
  const vertices = ZONES.flatMap((z) => [...(z.polygon ?? []), ...(z.path ?? [])]);
  return Array.from({ length: n }, () => offset(vertices[Math.floor(rnd() * vertices.length)] as LonLat, (rnd() - 0.5) * 300, (rnd() - 0.5) * 300));
}

describe('CoverCache', () => {
  it('gives an index built from cached covers the same answers and stats as one computing every cover', () => {
    const covers = new CoverCache();
    const first = new ZoneIndex({ covers });
    for (const z of ZONES) first.designate(z, T);
    const warm = new ZoneIndex({ covers });
    for (const z of ZONES) warm.designate(z, T);
    const cold = new ZoneIndex({ covers: null });
    for (const z of ZONES) cold.designate(z, T);

    expect(covers.stats()).toMatchObject({ covers: ZONES.length, hits: ZONES.length, misses: ZONES.length });
    expect(warm.stats()).toEqual(cold.stats());
    let inside = 0;
    for (const [lon, lat] of pointsNearZones(20_000)) {
      for (const kind of KINDS) {
        const expected = cold.zonesAt(lon, lat, T, kind);
        expect(warm.zonesAt(lon, lat, T, kind)).toEqual(expected);
        inside += expected.length;
      }
    }
    expect(inside).toBeGreaterThan(2_000);
  });

  it('keys covers by WGS-84 geometry, buffer and resolution, not by id, name, kind, time or declared datum', () => {
    const covers = new CoverCache();
    const index = new ZoneIndex({ covers });
    index.designate(lotGcj, T);
    const sameRingInWgs84: ZoneSpec = {
      zoneId: 'other', kind: 'chemical-park', name: 'other', datum: 'WGS84',
      polygon: (lotGcj.polygon as LonLat[]).map(([lon, lat]) => gcj02ToWgs84(lon, lat)),
    };
    index.designate(sameRingInWgs84, T + 1);
    expect(covers.stats()).toMatchObject({ hits: 1, misses: 1 });

    index.designate({ ...segment, bufferM: 51 }, T);
    index.designate(segmentApril, T);
    new ZoneIndex({ covers, resolution: 10 }).designate(lotGcj, T);
    expect(covers.stats()).toMatchObject({ covers: 4, hits: 1, misses: 4 });
    expect(index.zonesAt(...(sameRingInWgs84.polygon as LonLat[])[0] as [number, number], T + 1, 'chemical-park')).toEqual(['other']);
  });

  it('holds at most maxCells cells, evicting the least recently used cover first', () => {
    const sizes = new Map<string, number>();
    for (const z of [lotA, lotC, lotGcj]) {
      const probe = new ZoneIndex({ covers: null });
      probe.designate(z, T);
      sizes.set(z.zoneId, probe.stats().cells);
    }
    // Room for lot-a and lot-gcj (and their keys), not for lot-c as well.
    const budget = (sizes.get('lot-a') as number) + (sizes.get('lot-gcj') as number) + 10;
    expect(budget).toBeLessThan(budget - 10 + (sizes.get('lot-c') as number));
    const covers = new CoverCache({ maxCells: budget });
    const index = new ZoneIndex({ covers });
    index.designate(lotA, T);
    index.designate(lotC, T);
    index.designate(lotA, T + 1); // lotA is now the most recently used
    index.designate(lotGcj, T);
    const held = covers.stats();
    expect(held.cells).toBeLessThanOrEqual(budget);
    expect(held.cells).toBeGreaterThanOrEqual((sizes.get('lot-a') as number) + (sizes.get('lot-gcj') as number));
    expect(held.covers).toBe(2);

    index.designate(lotA, T + 2);
    index.designate(lotC, T + 2);
    expect(covers.stats()).toMatchObject({ hits: 2, misses: 4 });
  });

  it('does not hold a cover larger than the whole budget, and still answers with it', () => {
    const covers = new CoverCache({ maxCells: 10 });
    const index = new ZoneIndex({ covers });
    index.designate(lotA, T);
    expect(covers.stats()).toMatchObject({ covers: 0, cells: 0, misses: 1 });
    expect(index.zonesAt(121.4321, 28.6812, T, 'parking-lot')).toEqual(['lot-a']);
  });

  it('shares read-only covers between indexes', () => {
    const covers = new CoverCache();
    const a = new ZoneIndex({ covers });
    a.designate(chemicalPark, T);
    const b = new ZoneIndex({ covers });
    b.designate(chemicalPark, T);
    // Withdrawing in one index leaves the other (sharing the cover) untouched.
    a.withdraw('park-1', T + 1);
    const centre = offset(chemicalPark.polygon?.[0] as LonLat, 500, 300);
    expect(a.zonesAt(centre[0], centre[1], T + 2, 'chemical-park')).toEqual([]);
    expect(b.zonesAt(centre[0], centre[1], T + 2, 'chemical-park')).toEqual(['park-1']);
  });

  it('rejects an invalid budget', () => {
    expect(() => new CoverCache({ maxCells: -1 })).toThrow(RangeError);
    expect(() => new CoverCache({ maxCells: 1.5 })).toThrow(RangeError);
  });
});
