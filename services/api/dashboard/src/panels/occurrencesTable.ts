import type { OccurrenceFilter } from '../api/apiClient.ts';
import { ApiError } from '../api/apiError.ts';
import type { AdvisoryView, CountyName, Page, ViolationView } from '../api/views.ts';
import { el, replaceChildren } from '../element.ts';
import { formatDuration, formatTime, kindLabel } from '../format.ts';
import { t } from '../i18n/translate.ts';
import { carrierIdFor, carrierLabel } from '../carrierNames.ts';
import { countyLabel } from '../map/mapContext.ts';
import { placeText } from '../map/mapContext.ts';
import { instant, timeInput } from './actionForm.ts';

const pageSize = 50;

type Row = ViolationView | AdvisoryView;

/** What differs between the violations and the advisories listing. */
export interface Listing<T extends Row> {
  /** `violations` | `advisories`: test ids and ARIA names derive from it. */
  readonly name: 'violations' | 'advisories';
  /** `violation` | `advisory`: one row's test id and id attribute. */
  readonly noun: 'violation' | 'advisory';
  /** The kinds the filter offers, with their labels. */
  readonly kinds: Readonly<Record<string, string>>;
  readonly caption: string;
  load(filter: OccurrenceFilter, limit: number, cursor: string | null): Promise<Page<T>>;
  idOf(row: T): string;
  /** A last cell per row with what the key may do about it (bureau: open a case); none when absent. */
  readonly rowAction?: (row: T) => HTMLElement;
}

/** The load, and what only some kinds have, in one cell: the ban broken, the limit and fastest speed, a time between fixes. */
function particulars(o: Row): string {
  const parts: string[] = [o.laden ? t('table.laden') : t('table.empty')];
  if (o.rule === 'laden-banned') parts.push(t('table.ladenBan'));
  if (o.rule === 'banned-hours') parts.push(t('table.bannedHours'));
  if (o.limitKmh !== null) parts.push(t('table.limit', { limit: o.limitKmh }));
  if (o.maxSpeedKmh !== null) parts.push(t('table.max', { speed: o.maxSpeedKmh }));
  else if (o.speedKmh !== null && o.limitKmh !== null) parts.push(t('table.speed', { speed: o.speedKmh }));
  if (o.interpolated) parts.push(t('table.betweenFixes'));
  return parts.join(' · ');
}

/**
 * Violations or advisories with the API's filters and cursor paging (a stack of cursors gives
 * "previous"). Rows are clickable: they select the vehicle.
 */
/** GB 6944 classes and divisions, as goods carry them. */
const hazardClasses = ['1', '2.1', '2.2', '2.3', '3', '4.1', '4.2', '4.3', '5.1', '5.2', '6.1', '6.2', '7', '8', '9'] as const;

export class OccurrencesTable<T extends Row> {
  readonly element: HTMLElement;
  /** Counties (from the map's boundaries) and chemical parks (from the zones), filled once known. */
  readonly #county = el('select', { name: 'county', 'data-testid': 'filter-county' }, el('option', { value: '' }, t('table.all')));
  readonly #park = el('select', { name: 'park', 'data-testid': 'filter-park' }, el('option', { value: '' }, t('table.all')));
  readonly #form: HTMLFormElement;
  readonly #body: HTMLTableSectionElement;
  readonly #info: HTMLElement;
  readonly #prev: HTMLButtonElement;
  readonly #next: HTMLButtonElement;
  /** Cursors of the pages before the current one; the current page's cursor is last. */
  #cursors: (string | null)[] = [null];
  #nextCursor: string | null = null;
  #filter: OccurrenceFilter = {};
  #loading = 0;

  constructor(
    private readonly listing: Listing<T>,
    private readonly onSelect: (vehicleId: string) => void,
    private readonly onError: (error: unknown) => void,
    /** What the Vehicle filter sends for what was typed: a plate, any spelling, becomes its vehicle's id. */
    private readonly resolveVehicle: (typed: string) => string = (typed) => typed,
  ) {
    const n = listing.name;
    this.#body = el('tbody', { 'data-testid': `${n}-body` });
    this.#info = el('p', { class: 'table-info', 'data-testid': `${n}-info`, 'aria-live': 'polite' });
    this.#prev = el('button', { type: 'button', 'data-testid': `${n}-prev` }, t('table.newer'));
    this.#next = el('button', { type: 'button', 'data-testid': `${n}-next` }, t('table.older'));
    const field = (label: string, control: HTMLElement): HTMLElement => el('label', { class: 'field' }, el('span', {}, label), control);
    this.#form = el(
      'form',
      { class: 'filters', 'aria-label': n === 'violations' ? t('table.filtersViolations') : t('table.filtersAdvisories'), 'data-testid': `${n}-filters` },
      field(t('table.kind'), el('select', { name: 'kind', 'data-testid': 'filter-kind' }, el('option', { value: '' }, t('table.all')), ...Object.entries(listing.kinds).map(([k, label]) => el('option', { value: k }, label)))),
      field(
        t('table.status'),
        el(
          'select',
          { name: 'status', 'data-testid': 'filter-status' },
          el('option', { value: '' }, t('table.all')),
          el('option', { value: 'open' }, t('table.open')),
          el('option', { value: 'closed' }, t('table.closed')),
        ),
      ),
      field(t('table.from'), timeInput('from', null, { 'data-testid': 'filter-from' })),
      field(t('table.to'), timeInput('to', null, { 'data-testid': 'filter-to' })),
      field(t('table.carrier'), el('input', { type: 'text', name: 'carrier', placeholder: t('table.carrierPlaceholder'), 'data-testid': 'filter-carrier' })),
      field(t('table.vehicle'), el('input', { type: 'text', name: 'vehicle', placeholder: t('table.vehiclePlaceholder'), 'data-testid': 'filter-vehicle' })),
      field(t('cases.county'), this.#county),
      field(t('table.park'), this.#park),
      field(t('table.hazardClass'), el('select', { name: 'hazardClass', 'data-testid': 'filter-hazard-class' }, el('option', { value: '' }, t('table.all')), ...hazardClasses.map((c) => el('option', { value: c }, c)))),
      el('button', { type: 'submit', 'data-testid': 'filter-apply' }, t('table.apply')),
      el('button', { type: 'reset', 'data-testid': 'filter-reset' }, t('table.clear')),
    );
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      try {
        this.#filter = this.#readFilter();
      } catch (error) {
        // A mistyped time is said, never silently dropped from the query.
        this.#info.textContent = error instanceof Error ? error.message : String(error);
        this.#info.dataset.state = 'invalid';
        return;
      }
      delete this.#info.dataset.state;
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
    const head = [
      t('table.started'),
      t('table.kind'),
      t('table.status'),
      t('table.vehicle'),
      t('table.carrier'),
      t('table.zone'),
      t('table.particulars'),
      t('table.duration'),
      t('table.waybill'),
      ...(listing.rowAction === undefined ? [] : [t('table.case')]),
    ];
    const table = el(
      'table',
      { class: 'violations', 'data-testid': `${n}-table` },
      el('caption', { class: 'visually-hidden' }, listing.caption),
      el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
      this.#body,
    );
    this.element = el(
      'div',
      { class: 'occurrences', 'data-testid': `${n}-panel`, role: 'tabpanel', id: `${n}-tabpanel`, 'aria-labelledby': `${n}-tab` },
      this.#form,
      el('div', { class: 'table-scroll' }, table),
      el('div', { class: 'pager' }, this.#prev, this.#info, this.#next),
    );
  }

  /** Shows one carrier's or one vehicle's rows (from the other panels). */
  filterBy(filter: OccurrenceFilter): void {
    for (const [name, value] of Object.entries(filter)) {
      const control = this.#form.elements.namedItem(name);
      if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement) control.value = value ?? '';
    }
    this.#filter = this.#readFilter();
    this.#cursors = [null];
    void this.load();
  }

  async load(): Promise<void> {
    const ticket = ++this.#loading;
    this.#info.textContent = t('table.loading');
    try {
      const page = await this.listing.load(this.#filter, pageSize, this.#cursors[this.#cursors.length - 1] ?? null);
      if (ticket !== this.#loading) return;
      this.#nextCursor = page.nextCursor;
      this.#render(page.items);
    } catch (error) {
      if (ticket !== this.#loading) return;
      const violations = this.listing.name === 'violations';
      this.#info.textContent =
        error instanceof ApiError && error.kind !== 'network'
          ? t(violations ? 'table.cannotListViolations' : 'table.cannotListAdvisories', { message: error.message })
          : t(violations ? 'table.cannotListViolationsNow' : 'table.cannotListAdvisoriesNow');
      this.onError(error);
    }
  }

  /** The counties and chemical parks a list may be narrowed to. */
  setPlaces(counties: readonly CountyName[], parks: readonly { readonly zoneId: string; readonly name: string }[]): void {
    const keep = (select: HTMLSelectElement, options: HTMLElement[]) => {
      const current = select.value;
      replaceChildren(select, el('option', { value: '' }, t('table.all')), ...options);
      select.value = current;
    };
    if (counties.length > 0) keep(this.#county, counties.map((c) => el('option', { value: c.code }, countyLabel(c))));
    keep(this.#park, parks.map((p) => el('option', { value: p.zoneId }, p.name)));
  }

  #readFilter(): OccurrenceFilter {
    const data = new FormData(this.#form);
    const text = (name: string): string | undefined => {
      const value = data.get(name);
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
    };
    const vehicleOf = (typed: string | undefined): string | undefined => (typed === undefined ? undefined : this.resolveVehicle(typed));
    // A carrier is found by its name as well as its id.
    const carrierOf = (typed: string | undefined): string | undefined => (typed === undefined ? undefined : carrierIdFor(typed));
    const filter: Record<string, string> = {};
    for (const [name, value] of Object.entries({ kind: text('kind'), status: text('status'), from: instant(data, 'from', t('table.from')), to: instant(data, 'to', t('table.to')), carrier: carrierOf(text('carrier')), vehicle: vehicleOf(text('vehicle')), county: text('county'), park: text('park'), hazardClass: text('hazardClass') })) {
      if (value !== undefined) filter[name] = value;
    }
    return filter;
  }

  #render(items: readonly T[]): void {
    const { noun } = this.listing;
    const violations = this.listing.name === 'violations';
    const rows = items.map((v) => {
      const row = el(
        'tr',
        {
          class: `violation-row status-${v.status} severity-${v.severity}`,
          tabindex: '0',
          'data-testid': `${noun}-row`,
          [`data-${noun}-id`]: this.listing.idOf(v),
          'data-kind': v.kind,
          'data-vehicle-id': v.vehicleId,
        },
        el('td', {}, el('time', { datetime: v.startedAt }, formatTime(v.startedAt))),
        el('td', {}, el('span', { class: `kind kind-${v.kind}` }, kindLabel(v.kind))),
        el('td', {}, el('span', { class: `badge badge-${v.status}` }, t(`occurrenceStatus.${v.status}`))),
        el('td', {}, v.plateNo ?? v.vehicleId),
        el('td', {}, carrierLabel(v.carrierId)),
        // A zone names where it happened; without one (parking, the general limit), the county and road do.
        el('td', { class: 'zone' }, v.zoneName ?? v.zoneId ?? placeText(v.place) ?? '—'),
        el('td', { class: 'particulars' }, particulars(v)),
        el('td', {}, v.status === 'open' ? t('table.ongoing') : formatDuration(v.durationS)),
        el('td', {}, v.waybillNo ?? '—'),
        this.listing.rowAction === undefined ? null : el('td', {}, this.listing.rowAction(v)),
      );
      const select = (): void => this.onSelect(v.vehicleId);
      row.addEventListener('click', select);
      row.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          select();
        }
      });
      return row;
    });
    if (rows.length === 0) rows.push(el('tr', {}, el('td', { colspan: this.listing.rowAction === undefined ? '9' : '10', class: 'empty' }, violations ? t('table.noViolations') : t('table.noAdvisories'))));
    replaceChildren(this.#body, ...rows);
    const page = this.#cursors.length;
    this.#info.textContent = t(violations ? 'table.pageViolations' : 'table.pageAdvisories', { page, count: items.length });
    this.#prev.disabled = page <= 1;
    this.#next.disabled = this.#nextCursor === null;
  }
}
