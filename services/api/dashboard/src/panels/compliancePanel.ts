import type { ApiClient } from '../api/apiClient.ts';
import { ApiError } from '../api/apiError.ts';
import type { ComplianceView } from '../api/views.ts';
import { ledgerRowLabel, standingLabel } from '../caseLabels.ts';
import { el, replaceChildren } from '../element.ts';
import { formatTime, violationKindLabel } from '../format.ts';

const statusLabel: Readonly<Record<ComplianceView['status'], string>> = {
  compliant: 'Compliant',
  warning: 'Warning',
  'non-compliant': 'Non-compliant',
};

/** History rows of the points ledger the panel lists; the points page has them all. */
const RECENT_POINTS_ROWS = 5;

/** One carrier's compliance: status badge and points standing badge, counts, reasons, vehicles in violation, recent points history. */
export class CompliancePanel {
  readonly element: HTMLElement;
  readonly #select = el('select', { id: 'compliance-carrier', 'data-testid': 'compliance-carrier' });
  readonly #body = el('div', { class: 'compliance-body', 'data-testid': 'compliance-body', 'aria-live': 'polite' });
  #known: string[] = [];
  #ticket = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly hooks: { readonly onError: (error: unknown) => void; readonly onShowViolations: (carrierId: string) => void },
  ) {
    this.#select.addEventListener('change', () => void this.load());
    this.element = el(
      'section',
      { class: 'panel compliance-panel', 'aria-labelledby': 'compliance-title', 'data-testid': 'compliance-panel' },
      el('header', { class: 'panel-header' }, el('h2', { id: 'compliance-title' }, 'Carrier compliance'), el('label', { for: 'compliance-carrier', class: 'visually-hidden' }, 'Carrier'), this.#select),
      this.#body,
    );
    replaceChildren(this.#body, el('p', { class: 'empty' }, 'No carrier yet.'));
  }

  /** The carriers to choose from (those seen in the fleet; a carrier key has only its own). */
  setCarriers(carrierIds: readonly string[]): void {
    const sorted = [...new Set(carrierIds)].sort();
    if (sorted.length === this.#known.length && sorted.every((c, i) => c === this.#known[i])) return;
    const current = this.#select.value;
    this.#known = sorted;
    replaceChildren(this.#select, ...sorted.map((c) => el('option', { value: c }, c)));
    if (sorted.includes(current)) this.#select.value = current;
    if (current === '' || !sorted.includes(current)) void this.load();
  }

  async load(): Promise<void> {
    const carrierId = this.#select.value;
    const ticket = ++this.#ticket;
    if (carrierId === '') {
      replaceChildren(this.#body, el('p', { class: 'empty' }, 'No carrier yet.'));
      return;
    }
    try {
      const view = await this.api.compliance(carrierId);
      if (ticket !== this.#ticket) return;
      this.#render(view);
    } catch (error) {
      if (ticket !== this.#ticket) return;
      const text = error instanceof ApiError && error.kind === 'not-found' ? `Carrier ${carrierId} is not visible with this key.` : 'Cannot load compliance right now.';
      replaceChildren(this.#body, el('p', { class: 'error', role: 'alert' }, text));
      this.hooks.onError(error);
    }
  }

  #render(view: ComplianceView): void {
    const byKind = (Object.entries(view.last30DaysByKind) as [keyof typeof violationKindLabel, number][]).filter(([, n]) => n > 0);
    const vehicles = view.vehiclesInViolation;
    const points = view.points;
    const recent = points.history.slice(-RECENT_POINTS_ROWS);
    const showViolations = el('button', { type: 'button', 'data-testid': 'compliance-show-violations' }, 'Show its violations');
    showViolations.addEventListener('click', () => this.hooks.onShowViolations(view.carrierId));
    replaceChildren(
      this.#body,
      el(
        'p',
        {},
        el('span', { class: `badge status-${view.status}`, 'data-testid': 'compliance-status', 'data-status': view.status }, statusLabel[view.status]),
        ' ',
        view.carrierId,
        ' · ',
        el('span', { class: `badge standing standing-${points.standing}`, 'data-testid': 'compliance-standing', 'data-standing': points.standing, title: 'Points standing (记分)' }, `Points: ${standingLabel[points.standing]}`),
        ' ',
        el('span', { 'data-testid': 'compliance-points', 'data-points': String(points.outstanding) }, `${points.outstanding} point${points.outstanding === 1 ? '' : 's'} outstanding`),
      ),
      el(
        'dl',
        { class: 'facts' },
        el('dt', {}, 'Open violations'),
        el('dd', { 'data-testid': 'compliance-open' }, String(view.openViolations)),
        el('dt', {}, 'Last 30 days'),
        el('dd', {}, String(view.last30DaysTotal), byKind.length > 0 ? ` (${byKind.map(([k, c]) => `${violationKindLabel[k]}: ${c}`).join(', ')})` : ''),
        el('dt', {}, 'Vehicles in violation'),
        el('dd', {}, vehicles.length === 0 ? 'none' : vehicles.join(', ')),
        el('dt', {}, 'Points'),
        el('dd', {}, `${points.outstanding} (yellow from ${points.thresholds.yellow}, red from ${points.thresholds.red})`, points.nextExpiryAt === null ? '' : `; the oldest expire ${formatTime(points.nextExpiryAt)}`),
      ),
      view.reasons.length === 0 ? null : el('ul', { class: 'reasons', 'data-testid': 'compliance-reasons' }, ...view.reasons.map((r) => el('li', {}, r))),
      recent.length === 0 ? null : el('h3', {}, 'Recent points changes'),
      recent.length === 0
        ? null
        : el(
            'ul',
            { class: 'reasons', 'data-testid': 'compliance-points-history' },
            ...recent.map((r) => el('li', { 'data-type': r.type, 'data-total': String(r.total) }, [formatTime(r.at), [ledgerRowLabel[r.type], r.caseId ?? r.actionId ?? r.entryId].filter((t) => t !== undefined).join(' '), `${r.delta > 0 ? `+${r.delta}` : String(r.delta)} → ${r.total}`].join(' · '))),
          ),
      el('p', { class: 'hint' }, `Window ${formatTime(view.windowFrom)} – ${formatTime(view.windowTo)}; non-compliant with any open violation or ≥ ${view.rules.nonCompliantAtOrAbove} in ${view.rules.windowDays} days, warning from ${view.rules.warningAtOrAbove}. Segment passages are advisories and never count.`),
      el('p', { class: 'hint' }, `Points as of ${formatTime(points.asOf)}, valid ${points.pointsValidityMonths} months; ${points.historyTotal > recent.length ? `the last ${recent.length} of ${points.historyTotal} changes shown, ` : ''}the whole ledger is on the points page.`),
      showViolations,
    );
  }
}
