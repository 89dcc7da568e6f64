import type { AcknowledgementView, AlertView, DetectionCategory } from '../api/views.ts';
import { el, replaceChildren } from '../element.ts';
import { formatClock, kindLabel } from '../format.ts';
import type { StreamStatus } from '../api/alertStream.ts';
import { currentLanguage, t } from '../i18n/translate.ts';

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

/** What a duty officer can do with a violation in the feed (bureau keys); absent, the feed only shows. */
export interface AlertActions {
  acknowledge(alert: AlertView, note: string): Promise<AcknowledgementView>;
  openCase(alert: AlertView): Promise<void>;
}

/** An alert's particulars from its fields: where (the zone), and whether the vehicle was laden. */
export function alertDetail(alert: AlertView): string {
  const parts: string[] = [];
  if (alert.zoneName !== null) parts.push(alert.zoneName);
  parts.push(alert.laden ? t('alerts.laden') : t('alerts.empty'));
  return parts.join(' · ');
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
  /** Acknowledgements known to this desk (its own and every other desk's), by alert id. */
  readonly #acknowledged = new Map<string, AcknowledgementView>();
  readonly #unacknowledged = el('span', { class: 'unacknowledged', 'data-testid': 'alert-unacknowledged' });
  readonly element: HTMLElement;

  constructor(
    private readonly onSelect: (vehicleId: string) => void,
    headerControl: HTMLElement | null = null,
    private readonly actions: AlertActions | null = null,
    /** Whether this desk follows acknowledgements (the bureau's and enforcement's; a carrier's does not). */
    private readonly tracksAcknowledgements = actions !== null,
  ) {
    const list = (c: DetectionCategory) =>
      el('ol', { class: `alert-list alert-list-${c}`, 'data-testid': `alert-list-${c}`, 'aria-live': c === 'violation' ? 'polite' : 'off', 'aria-relevant': 'additions', 'aria-labelledby': `alerts-${c}-title` });
    this.#lists = { violation: list('violation'), advisory: list('advisory') };
    this.#empty = { violation: el('p', { class: 'empty' }, emptyText('violation')), advisory: el('p', { class: 'empty' }, emptyText('advisory')) };
    this.#counts = { violation: el('span', { class: 'count', 'data-testid': 'alert-count-violation' }, '0'), advisory: el('span', { class: 'count', 'data-testid': 'alert-count-advisory' }, '0') };
    const section = (c: DetectionCategory) =>
      el('div', { class: `alert-group alert-group-${c}` }, el('h3', { id: `alerts-${c}-title` }, heading(c), ' ', this.#counts[c], c === 'violation' ? this.#unacknowledged : null), this.#empty[c], this.#lists[c]);
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
      // The detection's own sentence is English (libs/detection): the English desk shows it; the
      // Chinese desk says the same from the alert's fields, in its own words.
      currentLanguage() === 'en' ? el('span', { class: 'alert-message', lang: 'en' }, alert.message) : el('span', { class: 'alert-message' }, alertDetail(alert)),
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
    // Violations call for someone to take them in hand; their endings and advisories do not.
    if (this.tracksAcknowledgements && category === 'violation' && !isEnding(alert)) {
      item.dataset.needsAck = 'true';
      if (this.actions !== null) item.append(this.#actionRow(alert, this.actions));
      const known = this.#acknowledged.get(alert.alertId);
      if (known !== undefined) this.#showAcknowledged(item, known);
    }
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
    this.#countUnacknowledged();
    return true;
  }

  /** Acknowledgements from the API (this desk's and others'): their alerts show who took them and why. */
  markAcknowledged(acks: readonly AcknowledgementView[]): void {
    for (const ack of acks) {
      if (this.#acknowledged.has(ack.alertId)) continue;
      this.#acknowledged.set(ack.alertId, ack);
      const item = this.#lists.violation.querySelector<HTMLElement>(`li[data-alert-id="${CSS.escape(ack.alertId)}"]`);
      if (item !== null) this.#showAcknowledged(item, ack);
    }
    this.#countUnacknowledged();
  }

  #actionRow(alert: AlertView, actions: AlertActions): HTMLElement {
    const note = el('input', { type: 'text', maxlength: '500', class: 'ack-note', placeholder: t('alerts.notePlaceholder'), 'aria-label': t('alerts.note'), 'data-testid': 'ack-note' });
    const ack = el('button', { type: 'submit', class: 'ack', 'data-testid': 'ack' }, t('alerts.acknowledge'));
    const error = el('span', { class: 'ack-error', role: 'alert', 'data-testid': 'ack-error' });
    const open = el('button', { type: 'button', class: 'open-case', 'data-testid': 'alert-open-case' }, t('alerts.openCase'));
    // The note and its button give way to "acknowledged by …"; a case can be opened before or after.
    const form = el('form', { class: 'alert-actions', 'data-testid': 'alert-actions' }, el('span', { class: 'ack-part' }, note, ack), open, error);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      ack.disabled = true;
      error.textContent = '';
      actions.acknowledge(alert, note.value.trim()).then(
        (recorded) => this.markAcknowledged([recorded]),
        (e: unknown) => {
          ack.disabled = false;
          error.textContent = e instanceof Error ? e.message : String(e);
        },
      );
    });
    open.addEventListener('click', () => {
      open.disabled = true;
      error.textContent = '';
      actions.openCase(alert).then(
        () => (open.disabled = false),
        (e: unknown) => {
          open.disabled = false;
          error.textContent = e instanceof Error ? e.message : String(e);
        },
      );
    });
    return form;
  }

  #showAcknowledged(item: HTMLElement, ack: AcknowledgementView): void {
    item.dataset.acknowledged = 'true';
    const line = el('div', { class: 'ack-line', 'data-testid': 'ack-line' }, t('alerts.acknowledgedBy', { who: ack.by.principal, time: formatClock(ack.at) }), ack.note === '' ? null : el('span', { class: 'ack-note-text' }, ` · ${ack.note}`));
    item.querySelector('.ack-part')?.remove();
    item.querySelector('.ack-line')?.remove();
    item.querySelector('.alert-item-button')?.after(line);
  }

  #countUnacknowledged(): void {
    const n = this.#lists.violation.querySelectorAll('li[data-needs-ack="true"]:not([data-acknowledged="true"])').length;
    this.#unacknowledged.dataset.count = String(n);
    replaceChildren(this.#unacknowledged, n === 0 ? '' : t('alerts.unacknowledged', { count: n }));
  }
}
