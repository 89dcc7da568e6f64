import L from 'leaflet';
import type { TrackPoint } from '../api/views.ts';

/** A violation marked on the track: where the vehicle was when it started, and what it was. */
export interface TrackMark {
  readonly lat: number;
  readonly lon: number;
  readonly label: string;
}

/** The selected vehicle's recent track: a line with a start marker, its violations, and the playback head. */
export class TrackLayer {
  readonly #group = L.layerGroup();
  readonly #marks = L.layerGroup();
  #head: L.CircleMarker | null = null;

  constructor(private readonly map: L.Map) {
    this.#group.addTo(map);
    this.#marks.addTo(map);
  }

  /** Marks where violations started along the track (replacing earlier marks). */
  showMarks(marks: readonly TrackMark[]): void {
    this.#marks.clearLayers();
    for (const m of marks) {
      const marker = L.circleMarker(L.latLng(m.lat, m.lon), { radius: 6, className: 'track-violation' }).bindTooltip(m.label).addTo(this.#marks);
      marker.getElement()?.setAttribute('data-testid', 'track-violation');
    }
  }

  /** The playback head at a fix of the track, or none. */
  showHead(point: TrackPoint | null): void {
    if (point === null) {
      this.#head?.remove();
      this.#head = null;
      return;
    }
    const at = L.latLng(point.lat, point.lon);
    if (this.#head === null) {
      this.#head = L.circleMarker(at, { radius: 7, className: 'track-head', interactive: false }).addTo(this.map);
      this.#head.getElement()?.setAttribute('data-testid', 'track-head');
    } else this.#head.setLatLng(at);
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
    this.#marks.clearLayers();
    this.showHead(null);
  }
}
