import L from 'leaflet';
import type { FleetVehicle } from '../api/views.ts';
import { t } from '../i18n/translate.ts';

interface Shown {
  readonly marker: L.Marker;
  signature: string;
}

/**
 * One marker per vehicle with a fix, updated in place on every refresh (markers are reused, so
 * thousands of vehicles refresh without rebuilding the layer). Laden vehicles are red and carry
 * their hazard class; the arrow points along the heading (a dot when the heading is unknown).
 */
export class VehicleMarkers {
  readonly #group = L.layerGroup();
  readonly #shown = new Map<string, Shown>();
  #selected: string | null = null;

  constructor(
    map: L.Map,
    private readonly onSelect: (vehicleId: string) => void,
  ) {
    this.#group.addTo(map);
  }

  get count(): number {
    return this.#shown.size;
  }

  update(vehicles: readonly FleetVehicle[]): void {
    const seen = new Set<string>();
    for (const vehicle of vehicles) {
      const fix = vehicle.lastFix;
      if (fix === null) continue;
      seen.add(vehicle.vehicleId);
      const signature = signatureOf(vehicle, vehicle.vehicleId === this.#selected);
      const shown = this.#shown.get(vehicle.vehicleId);
      const at = L.latLng(fix.lat, fix.lon);
      if (shown === undefined) {
        const marker = L.marker(at, { icon: iconOf(vehicle, false), keyboard: true, title: labelOf(vehicle), riseOnHover: true });
        marker.on('click', () => this.onSelect(vehicle.vehicleId));
        marker.addTo(this.#group);
        this.#shown.set(vehicle.vehicleId, { marker, signature });
        continue;
      }
      shown.marker.setLatLng(at);
      if (shown.signature !== signature) {
        shown.marker.setIcon(iconOf(vehicle, vehicle.vehicleId === this.#selected));
        shown.marker.setZIndexOffset(vehicle.vehicleId === this.#selected ? 1000 : 0);
        shown.signature = signature;
      }
    }
    for (const [vehicleId, shown] of this.#shown) {
      if (seen.has(vehicleId)) continue;
      shown.marker.remove();
      this.#shown.delete(vehicleId);
    }
  }

  /** Highlights one vehicle (the rest keep their icon until their next change). */
  select(vehicleId: string | null, vehicles: readonly FleetVehicle[]): void {
    this.#selected = vehicleId;
    for (const shown of this.#shown.values()) shown.signature = '';
    this.update(vehicles);
  }

  positionOf(vehicleId: string): L.LatLng | null {
    return this.#shown.get(vehicleId)?.marker.getLatLng() ?? null;
  }

  bounds(): L.LatLngBounds | null {
    const points = [...this.#shown.values()].map((s) => s.marker.getLatLng());
    if (points.length === 0) return null;
    return L.latLngBounds(points);
  }
}

function hazardClassOf(vehicle: FleetVehicle): string {
  const classes = [...new Set(vehicle.goods.map((g) => g.hazardClass))];
  return classes.join('/');
}

function labelOf(vehicle: FleetVehicle): string {
  const plate = vehicle.plateNo ?? vehicle.vehicleId;
  return vehicle.laden ? t('map.vehicleLaden', { plate, classes: hazardClassOf(vehicle) || '?' }) : t('map.vehicleEmpty', { plate });
}

function signatureOf(vehicle: FleetVehicle, selected: boolean): string {
  const heading = vehicle.lastFix?.headingDeg;
  return `${vehicle.laden ? 'L' : 'E'}|${hazardClassOf(vehicle)}|${heading === null || heading === undefined ? '-' : Math.round(heading)}|${vehicle.openViolations.length > 0 ? 'V' : ''}|${selected ? 'S' : ''}|${vehicle.plateNo ?? ''}`;
}

const svgNs = 'http://www.w3.org/2000/svg';

function iconOf(vehicle: FleetVehicle, selected: boolean): L.DivIcon {
  const root = document.createElement('div');
  root.className = ['vehicle', vehicle.laden ? 'vehicle-laden' : 'vehicle-empty', vehicle.openViolations.length > 0 ? 'vehicle-violating' : '', selected ? 'vehicle-selected' : '']
    .filter(Boolean)
    .join(' ');
  root.dataset.testid = 'vehicle-marker';
  root.dataset.vehicleId = vehicle.vehicleId;
  root.dataset.laden = String(vehicle.laden);
  root.setAttribute('aria-label', labelOf(vehicle));

  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', '-12 -12 24 24');
  svg.setAttribute('width', '24');
  svg.setAttribute('height', '24');
  svg.setAttribute('class', 'vehicle-glyph');
  const heading = vehicle.lastFix?.headingDeg ?? null;
  if (heading === null) {
    const dot = document.createElementNS(svgNs, 'circle');
    dot.setAttribute('r', '6');
    svg.appendChild(dot);
  } else {
    const arrow = document.createElementNS(svgNs, 'path');
    arrow.setAttribute('d', 'M0,-11 L7,8 L0,4 L-7,8 Z');
    svg.appendChild(arrow);
    // CSSOM, not a style attribute: the CSP forbids inline styles in markup.
    svg.style.transform = `rotate(${heading}deg)`;
  }
  root.appendChild(svg);
  if (vehicle.laden) {
    const badge = document.createElement('span');
    badge.className = 'hazard-class';
    badge.textContent = hazardClassOf(vehicle) || '!';
    root.appendChild(badge);
  }
  return L.divIcon({ html: root, className: 'vehicle-icon', iconSize: [24, 24], iconAnchor: [12, 12] });
}
