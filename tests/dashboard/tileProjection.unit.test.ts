import { gcj02ToWgs84, wgs84ToGcj02 } from '@dgt/geo';
import { describe, expect, it } from 'vitest';
import { dataPosition, tilePosition } from '../../services/api/dashboard/src/map/tileProjection.ts';

/*
 * Issue #18 item 2: production tiles may be GCJ-02 (Amap, Tencent); the desk's data are WGS-84.
 * The desk moves its data onto such tiles (WGS-84 → GCJ-02 before projecting), never the tiles.
 */

const cityHall: [number, number] = [121.421, 28.656];

describe('tile datum', () => {
  it('draws a WGS-84 position on GCJ-02 tiles at its GCJ-02 coordinates: ~0.0044° east and ~0.0030° south around Taizhou', () => {
    const [lon, lat] = tilePosition('gcj02', ...cityHall);
    expect([lon, lat]).toEqual(wgs84ToGcj02(...cityHall));
    expect(lon - cityHall[0]).toBeCloseTo(0.0044, 4);
    expect(lat - cityHall[1]).toBeCloseTo(-0.003, 3);
  });

  it('reads a point of GCJ-02 tiles back to WGS-84 within a centimetre, and leaves WGS-84 tiles alone', () => {
    const onTiles = tilePosition('gcj02', ...cityHall);
    const back = dataPosition('gcj02', ...onTiles);
    expect(back[0]).toBeCloseTo(cityHall[0], 7);
    expect(back[1]).toBeCloseTo(cityHall[1], 7);
    expect(back).toEqual(gcj02ToWgs84(...onTiles));
    expect(tilePosition('wgs84', ...cityHall)).toEqual(cityHall);
    expect(dataPosition('wgs84', ...cityHall)).toEqual(cityHall);
  });
});
