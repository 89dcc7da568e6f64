import type { OccurrenceFilter } from '../api/apiClient.ts';
import { ApiError } from '../api/apiError.ts';
import type { AdvisoryView, Page, ViolationView } from '../api/views.ts';
import { el, replaceChildren } from '../element.ts';
import { formatDuration, formatTime, kindLabel } from '../format.ts';
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
  const parts: string[] = [o.laden ? 'laden' : 'empty'];
  if (o.rule === 'laden-banned') parts.push('laden ban');
  if (o.rule === 'banned-hours') parts.push('banned hours');
  if (o.limitKmh !== null) parts.push(`limit ${o.limitKmh} km/h`);
  if (o.maxSpeedKmh !== null) parts.push(`max ${o.maxSpeedKmh} km/h`);
  else if (o.speedKmh !== null && o.limitKmh !== null) parts.push(`${o.speedKmh} km/h`);
  if (o.interpolated) parts.push('between fixes');
  return parts.join(' · ');
}

/**
 * Violations or advisories with the API's filters and cursor paging (a stack of cursors gives
 * "previous"). Rows are clickable: they select the vehicle.
 */
export class OccurrencesTable<T extends Row> {
  readonly element: HTMLElement;
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
    this.#prev = el('button', { type: 'button', 'data-testid': `${n}-prev` }, '← Newer');
    this.#next = el('button', { type: 'button', 'data-testid': `${n}-next` }, 'Older →');
    const field = (label: string, control: HTMLElement): HTMLElement => el('label', { class: 'field' }, el('span', {}, label), control);
    this.#form = el(
      'form',
      { class: 'filters', 'aria-label': `Filters of the ${n}`, 'data-testid': `${n}-filters` },
      field('Kind', el('select', { name: 'kind', 'data-testid': 'filter-kind' }, el('option', { value: '' }, 'All'), ...Object.entries(listing.kinds).map(([k, label]) => el('option', { value: k }, label)))),
      field(
        'Status',
        el('select', { name: 'status', 'data-testid': 'filter-status' }, el('option', { value: '' }, 'All'), el('option', { value: 'open' }, 'Open'), el('option', { value: 'closed' }, 'Closed')),
      ),
      field('From', timeInput('from', null, { 'data-testid': 'filter-from' })),
      field('To', timeInput('to', null, { 'data-testid': 'filter-to' })),
      field('Carrier', el('input', { type: 'text', name: 'carrier', placeholder: 'carrier id', 'data-testid': 'filter-carrier' })),
      field('Vehicle', el('input', { type: 'text', name: 'vehicle', placeholder: 'plate or vehicle id', 'data-testid': 'filter-vehicle' })),
      el('button', { type: 'submit', 'data-testid': 'filter-apply' }, 'Apply'),
      el('button', { type: 'reset', 'data-testid': 'filter-reset' }, 'Clear'),
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
    const head = ['Started', 'Kind', 'Status', 'Vehicle', 'Carrier', 'Zone', 'Particulars', 'Duration', 'Waybill', ...(listing.rowAction === undefined ? [] : ['Case'])];
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
    this.#info.textContent = 'Loading…';
    try {
      const page = await this.listing.load(this.#filter, pageSize, this.#cursors[this.#cursors.length - 1] ?? null);
      if (ticket !== this.#loading) return;
      this.#nextCursor = page.nextCursor;
      this.#render(page.items);
    } catch (error) {
      if (ticket !== this.#loading) return;
      this.#info.textContent = error instanceof ApiError && error.kind !== 'network' ? `Cannot list ${this.listing.name}: ${error.message}` : `Cannot list ${this.listing.name} right now.`;
      this.onError(error);
    }
  }

  #readFilter(): OccurrenceFilter {
    const data = new FormData(this.#form);
    const text = (name: string): string | undefined => {
      const value = data.get(name);
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
    };
    const vehicleOf = (typed: string | undefined): string | undefined => (typed === undefined ? undefined : this.resolveVehicle(typed));
    const filter: Record<string, string> = {};
    for (const [name, value] of Object.entries({ kind: text('kind'), status: text('status'), from: instant(data, 'from', 'From'), to: instant(data, 'to', 'To'), carrier: text('carrier'), vehicle: vehicleOf(text('vehicle')) })) {
      if (value !== undefined) filter[name] = value;
    }
    return filter;
  }

  #render(items: readonly T[]): void {
    const { noun, name } = this.listing;
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
        el('td', {}, el('span', { class: `kind kind-${v.kind}` }, kindLabel[v.kind])),
        el('td', {}, el('span', { class: `badge badge-${v.status}` }, v.status)),
        el('td', {}, v.plateNo ?? v.vehicleId),
        el('td', {}, v.carrierId ?? '—'),
        el('td', { class: 'zone' }, v.zoneName ?? v.zoneId ?? '—'),
        el('td', { class: 'particulars' }, particulars(v)),
        el('td', {}, v.status === 'open' ? 'ongoing' : formatDuration(v.durationS)),
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
    if (rows.length === 0) rows.push(el('tr', {}, el('td', { colspan: this.listing.rowAction === undefined ? '9' : '10', class: 'empty' }, `No ${name} match these filters.`)));
    replaceChildren(this.#body, ...rows);
    const page = this.#cursors.length;
    this.#info.textContent = `Page ${page} · ${items.length} ${items.length === 1 ? noun : name}`;
    this.#prev.disabled = page <= 1;
    this.#next.disabled = this.#nextCursor === null;
  }
}
