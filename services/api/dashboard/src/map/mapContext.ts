import L from 'leaflet';
import type { CountyName, DashboardConfig, PlaceView } from '../api/views.ts';
import { currentLanguage, t } from '../i18n/translate.ts';

/** Place labels crowd the map below this zoom (a county is then a few hundred pixels wide). */
const PLACE_LABEL_MIN_ZOOM = 11;

interface CountyFeature {
  readonly type: 'Feature';
  readonly properties: CountyName;
  readonly geometry: { readonly type: 'Polygon' | 'MultiPolygon'; readonly coordinates: unknown };
}

/** A county's name in the desk's language. */
export function countyLabel(c: CountyName): string {
  return currentLanguage() === 'zh-CN' ? c.name : c.nameEn;
}

/** A road's name in the desk's language: seed roads are named "G15 Shenhai expressway (沈海高速)". */
export function roadLabel(name: string): string {
  if (currentLanguage() !== 'zh-CN') return name;
  const m = /^(\S+) .*\(([^()]+)\)$/.exec(name);
  if (m === null) return name;
  // A route number (G15, S28) reads the same in both languages; the English words do not.
  return /^[GSXY]\d+$/.test(m[1] ?? '') ? `${m[1]} ${m[2]}` : (m[2] ?? name);
}

/** Where a position is, in words: "黄岩区 · G15 沈海高速" (the road's distance when it is not on it); null when nothing is known. */
export function placeText(place: PlaceView | null | undefined): string | null {
  if (place === null || place === undefined) return null;
  const parts: string[] = [];
  if (place.county !== null) parts.push(countyLabel(place.county));
  if (place.road !== null) {
    const road = roadLabel(place.road.name);
    parts.push(place.road.distanceM <= 100 ? road : t('map.roadAway', { road, km: (place.road.distanceM / 1000).toFixed(1) }));
  }
  return parts.length === 0 ? null : parts.join(' · ');
}

/**
 * The map's context on a plain background: county-level boundaries with their names (from
 * /map/counties.json, WGS-84 like everything the desk draws) and the seed world's places, labelled
 * once the map is close enough. Both sit under the zones and vehicles and take no clicks.
 * Answers the counties (for filters), or none when the API has no boundaries.
 */
export async function addMapContext(map: L.Map, config: DashboardConfig): Promise<readonly CountyName[]> {
  const places = config.places ?? [];
  if (places.length > 0) {
    const labels = L.layerGroup();
    for (const p of places) {
      const name = currentLanguage() === 'zh-CN' ? (p.nameZh ?? p.name) : p.name;
      L.circleMarker([p.lat, p.lon], { radius: 2, className: 'place-dot', interactive: false })
        .bindTooltip(name, { permanent: true, direction: 'right', className: 'place-label', offset: [4, 0] })
        .addTo(labels);
    }
    const show = () => (map.getZoom() >= PLACE_LABEL_MIN_ZOOM ? labels.addTo(map) : labels.remove());
    map.on('zoomend', show);
    show();
  }
  if (config.counties !== true) return [];
  let collection: { features: readonly CountyFeature[] };
  try {
    const response = await fetch('/map/counties.json', { headers: { accept: 'application/json' } });
    if (!response.ok) return [];
    collection = (await response.json()) as { features: readonly CountyFeature[] };
  } catch {
    // The map works without them: zones and vehicles carry the desk.
    return [];
  }
  const layer = L.geoJSON(collection as unknown as GeoJSON.FeatureCollection, {
    interactive: false,
    style: { className: 'county-outline', weight: 1.5, fill: false },
    onEachFeature: (feature, l) => {
      const c = feature.properties as CountyName;
      l.bindTooltip(countyLabel(c), { permanent: true, direction: 'center', className: 'county-label' });
    },
  });
  layer.addTo(map);
  layer.bringToBack();
  return collection.features.map((f) => ({ code: f.properties.code, name: f.properties.name, nameEn: f.properties.nameEn }));
}
