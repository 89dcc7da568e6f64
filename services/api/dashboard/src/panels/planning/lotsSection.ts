import type { LotOccupancy } from '../../api/views.ts';
import { el, replaceChildren } from '../../element.ts';
import { t } from '../../i18n/translate.ts';
import { choosableRow, dayHours, dwellLabel, figure, formatNumber, formatShare, hourOfDay, markChosen, planningTable } from './planningFormat.ts';
import { type Charts, ChartSlot, failureText, fileButtons, sectionCard, type SectionContext, setState } from './planningSection.ts';

/**
 * 停车场占用 / Lot occupancy: a row per dedicated lot (capacity, inside now, utilisation, peak,
 * mean, hours at or over capacity, visits, mean dwell); for the chosen lot, the mean and peak
 * vehicles inside by Beijing hour of day with the capacity as a line, and its visits by dwell time.
 */
export class LotsSection {
  readonly element: HTMLElement;
  readonly #status: HTMLElement;
  readonly #files: HTMLElement;
  readonly #table = el('div', { class: 'planning-table-slot' });
  readonly #hours = new ChartSlot('planning-lot-hours-chart');
  readonly #dwell = new ChartSlot('planning-lot-dwell-chart');
  readonly #charts = el('div', { class: 'planning-charts' }, this.#hours.element, this.#dwell.element);
  #lots: readonly LotOccupancy[] = [];
  #rows = new Map<string, HTMLTableRowElement>();
  #chosen: string | null = null;
  #drawn: Charts | null = null;

  constructor(private readonly context: SectionContext) {
    const { card, status, files } = sectionCard('lots', t('planning.lotsTitle'), t('planning.lotsHint'), el('div', { class: 'planning-split' }, this.#table, this.#charts));
    this.element = card;
    this.#status = status;
    this.#files = files;
  }

  /** Loads the lots; answers the projection's clock (null before any fix), for the view's header. */
  async load(): Promise<string | null> {
    setState(this.element, this.#status, 'loading');
    try {
      const [view, charts] = await Promise.all([this.context.api.lots(), this.context.charts()]);
      this.#lots = view.lots;
      this.#drawn = charts;
      this.#render();
      setState(this.element, this.#status, 'ready', view.lots.length === 0 ? t('planning.noLots') : t('planning.lotCount', { count: view.lots.length }));
      return view.asOf;
    } catch (error) {
      setState(this.element, this.#status, 'error', failureText(error));
      this.context.onError(error);
      return null;
    }
  }

  resize(): void {
    this.#hours.resize();
    this.#dwell.resize();
  }

  dispose(): void {
    this.#hours.dispose();
    this.#dwell.dispose();
  }

  #render(): void {
    replaceChildren(
      this.#files,
      ...fileButtons(this.context.api, [
        { label: t('planning.fileLots'), file: 'lots.csv', testid: 'planning-file-lots', filename: 'dgt-planning-lots.csv' },
        { label: t('planning.fileLotHours'), file: 'lot-hours.csv', testid: 'planning-file-lot-hours', filename: 'dgt-planning-lot-hours.csv' },
        { label: t('planning.fileLotDwell'), file: 'lot-dwell.csv', testid: 'planning-file-lot-dwell', filename: 'dgt-planning-lot-dwell.csv' },
      ]),
    );
    this.#rows = new Map(this.#lots.map((lot) => [lot.lotId, this.#row(lot)]));
    replaceChildren(
      this.#table,
      this.#lots.length === 0
        ? null
        : planningTable(
            'planning-lots-table',
            [t('planning.lot'), t('planning.capacity'), t('planning.nowLaden'), t('planning.nowEmpty'), t('planning.nowTotal'), t('planning.utilisation'), t('planning.peak'), t('planning.mean'), t('planning.hoursAtCapacity'), t('planning.visits'), t('planning.meanDwell')],
            [0],
            [...this.#rows.values()],
          ),
    );
    this.#charts.hidden = this.#lots.length === 0;
    const keep = this.#lots.some((l) => l.lotId === this.#chosen) ? this.#chosen : (this.#lots[0]?.lotId ?? null);
    if (keep !== null) this.#choose(keep);
  }

  #row(lot: LotOccupancy): HTMLTableRowElement {
    const label = lot.withdrawn ? [lot.name, el('span', { class: 'muted' }, t('planning.withdrawn'))] : [lot.name];
    return choosableRow(
      { 'data-lot-id': lot.lotId },
      el('span', {}, ...label),
      () => this.#choose(lot.lotId),
      figure(lot.capacity, 0, { 'data-field': 'capacity' }),
      figure(lot.current.laden, 0, { 'data-field': 'laden' }),
      figure(lot.current.empty, 0, { 'data-field': 'empty' }),
      figure(lot.current.total, 0, { 'data-field': 'total' }),
      figure(lot.utilisation, 3, { 'data-field': 'utilisation' }, formatShare(lot.utilisation)),
      figure(lot.peak, 0, { 'data-field': 'peak' }),
      figure(lot.meanVehicles, 2, { 'data-field': 'mean' }),
      figure(lot.hoursAtOrOverCapacity, 2, { 'data-field': 'hoursAtCapacity' }),
      figure(lot.visits, 0, { 'data-field': 'visits' }),
      figure(lot.meanDwellMin, 1, { 'data-field': 'meanDwell' }),
    );
  }

  /** Shows `lotId`'s day and dwell in the charts. */
  #choose(lotId: string): void {
    const lot = this.#lots.find((l) => l.lotId === lotId);
    const charts = this.#drawn;
    if (lot === undefined || charts === null) return;
    this.#chosen = lotId;
    markChosen(this.#rows.values(), this.#rows.get(lotId) ?? null);
    this.element.dataset.lotId = lotId;
    const observed = lot.hours.some((h) => h.observedH > 0);
    this.#hours.draw(charts, t('planning.lotHoursTitle', { name: lot.name }), observed ? null : t('planning.nothingObserved'), () =>
      charts.lotHoursOption({
        hours: dayHours.map(hourOfDay),
        mean: dayHours.map((h) => lot.hours[h]?.meanVehicles ?? 0),
        peak: dayHours.map((h) => lot.hours[h]?.peak ?? 0),
        capacity: lot.capacity,
        names: { mean: t('planning.mean'), peak: t('planning.peak'), capacity: t('planning.capacity') },
      }),
    );
    const visits = lot.dwell.reduce((n, d) => n + d.visits, 0);
    this.#dwell.draw(charts, t('planning.lotDwellTitle', { name: lot.name, visits: formatNumber(visits, 0) }), visits === 0 ? t('planning.noVisits') : null, () =>
      charts.barsOption(
        lot.dwell.map((d) => dwellLabel(d.fromS, d.toS)),
        lot.dwell.map((d) => d.visits),
        t('planning.visits'),
        charts.colours.dwell,
        true,
      ),
    );
  }
}
