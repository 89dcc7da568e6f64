import { describe, expect, it } from 'vitest';
import { distanceM, gcj02ToWgs84, wgs84ToGcj02 } from '../src/index.ts';
import { seededRandom } from './seededRandom.ts';

describe('GCJ-02 conversion', () => {
  it('matches published reference vectors of the forward transform (eviltransform test suite)', () => {
    // [wgsLon, wgsLat, gcjLon, gcjLat]: Shanghai, Shenzhen.
    const vectors = [
      [121.5272106, 31.1774276, 121.531541859215, 31.17530398364597],
      [113.912316, 22.543847, 113.9171764808363, 22.540796131694766],
    ] as const;
    for (const [wLon, wLat, gLon, gLat] of vectors) {
      const [lon, lat] = wgs84ToGcj02(wLon, wLat);
      expect(lon).toBeCloseTo(gLon, 9);
      expect(lat).toBeCloseTo(gLat, 9);
    }
  });

  it('round-trips Taizhou points to well under 0.5 m (1e-7° and better)', () => {
    const rnd = seededRandom(7);
    let worstM = 0;
    let worstDeg = 0;
    for (let i = 0; i < 2000; i++) {
      const lon = 120.7 + rnd() * 1.1;
      const lat = 28.1 + rnd() * 1.1;
      const [gLon, gLat] = wgs84ToGcj02(lon, lat);
      const [bLon, bLat] = gcj02ToWgs84(gLon, gLat);
      worstM = Math.max(worstM, distanceM(lon, lat, bLon, bLat));
      worstDeg = Math.max(worstDeg, Math.abs(bLon - lon), Math.abs(bLat - lat));
    }
    expect(worstM).toBeLessThan(0.5);
    expect(worstDeg).toBeLessThan(1e-7);
  });

  it('shifts Taizhou positions by a few hundred metres, the known GCJ-02 offset', () => {
    const rnd = seededRandom(8);
    for (let i = 0; i < 200; i++) {
      const lon = 120.7 + rnd() * 1.1;
      const lat = 28.1 + rnd() * 1.1;
      const [gLon, gLat] = wgs84ToGcj02(lon, lat);
      const offsetM = distanceM(lon, lat, gLon, gLat);
      expect(offsetM).toBeGreaterThan(300);
      expect(offsetM).toBeLessThan(800);
      // East and south around Taizhou.
      expect(gLon).toBeGreaterThan(lon);
      expect(gLat).toBeLessThan(lat);
    }
  });

  it('passes coordinates outside China through unchanged, both ways', () => {
    for (const [lon, lat] of [[2.3522, 48.8566], [139.6917, 35.6895], [-74.006, 40.7128], [121.5, 0.5]] as const) {
      expect(wgs84ToGcj02(lon, lat)).toEqual([lon, lat]);
      expect(gcj02ToWgs84(lon, lat)).toEqual([lon, lat]);
    }
  });
});
