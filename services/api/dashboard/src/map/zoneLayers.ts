import L from 'leaflet';
import type { ZoneView } from '../api/views.ts';
import { zoneKindLabel, zoneRulesText } from '../format.ts';
import { t } from '../i18n/translate.ts';
import { pixelsPerMetre } from './deskMap.ts';

type ZoneKind = ZoneView['kind'];

export type ZoneCounts = Readonly<Record<ZoneKind, number>>;

interface Corridor {
  readonly line: L.Polyline;
  readonly bufferM: number;
  readonly lat: number;
}

/**
 * Zones as outlines: lots green, chemical parks orange, accident-prone segments as red corridors
 * (the centre line drawn as wide as its buffer, kept to scale on zoom), restricted areas purple
 * with a dashed edge (where laden hazmat vehicles may not go). A zone's rules are in its tooltip.
 */
/** Below this many pixels across, a lot's or an area's outline is a speck: a pin stands in for it. */
const PIN_BELOW_PX = 10;

interface Pinned {
  readonly outline: L.Polygon;
  readonly pin: L.CircleMarker;
}

export class ZoneLayers {
  readonly #group = L.featureGroup();
  readonly #pins = L.layerGroup();
  #corridors: Corridor[] = [];
  #pinned: Pinned[] = [];

  constructor(private readonly map: L.Map) {
    this.#group.addTo(map);
    this.#pins.addTo(map);
    map.on('zoomend', () => {
      this.#rescaleCorridors();
      this.#placePins();
    });
  }

  show(zones: readonly ZoneView[]): ZoneCounts {
    this.#group.clearLayers();
    this.#pins.clearLayers();
    this.#corridors = [];
    this.#pinned = [];
    const counts: Record<ZoneKind, number> = { 'parking-lot': 0, 'chemical-park': 0, 'accident-segment': 0, 'restricted-area': 0 };
    for (const zone of zones) {
      const layer = this.#layerOf(zone);
      if (layer === null) continue;
      counts[zone.kind]++;
      const rules = zoneRulesText(zone.rules);
      const kind = zoneKindLabel(zone.kind);
      layer.bindTooltip(rules === '' ? t('map.zoneTooltip', { kind, name: zone.name }) : t('map.zoneTooltipRules', { kind, name: zone.name, rules }), { sticky: true });
      layer.addTo(this.#group);
      const element = layer.getElement();
      element?.setAttribute('data-testid', `zone-${zone.kind}`);
      element?.setAttribute('data-zone-id', zone.zoneId);
      // A dedicated lot is a couple of hundred metres across: zoomed out to the county it would
      // vanish, so a pin of fixed size marks it (and parks and areas) with the same tooltip.
      if (layer instanceof L.Polygon) {
        const pin = L.circleMarker(layer.getBounds().getCenter(), { radius: 6, className: `zone-pin zone-pin-${zone.kind}`, weight: 2 });
        pin.bindTooltip(layer.getTooltip()?.getContent() ?? zone.name, { sticky: true });
        this.#pinned.push({ outline: layer, pin });
      }
    }
    this.#rescaleCorridors();
    this.#placePins();
    return counts;
  }

  bounds(): L.LatLngBounds | null {
    const bounds = this.#group.getBounds();
    return bounds.isValid() ? bounds : null;
  }

  #layerOf(zone: ZoneView): L.Path | null {
    switch (zone.kind) {
      case 'parking-lot':
      case 'chemical-park':
      case 'restricted-area': {
        if (zone.polygon === null || zone.polygon.length < 3) return null;
        return L.polygon(
          zone.polygon.map(([lon, lat]) => L.latLng(lat, lon)),
          { className: `zone zone-${zone.kind}`, weight: 2 },
        );
      }
      case 'accident-segment': {
        if (zone.path === null || zone.path.length < 2) return null;
        const latLngs = zone.path.map(([lon, lat]) => L.latLng(lat, lon));
        const line = L.polyline(latLngs, { className: 'zone zone-accident-segment', lineCap: 'round', lineJoin: 'round' });
        const lat = latLngs.reduce((sum, p) => sum + p.lat, 0) / latLngs.length;
        this.#corridors.push({ line, bufferM: zone.bufferM ?? 30, lat });
        return line;
      }
      default: {
        const never: never = zone.kind;
        throw new Error(`unknown zone kind ${String(never)}`);
      }
    }
  }

  /** A pin for each lot, park or area too small to see at this zoom, none for those drawn large enough. */
  #placePins(): void {
    for (const { outline, pin } of this.#pinned) {
      const b = outline.getBounds();
      const ne = this.map.latLngToLayerPoint(b.getNorthEast());
      const sw = this.map.latLngToLayerPoint(b.getSouthWest());
      const small = Math.max(Math.abs(ne.x - sw.x), Math.abs(ne.y - sw.y)) < PIN_BELOW_PX;
      if (small && !this.#pins.hasLayer(pin)) {
        pin.addTo(this.#pins);
        const element = pin.getElement();
        element?.setAttribute('data-testid', 'zone-pin');
      } else if (!small && this.#pins.hasLayer(pin)) this.#pins.removeLayer(pin);
    }
  }

  #rescaleCorridors(): void {
    const zoom = this.map.getZoom();
    for (const corridor of this.#corridors) {
      const weight = Math.max(4, 2 * corridor.bufferM * pixelsPerMetre(corridor.lat, zoom));
      corridor.line.setStyle({ weight });
    }
  }
}
