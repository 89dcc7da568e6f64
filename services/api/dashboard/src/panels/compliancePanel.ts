import type { ApiClient } from '../api/apiClient.ts';
import { ApiError } from '../api/apiError.ts';
import type { ComplianceView } from '../api/views.ts';
import { ledgerRowLabel, standingLabel } from '../caseLabels.ts';
import { el, replaceChildren } from '../element.ts';
import { formatTime, violationKindLabel } from '../format.ts';
import type { ViolationKind } from '../api/views.ts';
import { currentLanguage, t } from '../i18n/translate.ts';
import { carrierLabel } from '../carrierNames.ts';

const statusLabel = (status: ComplianceView['status']): string => t(`complianceStatus.${status}`);

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
      el('header', { class: 'panel-header' }, el('h2', { id: 'compliance-title' }, t('compliance.title')), el('label', { for: 'compliance-carrier', class: 'visually-hidden' }, t('compliance.carrier')), this.#select),
      this.#body,
    );
    replaceChildren(this.#body, el('p', { class: 'empty' }, t('compliance.noCarrier')));
  }

  /** The carriers to choose from (those seen in the fleet; a carrier key has only its own). */
  setCarriers(carrierIds: readonly string[]): void {
    const sorted = [...new Set(carrierIds)].sort();
    if (sorted.length === this.#known.length && sorted.every((c, i) => c === this.#known[i])) return;
    const current = this.#select.value;
    this.#known = sorted;
    replaceChildren(this.#select, ...sorted.map((c) => el('option', { value: c }, carrierLabel(c))));
    if (sorted.includes(current)) this.#select.value = current;
    if (current === '' || !sorted.includes(current)) void this.load();
  }

  async load(): Promise<void> {
    const carrierId = this.#select.value;
    const ticket = ++this.#ticket;
    if (carrierId === '') {
      replaceChildren(this.#body, el('p', { class: 'empty' }, t('compliance.noCarrier')));
      return;
    }
    try {
      const view = await this.api.compliance(carrierId);
      if (ticket !== this.#ticket) return;
      this.#render(view);
    } catch (error) {
      if (ticket !== this.#ticket) return;
      const text = error instanceof ApiError && error.kind === 'not-found' ? t('compliance.notVisible', { carrierId }) : t('compliance.cannotLoad');
      replaceChildren(this.#body, el('p', { class: 'error', role: 'alert' }, text));
      this.hooks.onError(error);
    }
  }

  #render(view: ComplianceView): void {
    const byKind = (Object.entries(view.last30DaysByKind) as [ViolationKind, number][]).filter(([, n]) => n > 0);
    const vehicles = view.vehiclesInViolation;
    const points = view.points;
    const recent = points.history.slice(-RECENT_POINTS_ROWS);
    const showViolations = el('button', { type: 'button', 'data-testid': 'compliance-show-violations' }, t('compliance.showViolations'));
    showViolations.addEventListener('click', () => this.hooks.onShowViolations(view.carrierId));
    replaceChildren(
      this.#body,
      el(
        'p',
        {},
        el('span', { class: `badge status-${view.status}`, 'data-testid': 'compliance-status', 'data-status': view.status }, statusLabel(view.status)),
        ' ',
        carrierLabel(view.carrierId),
        ' · ',
        el('span', { class: `badge standing standing-${points.standing}`, 'data-testid': 'compliance-standing', 'data-standing': points.standing, title: t('compliance.standingTitle') }, t('compliance.standing', { standing: standingLabel(points.standing) })),
        ' ',
        el('span', { 'data-testid': 'compliance-points', 'data-points': String(points.outstanding) }, t('compliance.outstanding', { count: points.outstanding })),
      ),
      el(
        'dl',
        { class: 'facts' },
        el('dt', {}, t('compliance.openViolations')),
        el('dd', { 'data-testid': 'compliance-open' }, String(view.openViolations)),
        el('dt', {}, t('compliance.last30Days')),
        el('dd', {}, String(view.last30DaysTotal), byKind.length > 0 ? ` (${byKind.map(([k, c]) => t('compliance.kindCount', { kind: violationKindLabel(k), count: c })).join(', ')})` : ''),
        el('dt', {}, t('compliance.vehiclesInViolation')),
        el('dd', {}, vehicles.length === 0 ? t('compliance.none') : vehicles.join(', ')),
        el('dt', {}, t('compliance.points')),
        el(
          'dd',
          {},
          t('compliance.pointsThresholds', { points: points.outstanding, yellow: points.thresholds.yellow, red: points.thresholds.red }),
          points.nextExpiryAt === null ? '' : t('compliance.oldestExpire', { time: formatTime(points.nextExpiryAt) }),
        ),
      ),
      // The API's own explanation, written in English (libs/readmodels compliance.ts): shown as it
      // comes and marked so (screen readers, fonts); the facts above say the same in the desk's language.
      // The API words its reasons in English; the facts above say the same, so the Chinese desk shows those only.
      view.reasons.length === 0 || currentLanguage() !== 'en' ? null : el('ul', { class: 'reasons', lang: 'en', 'data-testid': 'compliance-reasons' }, ...view.reasons.map((r) => el('li', {}, r))),
      recent.length === 0 ? null : el('h3', {}, t('compliance.recentChanges')),
      recent.length === 0
        ? null
        : el(
            'ul',
            { class: 'reasons', 'data-testid': 'compliance-points-history' },
            ...recent.map((r) => el('li', { 'data-type': r.type, 'data-total': String(r.total) }, [formatTime(r.at), [ledgerRowLabel(r.type), r.caseId ?? r.actionId ?? r.entryId].filter((t) => t !== undefined).join(' '), `${r.delta > 0 ? `+${r.delta}` : String(r.delta)} → ${r.total}`].join(' · '))),
          ),
      el(
        'p',
        { class: 'hint' },
        t('compliance.window', {
          from: formatTime(view.windowFrom),
          to: formatTime(view.windowTo),
          nonCompliant: view.rules.nonCompliantAtOrAbove,
          days: view.rules.windowDays,
          warning: view.rules.warningAtOrAbove,
        }),
      ),
      el(
        'p',
        { class: 'hint' },
        points.historyTotal > recent.length
          ? t('compliance.pointsAsOfPart', { time: formatTime(points.asOf), months: points.pointsValidityMonths, shown: recent.length, total: points.historyTotal })
          : t('compliance.pointsAsOf', { time: formatTime(points.asOf), months: points.pointsValidityMonths }),
      ),
      showViolations,
    );
  }
}
