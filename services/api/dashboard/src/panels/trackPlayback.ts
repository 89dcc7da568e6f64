import type { TrackPoint } from '../api/views.ts';
import { el } from '../element.ts';
import { formatTime } from '../format.ts';
import { t } from '../i18n/translate.ts';

/** Playback speeds, as multiples of real time: a 15 s reporting interval passes in 1.5 s at 10×, in 0.05 s at 300×. */
const speeds = [10, 60, 300, 1800] as const;
const tickMs = 100;

/**
 * Plays a vehicle's track back: a slider over its fixes (drag to any one), play/pause, speed as a
 * multiple of real time (the time between fixes is kept, so stops last and gaps show), and the
 * fix under the playhead with its Beijing time and speed. `onMove` draws the playhead.
 */
export class TrackPlayback {
  readonly element: HTMLElement;
  readonly #slider = el('input', { type: 'range', min: '0', max: '0', value: '0', step: '1', 'aria-label': t('playback.position'), 'data-testid': 'track-slider' }) as HTMLInputElement;
  readonly #play = el('button', { type: 'button', class: 'play', 'data-testid': 'track-play', 'aria-label': t('playback.play') }, '▶');
  readonly #speed = el('select', { 'aria-label': t('playback.speed'), 'data-testid': 'track-speed' }, ...speeds.map((s) => el('option', { value: String(s) }, `${s}×`)));
  readonly #at = el('span', { class: 'track-at', 'data-testid': 'track-at' });
  #points: readonly TrackPoint[] = [];
  #times: number[] = [];
  #index = 0;
  /** Track time under the playhead while playing (ms). */
  #clock = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly onMove: (point: TrackPoint | null) => void) {
    this.#speed.value = '60';
    this.#slider.addEventListener('input', () => {
      this.pause();
      this.#moveTo(Number(this.#slider.value));
    });
    this.#play.addEventListener('click', () => (this.#timer === null ? this.play() : this.pause()));
    this.element = el('div', { class: 'track-playback', 'data-testid': 'track-playback' }, this.#play, this.#slider, this.#speed, this.#at);
    this.load([]);
  }

  /** A new track: the playhead at its last fix (where the vehicle is now), paused. */
  load(points: readonly TrackPoint[]): void {
    this.pause();
    this.#points = points;
    this.#times = points.map((p) => Date.parse(p.occurredAt));
    this.#slider.max = String(Math.max(0, points.length - 1));
    this.element.hidden = points.length < 2;
    this.#moveTo(points.length - 1);
  }

  play(): void {
    if (this.#points.length < 2 || this.#timer !== null) return;
    // From the start when at the end, as a player does.
    if (this.#index >= this.#points.length - 1) this.#moveTo(0);
    this.#clock = this.#times[this.#index] as number;
    this.#play.textContent = '❚❚';
    this.#play.setAttribute('aria-label', t('playback.pause'));
    this.element.dataset.state = 'playing';
    this.#timer = setInterval(() => this.#tick(), tickMs);
  }

  pause(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#play.textContent = '▶';
    this.#play.setAttribute('aria-label', t('playback.play'));
    this.element.dataset.state = 'paused';
  }

  #tick(): void {
    this.#clock += tickMs * Number(this.#speed.value);
    let i = this.#index;
    while (i < this.#times.length - 1 && (this.#times[i + 1] as number) <= this.#clock) i++;
    if (i !== this.#index) this.#moveTo(i);
    if (i >= this.#points.length - 1) this.pause();
  }

  #moveTo(index: number): void {
    const point = this.#points[index];
    this.#index = Math.max(0, index);
    this.#slider.value = String(this.#index);
    this.element.dataset.index = String(this.#index);
    this.#at.textContent = point === undefined ? '' : `${formatTime(point.occurredAt)} · ${Math.round(point.speedKmh)} km/h`;
    this.onMove(point ?? null);
  }
}
