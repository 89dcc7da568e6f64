import type { ApiClient, CaseFilter } from '../api/apiClient.ts';
import { ApiError } from '../api/apiError.ts';
import type { CaseStatus, CaseView, CountyName, ViolationKind } from '../api/views.ts';
import { caseStatuses, caseStatusLabel } from '../caseLabels.ts';
import { el, replaceChildren } from '../element.ts';
import { formatTime, violationKindLabel, violationKinds } from '../format.ts';
import { t } from '../i18n/translate.ts';
import { carrierLabel } from '../carrierNames.ts';
import { countyLabel } from '../map/mapContext.ts';
import { field } from './actionForm.ts';

const pageSize = 50;

/**
 * The case list: GET /v1/cases with its filters (status, kind, carrier, county) and cursor paging, newest
 * first. A carrier's key gets its own cases only (the API scopes the list), so it has no carrier filter.
 */
export class CasesList {
  readonly element: HTMLElement;
  readonly #form: HTMLFormElement;
  readonly #body = el('tbody', { 'data-testid': 'cases-body' });
  readonly #info = el('p', { class: 'table-info', 'data-testid': 'cases-info', 'aria-live': 'polite' });
  readonly #prev = el('button', { type: 'button', 'data-testid': 'cases-prev' }, t('table.newer'));
  readonly #next = el('button', { type: 'button', 'data-testid': 'cases-next' }, t('table.older'));
  #cursors: (string | null)[] = [null];
  #nextCursor: string | null = null;
  #filter: CaseFilter = {};
  #ticket = 0;
  #selected: string | null = null;
  /** Filled once the map has the county boundaries (none without them). */
  readonly #county = el('select', { name: 'county', 'data-testid': 'cases-filter-county' }, el('option', { value: '' }, t('table.all')));

  constructor(
    private readonly api: ApiClient,
    private readonly options: { readonly ownOnly: boolean; readonly onOpen: (caseId: string) => void; readonly onError: (error: unknown) => void },
  ) {
    this.#form = el(
      'form',
      { class: 'filters', 'aria-label': t('cases.filters'), 'data-testid': 'cases-filters' },
      field(
        t('cases.status'),
        el('select', { name: 'status', 'data-testid': 'cases-filter-status' }, el('option', { value: '' }, t('table.all')), ...caseStatuses.map((s) => el('option', { value: s }, caseStatusLabel(s)))),
      ),
      field(
        t('cases.kind'),
        el('select', { name: 'kind', 'data-testid': 'cases-filter-kind' }, el('option', { value: '' }, t('table.all')), ...violationKinds.map((k) => el('option', { value: k }, violationKindLabel(k)))),
      ),
      options.ownOnly ? null : field(t('cases.carrier'), el('input', { type: 'text', name: 'carrier', placeholder: t('table.carrierPlaceholder'), 'data-testid': 'cases-filter-carrier' })),
      field(t('cases.county'), this.#county),
      el('button', { type: 'submit', 'data-testid': 'cases-filter-apply' }, t('table.apply')),
      el('button', { type: 'reset', 'data-testid': 'cases-filter-reset' }, t('table.clear')),
    );
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#filter = this.#readFilter();
      this.#cursors = [null];
      void this.load();
    });
    this.#form.addEventListener('reset', () => {
      queueMicrotask(() => {
        this.#filter = {};
        this.#cursors = [null];
        void this.load();
      });
    });
    this.#prev.addEventListener('click', () => {
      if (this.#cursors.length <= 1) return;
      this.#cursors.pop();
      void this.load();
    });
    this.#next.addEventListener('click', () => {
      if (this.#nextCursor === null) return;
      this.#cursors.push(this.#nextCursor);
      void this.load();
    });
    const head = [t('cases.opened'), t('cases.case'), t('cases.status'), t('cases.kind'), t('cases.carrier'), t('cases.vehicle'), t('cases.county'), t('cases.officer')];
    this.element = el(
      'section',
      { class: 'panel cases-list', 'aria-labelledby': 'cases-title', 'data-testid': 'cases-list' },
      el('header', { class: 'panel-header' }, el('h2', { id: 'cases-title' }, options.ownOnly ? t('cases.myTitle') : t('cases.title'))),
      this.#form,
      el(
        'div',
        { class: 'table-scroll' },
        el(
          'table',
          { class: 'violations cases', 'data-testid': 'cases-table' },
          el('caption', { class: 'visually-hidden' }, t('cases.caption')),
          el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
          this.#body,
        ),
      ),
      el('div', { class: 'pager' }, this.#prev, this.#info, this.#next),
    );
  }

  /** Marks the case shown on the case page. */
  select(caseId: string | null): void {
    this.#selected = caseId;
    for (const row of this.#body.querySelectorAll<HTMLElement>('tr[data-case-id]')) row.classList.toggle('row-selected', row.dataset.caseId === caseId);
  }

  async load(): Promise<void> {
    const ticket = ++this.#ticket;
    this.#info.textContent = t('cases.loading');
    try {
      const page = await this.api.cases(this.#filter, pageSize, this.#cursors[this.#cursors.length - 1] ?? null);
      if (ticket !== this.#ticket) return;
      this.#nextCursor = page.nextCursor;
      this.#render(page.items);
    } catch (error) {
      if (ticket !== this.#ticket) return;
      this.#info.textContent = error instanceof ApiError && error.kind !== 'network' ? t('cases.cannotList', { message: error.message }) : t('cases.cannotListNow');
      this.options.onError(error);
    }
  }

  /** The counties the filter offers (from the map's boundaries), by code. */
  setCounties(counties: readonly CountyName[]): void {
    replaceChildren(this.#county, el('option', { value: '' }, t('table.all')), ...counties.map((c) => el('option', { value: c.code }, countyLabel(c))));
  }

  #readFilter(): CaseFilter {
    const data = new FormData(this.#form);
    const value = (name: string): string | undefined => {
      const v = data.get(name);
      return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
    };
    const status = value('status') as CaseStatus | undefined;
    const kind = value('kind');
    const carrier = value('carrier');
    const county = value('county');
    return { ...(status === undefined ? {} : { status }), ...(kind === undefined ? {} : { kind }), ...(carrier === undefined ? {} : { carrier }), ...(county === undefined ? {} : { county }) };
  }

  #render(items: readonly CaseView[]): void {
    const rows = items.map((c) => {
      const row = el(
        'tr',
        { class: 'violation-row case-row', tabindex: '0', 'data-testid': 'case-row', 'data-case-id': c.caseId, 'data-status': c.status },
        el('td', { class: 'wrap' }, el('time', { datetime: c.openedAt }, formatTime(c.openedAt)), el('div', { class: 'muted' }, c.openedBy === 'policy' ? t('cases.byPolicy', { policy: c.policy ?? '' }) : t('cases.byOfficer'))),
        el('td', {}, c.caseId),
        el('td', {}, el('span', { class: `badge case-status case-status-${c.status}` }, caseStatusLabel(c.status))),
        el('td', { class: 'wrap' }, kindText(c.kind)),
        el('td', {}, carrierLabel(c.carrierId)),
        el('td', {}, c.vehicleId),
        el('td', { 'data-testid': 'case-row-county' }, c.county === null ? '—' : countyLabel(c.county)),
        el('td', { class: 'wrap' }, c.assignment === null ? '—' : `${c.assignment.officer} (${c.assignment.unit})`),
      );
      const open = (): void => this.options.onOpen(c.caseId);
      row.addEventListener('click', open);
      row.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          open();
        }
      });
      return row;
    });
    if (rows.length === 0) rows.push(el('tr', {}, el('td', { colspan: '8', class: 'empty' }, t('cases.none'))));
    replaceChildren(this.#body, ...rows);
    this.select(this.#selected);
    const page = this.#cursors.length;
    this.#info.textContent = t('cases.page', { page, count: items.length });
    this.#prev.disabled = page <= 1;
    this.#next.disabled = this.#nextCursor === null;
  }
}

/** A case kind is a violation kind of the catalogue; one the desk does not know is shown as sent. */
export function kindText(kind: string): string {
  return (violationKinds as readonly string[]).includes(kind) ? violationKindLabel(kind as ViolationKind) : kind;
}
