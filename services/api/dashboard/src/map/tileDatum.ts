import L from 'leaflet';
import { dataPosition, type TileDatum, tilePosition } from './tileProjection.ts';

/**
 * The map's coordinate reference for tiles of `datum`. Everything dgt draws is WGS-84 (GNSS fixes,
 * zones, routes). Tiles published in China under GCJ-02 are shifted against WGS-84 by hundreds of
 * metres, so drawn as they come, a vehicle on a road appears off it. Instead of converting every
 * marker, zone and track, the map projects each WGS-84 position to its GCJ-02 coordinates first
 * (tileProjection.ts): it lands on the tile pixel where that place is drawn. Screen positions go
 * back the other way (a click, the map's bounds), so the rest of the desk only ever sees WGS-84.
 */
export function crsForTiles(datum: TileDatum): L.CRS {
  if (datum === 'wgs84') return L.CRS.EPSG3857;
  const mercator = L.Projection.SphericalMercator;
  const projection: L.Projection = {
    bounds: mercator.bounds,
    project: (latlng: L.LatLng) => {
      const [lon, lat] = tilePosition(datum, latlng.lng, latlng.lat);
      return mercator.project(L.latLng(lat, lon));
    },
    unproject: (point: L.Point) => {
      const g = mercator.unproject(point);
      const [lon, lat] = dataPosition(datum, g.lng, g.lat);
      return L.latLng(lat, lon);
    },
  };
  return L.extend({}, L.CRS.EPSG3857, { projection, code: 'EPSG:3857+GCJ02' }) as L.CRS;
}
