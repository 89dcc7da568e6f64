import type { ApiClient, ViolationFilter } from '../api/apiClient.ts';
import { ApiError } from '../api/apiError.ts';
import type { ViolationView } from '../api/views.ts';
import { el, replaceChildren } from '../element.ts';
import { formatDuration, formatTime, violationTypeLabel } from '../format.ts';

const pageSize = 50;

/**
 * Violations with the API's filters and cursor paging (a stack of cursors gives "previous").
 * Rows are clickable: they select the vehicle.
 */
export class ViolationsTable {
  readonly element: HTMLElement;
  readonly #form: HTMLFormElement;
  readonly #body = el('tbody', { 'data-testid': 'violations-body' });
  readonly #info = el('p', { class: 'table-info', 'data-testid': 'violations-info', 'aria-live': 'polite' });
  readonly #prev = el('button', { type: 'button', 'data-testid': 'violations-prev' }, '← Newer');
  readonly #next = el('button', { type: 'button', 'data-testid': 'violations-next' }, 'Older →');
  /** Cursors of the pages before the current one; the current page's cursor is last. */
  #cursors: (string | null)[] = [null];
  #nextCursor: string | null = null;
  #filter: ViolationFilter = {};
  #loading = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly onSelect: (vehicleId: string) => void,
    private readonly onError: (error: unknown) => void,
  ) {
    const field = (label: string, control: HTMLElement): HTMLElement => el('label', { class: 'field' }, el('span', {}, label), control);
    this.#form = el(
      'form',
      { class: 'filters', 'aria-label': 'Violation filters', 'data-testid': 'violations-filters' },
      field(
        'Type',
        el(
          'select',
          { name: 'type', 'data-testid': 'filter-type' },
          el('option', { value: '' }, 'All'),
          el('option', { value: 'illegal-parking' }, 'Illegal parking'),
          el('option', { value: 'accident-segment' }, 'Accident-prone segment'),
        ),
      ),
      field(
        'Status',
        el('select', { name: 'status', 'data-testid': 'filter-status' }, el('option', { value: '' }, 'All'), el('option', { value: 'open' }, 'Open'), el('option', { value: 'closed' }, 'Closed')),
      ),
      field('From', el('input', { type: 'datetime-local', name: 'from', 'data-testid': 'filter-from' })),
      field('To', el('input', { type: 'datetime-local', name: 'to', 'data-testid': 'filter-to' })),
      field('Carrier', el('input', { type: 'text', name: 'carrier', placeholder: 'carrier id', 'data-testid': 'filter-carrier' })),
      field('Vehicle', el('input', { type: 'text', name: 'vehicle', placeholder: 'vehicle id', 'data-testid': 'filter-vehicle' })),
      el('button', { type: 'submit', 'data-testid': 'filter-apply' }, 'Apply'),
      el('button', { type: 'reset', 'data-testid': 'filter-reset' }, 'Clear'),
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
    const table = el(
      'table',
      { class: 'violations', 'data-testid': 'violations-table' },
      el('caption', { class: 'visually-hidden' }, 'Violations, newest first'),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...['Started', 'Type', 'Status', 'Vehicle', 'Carrier', 'Zone', 'Duration', 'Waybill'].map((h) => el('th', { scope: 'col' }, h)),
        ),
      ),
      this.#body,
    );
    this.element = el(
      'section',
      { class: 'panel violations-panel', 'aria-labelledby': 'violations-title', 'data-testid': 'violations-panel' },
      el('header', { class: 'panel-header' }, el('h2', { id: 'violations-title' }, 'Violations')),
      this.#form,
      el('div', { class: 'table-scroll' }, table),
      el('div', { class: 'pager' }, this.#prev, this.#info, this.#next),
    );
  }

  /** Shows one carrier's or one vehicle's violations (from the other panels). */
  filterBy(filter: ViolationFilter): void {
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
      const page = await this.api.violations(this.#filter, pageSize, this.#cursors[this.#cursors.length - 1] ?? null);
      if (ticket !== this.#loading) return;
      this.#nextCursor = page.nextCursor;
      this.#render(page.items);
    } catch (error) {
      if (ticket !== this.#loading) return;
      this.#info.textContent = error instanceof ApiError && error.kind !== 'network' ? `Cannot list violations: ${error.message}` : 'Cannot list violations right now.';
      this.onError(error);
    }
  }

  #readFilter(): ViolationFilter {
    const data = new FormData(this.#form);
    const text = (name: string): string | undefined => {
      const value = data.get(name);
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
    };
    const instant = (name: string): string | undefined => {
      const value = text(name);
      if (value === undefined) return undefined;
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
    };
    const filter: Record<string, string> = {};
    for (const [name, value] of Object.entries({ type: text('type'), status: text('status'), from: instant('from'), to: instant('to'), carrier: text('carrier'), vehicle: text('vehicle') })) {
      if (value !== undefined) filter[name] = value;
    }
    return filter;
  }

  #render(items: readonly ViolationView[]): void {
    const rows = items.map((v) => {
      const row = el(
        'tr',
        { class: `violation-row status-${v.status}`, tabindex: '0', 'data-testid': 'violation-row', 'data-violation-id': v.violationId, 'data-vehicle-id': v.vehicleId },
        el('td', {}, el('time', { datetime: v.startedAt }, formatTime(v.startedAt))),
        el('td', {}, violationTypeLabel[v.type] ?? v.type),
        el('td', {}, el('span', { class: `badge badge-${v.status}` }, v.status)),
        el('td', {}, v.plateNo ?? v.vehicleId),
        el('td', {}, v.carrierId ?? '—'),
        el('td', {}, v.zoneName ?? '—'),
        el('td', {}, v.status === 'open' ? 'ongoing' : formatDuration(v.durationS)),
        el('td', {}, v.waybillNo ?? '—'),
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
    if (rows.length === 0) rows.push(el('tr', {}, el('td', { colspan: '8', class: 'empty' }, 'No violations match these filters.')));
    replaceChildren(this.#body, ...rows);
    const page = this.#cursors.length;
    this.#info.textContent = `Page ${page} · ${items.length} violation${items.length === 1 ? '' : 's'}`;
    this.#prev.disabled = page <= 1;
    this.#next.disabled = this.#nextCursor === null;
  }
}
