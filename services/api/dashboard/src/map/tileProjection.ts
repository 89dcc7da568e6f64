import { gcj02ToWgs84, wgs84ToGcj02 } from '@dgt/geo/gcj02';

/** The datum of the map tiles: WGS-84 (OpenStreetMap, Tianditu) or GCJ-02 (Amap/高德, Tencent). */
export type TileDatum = 'wgs84' | 'gcj02';

/**
 * Where on tiles of `datum` a WGS-84 position is drawn: the same lon/lat for WGS-84 tiles; its
 * GCJ-02 coordinates for GCJ-02 tiles (around Taizhou ≈ 0.0044° east and 0.0030° south, ≈ 540 m —
 * a vehicle drawn without it would sit beside its road).
 */
export function tilePosition(datum: TileDatum, lon: number, lat: number): [number, number] {
  return datum === 'gcj02' ? wgs84ToGcj02(lon, lat) : [lon, lat];
}

/** The WGS-84 position of a point of the tiles (a click, the map's corners): the inverse of `tilePosition`. */
export function dataPosition(datum: TileDatum, lon: number, lat: number): [number, number] {
  return datum === 'gcj02' ? gcj02ToWgs84(lon, lat) : [lon, lat];
}
