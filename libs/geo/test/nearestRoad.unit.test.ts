import { describe, expect, it } from 'vitest';
import { distanceToPathM } from '../src/pathDistance.ts';
import { RoadIndex } from '../src/nearestRoad.ts';
import type { LonLat } from '../src/types.ts';

const g15: LonLat[] = [[121.3, 28.4], [121.27, 28.46], [121.24, 28.52]];
const g104: LonLat[] = [[121.2, 28.6], [121.35, 28.62]];
const index = new RoadIndex([{ name: 'G15', path: g15 }, { name: 'G104', path: g104 }, { name: 'empty', path: [] }]);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('RoadIndex', () => {
  it('names the nearest road within the distance, with its exact distance, and none beyond it', () => {
    const onG15 = index.nearest(121.27, 28.46, 500);
    expect(onG15).toEqual({ name: 'G15', distanceM: 0 });
    const near = index.nearest(121.28, 28.61, 3000);
    expect(near?.name).toBe('G104');
    expect(near?.distanceM).toBe(distanceToPathM(121.28, 28.61, g104));
    expect(index.nearest(121.6, 28.9, 2000)).toBeNull();
    expect(index.nearest(Number.NaN, 28.5, 2000)).toBeNull();
  });

  it('agrees with measuring every road on 20,000 random points (the box pruning loses nothing)', () => {
    const rnd = mulberry32(7);
    for (let i = 0; i < 20_000; i++) {
      const lon = 121.1 + rnd() * 0.4;
      const lat = 28.3 + rnd() * 0.4;
      const within = rnd() * 8000;
      const d15 = distanceToPathM(lon, lat, g15);
      const d104 = distanceToPathM(lon, lat, g104);
      const best = Math.min(d15, d104);
      const expected = best <= within ? { name: d15 <= d104 ? 'G15' : 'G104', distanceM: best } : null;
      expect(index.nearest(lon, lat, within)).toEqual(expected);
    }
  });
});
