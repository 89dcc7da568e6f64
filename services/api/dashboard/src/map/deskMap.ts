import L from 'leaflet';
import type { DashboardConfig } from '../api/views.ts';
import { t } from '../i18n/translate.ts';
import { crsForTiles } from './tileDatum.ts';

/** Taizhou (台州) city centre: the default view before any zone or vehicle is known. */
const taizhou: L.LatLngTuple = [28.66, 121.42];

/**
 * The Leaflet map. Without a tile URL it draws on a plain background (zone and road outlines
 * only), so the desk works with no tile server at all; with one, tiles come from that host.
 */
export function createDeskMap(container: HTMLElement, config: DashboardConfig): L.Map {
  const map = L.map(container, {
    // GCJ-02 tiles (Amap, Tencent) need the WGS-84 overlays projected onto them (tileDatum.ts).
    crs: crsForTiles(config.tileDatum ?? 'wgs84'),
    center: taizhou,
    zoom: 10,
    minZoom: 5,
    maxZoom: 18,
    preferCanvas: false,
    // Added below with the desk's words: Leaflet's own titles are English.
    zoomControl: false,
    attributionControl: config.tileUrl !== null,
  });
  if (config.tileUrl !== null) {
    L.tileLayer(config.tileUrl, { maxZoom: 18, attribution: config.tileAttribution ?? '' }).addTo(map);
    map.attributionControl.setPrefix(false);
  } else {
    container.classList.add('plain-background');
  }
  if (config.roads && config.roads.length > 0) {
    const roads = L.layerGroup().addTo(map);
    for (const road of config.roads) {
      L.polyline(road.path.map(([lon, lat]) => L.latLng(lat, lon)), { className: 'road-outline', weight: 3, interactive: false })
        .bindTooltip(road.name, { sticky: true })
        .addTo(roads);
    }
  }
  L.control.zoom({ zoomInTitle: t('map.zoomIn'), zoomOutTitle: t('map.zoomOut') }).addTo(map);
  L.control.scale({ metric: true, imperial: false }).addTo(map);
  return map;
}

/** Pixels per metre at a latitude and zoom (Web Mercator): accident corridors are drawn to scale. */
export function pixelsPerMetre(lat: number, zoom: number): number {
  const metresPerPixel = (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / 2 ** (zoom + 8);
  return 1 / metresPerPixel;
}
