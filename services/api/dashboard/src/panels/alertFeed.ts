import type { AlertView } from '../api/views.ts';
import { el } from '../element.ts';
import { formatClock } from '../format.ts';

const kept = 200;

const typeLabel: Readonly<Record<AlertView['type'], string>> = {
  IllegalParkingStarted: 'Illegal parking',
  IllegalParkingEnded: 'Parking ended',
  AccidentSegmentEntered: 'Segment entered',
  AccidentSegmentExited: 'Segment exited',
};

/** The live feed: newest first, de-duplicated by alertId (the stream is at-least-once). */
export class AlertFeed {
  readonly #list = el('ol', { class: 'alert-list', 'data-testid': 'alert-list', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  readonly #empty = el('p', { class: 'empty' }, 'No alerts since the desk opened.');
  readonly #status = el('span', { class: 'stream-status', 'data-testid': 'stream-status' }, 'connecting');
  readonly #seen = new Set<string>();
  readonly element: HTMLElement;

  constructor(private readonly onSelect: (vehicleId: string) => void) {
    this.element = el(
      'section',
      { class: 'panel alerts', 'aria-labelledby': 'alerts-title', 'data-testid': 'alert-feed' },
      el('header', { class: 'panel-header' }, el('h2', { id: 'alerts-title' }, 'Live alerts'), this.#status),
      this.#empty,
      this.#list,
    );
  }

  setStatus(status: string): void {
    this.#status.textContent = status;
    this.#status.dataset.status = status;
  }

  add(alert: AlertView): void {
    if (this.#seen.has(alert.alertId)) return;
    this.#seen.add(alert.alertId);
    this.#empty.hidden = true;
    const severity = alert.type === 'IllegalParkingStarted' || (alert.type === 'AccidentSegmentEntered' && alert.laden) ? 'high' : 'info';
    const button = el(
      'button',
      { type: 'button', class: 'alert-item-button', title: `Show ${alert.plateNo ?? alert.vehicleId} on the map` },
      el('time', { datetime: alert.occurredAt }, formatClock(alert.occurredAt)),
      el('span', { class: `alert-type alert-${severity}` }, typeLabel[alert.type] ?? alert.type),
      el('strong', { class: 'alert-plate' }, alert.plateNo ?? alert.vehicleId),
      el('span', { class: 'alert-message' }, alert.message),
    );
    button.addEventListener('click', () => this.onSelect(alert.vehicleId));
    const item = el('li', { class: 'alert-item', 'data-testid': 'alert-item', 'data-alert-id': alert.alertId, 'data-vehicle-id': alert.vehicleId }, button);
    this.#list.prepend(item);
    while (this.#list.children.length > kept) {
      const last = this.#list.lastElementChild;
      if (last === null) break;
      this.#seen.delete((last as HTMLElement).dataset.alertId ?? '');
      last.remove();
    }
  }
}
