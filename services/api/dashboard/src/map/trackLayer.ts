import L from 'leaflet';
import type { TrackPoint } from '../api/views.ts';

/** The selected vehicle's recent track: a line with a start marker. */
export class TrackLayer {
  readonly #group = L.layerGroup();

  constructor(map: L.Map) {
    this.#group.addTo(map);
  }

  show(points: readonly TrackPoint[]): L.LatLngBounds | null {
    this.clear();
    if (points.length === 0) return null;
    const latLngs = points.map((p) => L.latLng(p.lat, p.lon));
    const line = L.polyline(latLngs, { className: 'track-line', weight: 3, interactive: false }).addTo(this.#group);
    line.getElement()?.setAttribute('data-testid', 'vehicle-track');
    const first = latLngs[0];
    if (first !== undefined) L.circleMarker(first, { radius: 4, className: 'track-start', interactive: false }).addTo(this.#group);
    return line.getBounds();
  }

  clear(): void {
    this.#group.clearLayers();
  }
}
