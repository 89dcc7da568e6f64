import type { AlertView, DetectionCategory } from '../api/views.ts';
import { el } from '../element.ts';
import { formatClock, kindLabel } from '../format.ts';
import type { StreamStatus } from '../api/alertStream.ts';
import { t } from '../i18n/translate.ts';

/** Alerts kept per list. */
const kept = 200;

const heading = (c: DetectionCategory): string => (c === 'violation' ? t('alerts.violations') : t('alerts.advisories'));
const emptyText = (c: DetectionCategory): string => (c === 'violation' ? t('alerts.noViolation') : t('alerts.noAdvisory'));

/** Whether the alert closes something (a violation ended, a segment left) rather than opening it. */
export function isEnding(alert: AlertView): boolean {
  return alert.type.endsWith('Ended') || alert.type.endsWith('Exited');
}

/** Opening or closing, in a word: "Overspeed" / "Overspeed ended". */
function what(alert: AlertView): string {
  return isEnding(alert) ? t('alerts.ended', { kind: kindLabel(alert.kind) }) : kindLabel(alert.kind);
}

/**
 * The live feed, violations apart from advisories (segment passages: recorded, never violations),
 * each newest first and de-duplicated by alertId (the stream is at-least-once).
 */
export class AlertFeed {
  readonly #lists: Record<DetectionCategory, HTMLOListElement>;
  readonly #empty: Record<DetectionCategory, HTMLElement>;
  readonly #counts: Record<DetectionCategory, HTMLElement>;
  readonly #status = el('span', { class: 'stream-status', 'data-testid': 'stream-status' }, t('streamStatus.connecting'));
  readonly #seen = new Set<string>();
  readonly element: HTMLElement;

  constructor(
    private readonly onSelect: (vehicleId: string) => void,
    headerControl: HTMLElement | null = null,
  ) {
    const list = (c: DetectionCategory) =>
      el('ol', { class: `alert-list alert-list-${c}`, 'data-testid': `alert-list-${c}`, 'aria-live': c === 'violation' ? 'polite' : 'off', 'aria-relevant': 'additions', 'aria-labelledby': `alerts-${c}-title` });
    this.#lists = { violation: list('violation'), advisory: list('advisory') };
    this.#empty = { violation: el('p', { class: 'empty' }, emptyText('violation')), advisory: el('p', { class: 'empty' }, emptyText('advisory')) };
    this.#counts = { violation: el('span', { class: 'count', 'data-testid': 'alert-count-violation' }, '0'), advisory: el('span', { class: 'count', 'data-testid': 'alert-count-advisory' }, '0') };
    const section = (c: DetectionCategory) =>
      el('div', { class: `alert-group alert-group-${c}` }, el('h3', { id: `alerts-${c}-title` }, heading(c), ' ', this.#counts[c]), this.#empty[c], this.#lists[c]);
    this.element = el(
      'section',
      { class: 'panel alerts', 'aria-labelledby': 'alerts-title', 'data-testid': 'alert-feed' },
      el('header', { class: 'panel-header' }, el('h2', { id: 'alerts-title' }, t('alerts.title')), headerControl, this.#status),
      section('violation'),
      section('advisory'),
    );
  }

  setStatus(status: StreamStatus): void {
    this.#status.textContent = t(`streamStatus.${status}`);
    this.#status.dataset.status = status;
  }

  /** Shows the alert; false when it was shown already (the stream is at-least-once). */
  add(alert: AlertView): boolean {
    if (this.#seen.has(alert.alertId)) return false;
    this.#seen.add(alert.alertId);
    const category = alert.category;
    this.#empty[category].hidden = true;
    const button = el(
      'button',
      { type: 'button', class: 'alert-item-button', title: t('alerts.showOnMap', { plate: alert.plateNo ?? alert.vehicleId }) },
      el('time', { datetime: alert.occurredAt }, formatClock(alert.occurredAt)),
      el('span', { class: `alert-type alert-${category === 'violation' ? alert.severity : 'advisory'}` }, what(alert)),
      el('strong', { class: 'alert-plate' }, alert.plateNo ?? alert.vehicleId),
      // The detection's own sentence, in English (libs/detection): shown as it comes, marked so.
      el('span', { class: 'alert-message', lang: 'en' }, alert.message),
    );
    button.addEventListener('click', () => this.onSelect(alert.vehicleId));
    const item = el(
      'li',
      {
        class: `alert-item alert-item-${category}`, 'data-testid': 'alert-item', 'data-alert-id': alert.alertId, 'data-category': category,
        'data-kind': alert.kind, 'data-vehicle-id': alert.vehicleId, 'data-occurred-at': String(Date.parse(alert.occurredAt)),
      },
      button,
    );
    const list = this.#lists[category];
    // Newest event time first, not arrival order: a platform's backlog or a late fix arrives after
    // newer alerts and belongs below them.
    const at = Date.parse(alert.occurredAt);
    let before: Element | null = list.firstElementChild;
    while (before !== null && Number((before as HTMLElement).dataset.occurredAt) > at) before = before.nextElementSibling;
    list.insertBefore(item, before);
    while (list.children.length > kept) {
      const last = list.lastElementChild;
      if (last === null) break;
      this.#seen.delete((last as HTMLElement).dataset.alertId ?? '');
      last.remove();
    }
    this.#counts[category].textContent = String(list.children.length);
    return true;
  }
}
