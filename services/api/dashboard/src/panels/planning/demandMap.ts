import L from 'leaflet';
import type { CandidateArea, DashboardConfig, DemandCell, DemandFeatureCollection, ZoneView } from '../../api/views.ts';
import { el } from '../../element.ts';
import { formatTime } from '../../format.ts';
import { t } from '../../i18n/translate.ts';
import { createDeskMap } from '../../map/deskMap.ts';
import { addMapContext } from '../../map/mapContext.ts';
import { ZoneLayers } from '../../map/zoneLayers.ts';
import { formatKm, formatNumber, topList } from './planningFormat.ts';

/** Colour classes of the hexagons (planning.css `.demand-level-N`), lightest first. */
export const DEMAND_LEVELS = 5;

/**
 * Where a cell's vehicle-hours fall on the ramp: each class holds twice the demand of the one
 * below it (the upper bounds are 1/16, 1/8, 1/4 and 1/2 of the busiest cell) — demand is
 * heavy-tailed, and equal steps would paint all but a few cells the same.
 */
export function demandBreaks(maxVehicleHours: number): number[] {
  return [16, 8, 4, 2].map((d) => maxVehicleHours / d);
}

export function demandLevel(vehicleHours: number, breaks: readonly number[]): number {
  let level = 0;
  for (const b of breaks) if (vehicleHours >= b && b > 0) level++;
  return level;
}

/**
 * The demand map: the desk's own map (createDeskMap: the same tiles, datum and roads, so GCJ-02
 * tiles line up as on the live map) with the county context, the dedicated lots (from /v1/zones),
 * a hexagon per demand cell coloured by vehicle-hours, and the candidate areas as numbered markers.
 */
export class DemandMap {
  readonly #map: L.Map;
  readonly #lots: ZoneLayers;
  readonly #hexes = L.featureGroup();
  readonly #candidates = L.featureGroup();
  readonly #markers = new Map<number, L.Marker>();
  #fitted = false;

  constructor(
    readonly container: HTMLElement,
    config: DashboardConfig,
    private readonly onCandidate: (rank: number) => void,
  ) {
    this.#map = createDeskMap(container, config);
    void addMapContext(this.#map, config);
    this.#lots = new ZoneLayers(this.#map);
    this.#hexes.addTo(this.#map);
    this.#candidates.addTo(this.#map);
  }

  showLots(zones: readonly ZoneView[]): void {
    this.#lots.show(zones.filter((z) => z.kind === 'parking-lot'));
    this.#fit();
  }

  /** Draws the hexagons (replacing the last ones); `cells` gives each its figures for the tooltip. Answers how many were drawn. */
  showDemand(geojson: DemandFeatureCollection, cells: readonly DemandCell[], breaks: readonly number[]): number {
    this.#hexes.clearLayers();
    const byCell = new Map(cells.map((c) => [c.cell, c]));
    let drawn = 0;
    for (const feature of geojson.features) {
      const ring = feature.geometry.coordinates[0];
      if (ring === undefined || ring.length < 3) continue;
      const p = feature.properties;
      const hex = L.polygon(
        ring.map(([lon, lat]) => L.latLng(lat, lon)),
        { className: `demand-hex demand-level-${demandLevel(p.vehicleHours, breaks)}`, weight: 1 },
      );
      hex.bindTooltip(() => cellTooltip(p, byCell.get(p.cell)), { sticky: true });
      hex.addTo(this.#hexes);
      const element = hex.getElement();
      element?.setAttribute('data-testid', 'demand-hex');
      element?.setAttribute('data-cell', p.cell);
      element?.setAttribute('data-vehicle-hours', String(p.vehicleHours));
      drawn++;
    }
    this.#fit();
    return drawn;
  }

  showCandidates(candidates: readonly CandidateArea[]): void {
    this.#candidates.clearLayers();
    this.#markers.clear();
    for (const c of candidates) {
      const label = t('planning.candidateMarker', { rank: c.rank, perWeek: formatNumber(c.vehicleHoursPerWeek, 2) });
      const icon = el('div', { class: 'candidate-marker', 'data-testid': 'candidate-marker', 'data-rank': String(c.rank), 'aria-label': label }, String(c.rank));
      const marker = L.marker(L.latLng(c.centre[1], c.centre[0]), { icon: L.divIcon({ html: icon, className: 'candidate-icon', iconSize: [24, 32], iconAnchor: [12, 32], tooltipAnchor: [12, -20] }), keyboard: true, title: label, zIndexOffset: 1000 - c.rank });
      // A pin above the area's centre: the hexagons under it stay visible.
      marker.bindTooltip(label);
      marker.on('click', () => this.onCandidate(c.rank));
      marker.addTo(this.#candidates);
      this.#markers.set(c.rank, marker);
    }
  }

  /** Centres the map on a candidate (closer in if far out) and shows its label. */
  focusCandidate(rank: number): void {
    const marker = this.#markers.get(rank);
    if (marker === undefined) return;
    this.#map.setView(marker.getLatLng(), Math.max(this.#map.getZoom(), 13), { animate: false });
    marker.openTooltip();
  }

  /** The container was hidden (0×0 to Leaflet): measure again. */
  resize(): void {
    this.#map.invalidateSize({ animate: false });
  }

  remove(): void {
    this.#map.stop();
    this.#map.remove();
  }

  /** Frames lots, demand and candidates the first time there is any; the user's view is kept after. */
  #fit(): void {
    if (this.#fitted) return;
    const bounds = L.latLngBounds([]);
    for (const group of [this.#hexes, this.#candidates]) {
      const b = group.getBounds();
      if (b.isValid()) bounds.extend(b);
    }
    const lots = this.#lots.bounds();
    if (lots !== null) bounds.extend(lots);
    if (!bounds.isValid()) return;
    // Lots alone (no demand yet) frame the map, but the first demand framed wins.
    if (this.#hexes.getLayers().length > 0) this.#fitted = true;
    this.#map.fitBounds(bounds.pad(0.1), { maxZoom: 13, animate: false });
  }
}

/** A hexagon's tooltip: its stops, vehicle-hours and vehicles, the classes, the nearest lot, when. */
function cellTooltip(p: DemandFeatureCollection['features'][number]['properties'], cell: DemandCell | undefined): HTMLElement {
  const classes = cell === undefined ? p.hazardClasses : topList(cell.classes.map((c) => ({ label: t('planning.hazardClass', { hazardClass: c.hazardClass }), count: c.stops })), 5);
  const lotName = cell?.nearestLot?.name ?? p.nearestLotId;
  const nearest = p.nearestLotM === null || lotName === null ? t('planning.noLotNear') : t('planning.nearestLotIs', { name: lotName, distance: formatKm(p.nearestLotM) });
  return el(
    'div',
    { class: 'demand-tooltip' },
    el('strong', {}, t('planning.cellFigures', { stops: formatNumber(p.stops, 0), vehicleHours: formatNumber(p.vehicleHours, 2), vehicles: formatNumber(p.vehicles, 0) })),
    el('div', {}, t('planning.cellClasses', { classes })),
    el('div', {}, nearest),
    cell === undefined ? null : el('div', { class: 'muted' }, t('planning.cellWhen', { first: formatTime(new Date(cell.firstStopMs).toISOString()), last: formatTime(new Date(cell.lastStopMs).toISOString()) })),
  );
}
