import type { SegmentExposure } from '../../api/views.ts';
import { carrierLabel } from '../../carrierNames.ts';
import { el, replaceChildren } from '../../element.ts';
import { t } from '../../i18n/translate.ts';
import { choosableRow, dayHours, figure, hourOfDay, markChosen, planningTable, topList } from './planningFormat.ts';
import { type Charts, ChartSlot, failureText, fileButtons, sectionCard, type SectionContext, setState } from './planningSection.ts';

/**
 * 事故多发路段暴露度 / Segment exposure: a row per accident-prone segment (laden passages, per day,
 * speeds inside at p50/p85/p95, entries in its banned hours, the classes and carriers passing most);
 * for the chosen segment, its laden passages by Beijing hour of day and week by week.
 * Carriers by name where the desk knows them (carrierNames.ts); a planner's key reads no register,
 * so its desk shows their ids.
 */
export class SegmentsSection {
  readonly element: HTMLElement;
  readonly #status: HTMLElement;
  readonly #files: HTMLElement;
  readonly #table = el('div', { class: 'planning-table-slot' });
  readonly #hours = new ChartSlot('planning-segment-hours-chart');
  readonly #weeks = new ChartSlot('planning-segment-weeks-chart');
  readonly #charts = el('div', { class: 'planning-charts planning-charts-wide' }, this.#hours.element, this.#weeks.element);
  #segments: readonly SegmentExposure[] = [];
  #rows = new Map<string, HTMLTableRowElement>();
  #chosen: string | null = null;
  #drawn: Charts | null = null;

  constructor(
    private readonly context: SectionContext,
    /** Settles once the carriers' names are known (or will not be): the table waits for them. */
    private readonly names: () => Promise<void>,
  ) {
    const { card, status, files } = sectionCard('segments', t('planning.segmentsTitle'), t('planning.segmentsHint'), this.#table, this.#charts);
    this.element = card;
    this.#status = status;
    this.#files = files;
  }

  async load(): Promise<void> {
    setState(this.element, this.#status, 'loading');
    try {
      const [view, charts] = await Promise.all([this.context.api.segments(), this.context.charts(), this.names()]);
      this.#segments = view.segments;
      this.#drawn = charts;
      this.#render();
      setState(this.element, this.#status, 'ready', view.segments.length === 0 ? t('planning.noSegments') : t('planning.segmentCount', { count: view.segments.length }));
    } catch (error) {
      setState(this.element, this.#status, 'error', failureText(error));
      this.context.onError(error);
    }
  }

  resize(): void {
    this.#hours.resize();
    this.#weeks.resize();
  }

  dispose(): void {
    this.#hours.dispose();
    this.#weeks.dispose();
  }

  #render(): void {
    replaceChildren(
      this.#files,
      ...fileButtons(this.context.api, [
        { label: t('planning.fileSegments'), file: 'segments.csv', testid: 'planning-file-segments', filename: 'dgt-planning-segments.csv' },
        { label: t('planning.fileSegmentHours'), file: 'segment-hours.csv', testid: 'planning-file-segment-hours', filename: 'dgt-planning-segment-hours.csv' },
        { label: t('planning.fileSegmentDays'), file: 'segment-days.csv', testid: 'planning-file-segment-days', filename: 'dgt-planning-segment-days.csv' },
        { label: t('planning.fileSegmentWeeks'), file: 'segment-weeks.csv', testid: 'planning-file-segment-weeks', filename: 'dgt-planning-segment-weeks.csv' },
      ]),
    );
    this.#rows = new Map(this.#segments.map((s) => [s.segmentId, this.#row(s)]));
    replaceChildren(
      this.#table,
      this.#segments.length === 0
        ? null
        : planningTable(
            'planning-segments-table',
            [t('planning.segment'), t('planning.ladenPassages'), t('planning.emptyPassages'), t('planning.perDay'), t('planning.p50'), t('planning.p85'), t('planning.p95'), t('planning.bannedHourEntries'), t('planning.topClasses'), t('planning.topCarriers')],
            [0, 8, 9],
            [...this.#rows.values()],
          ),
    );
    this.#charts.hidden = this.#segments.length === 0;
    const keep = this.#segments.some((s) => s.segmentId === this.#chosen) ? this.#chosen : (this.#segments[0]?.segmentId ?? null);
    if (keep !== null) this.#choose(keep);
  }

  #row(s: SegmentExposure): HTMLTableRowElement {
    const label = s.withdrawn ? [s.name, el('span', { class: 'muted' }, t('planning.withdrawn'))] : [s.name];
    const classes = topList(s.byClass.map((c) => ({ label: t('planning.hazardClass', { hazardClass: c.hazardClass }), count: c.passages })));
    const carriers = topList(s.byCarrier.map((c) => ({ label: carrierLabel(c.carrierId), count: c.passages })));
    return choosableRow(
      { 'data-segment-id': s.segmentId },
      el('span', {}, ...label),
      () => this.#choose(s.segmentId),
      figure(s.ladenPassages, 0, { 'data-field': 'laden' }),
      figure(s.emptyPassages, 0, { 'data-field': 'empty' }),
      figure(s.ladenPerDay, 2, { 'data-field': 'perDay' }),
      figure(s.speed?.p50 ?? null, 0, { 'data-field': 'p50' }),
      figure(s.speed?.p85 ?? null, 0, { 'data-field': 'p85' }),
      figure(s.speed?.p95 ?? null, 0, { 'data-field': 'p95' }),
      figure(s.bannedHourEntries, 0, { 'data-field': 'bannedHourEntries' }),
      el('td', { class: 'planning-list', 'data-field': 'classes' }, classes),
      el('td', { class: 'planning-list', 'data-field': 'carriers' }, carriers),
    );
  }

  #choose(segmentId: string): void {
    const s = this.#segments.find((x) => x.segmentId === segmentId);
    const charts = this.#drawn;
    if (s === undefined || charts === null) return;
    this.#chosen = segmentId;
    markChosen(this.#rows.values(), this.#rows.get(segmentId) ?? null);
    this.element.dataset.segmentId = segmentId;
    const none = s.ladenPassages === 0 ? t('planning.noPassages') : null;
    this.#hours.draw(charts, t('planning.segmentHoursTitle', { name: s.name }), none, () => charts.barsOption(dayHours.map(hourOfDay), dayHours.map((h) => s.byHour[h] ?? 0), t('planning.ladenPassages'), charts.colours.passages));
    this.#weeks.draw(charts, t('planning.segmentWeeksTitle', { name: s.name }), none, () =>
      charts.trendOption(
        s.byWeek.map((w) => t('planning.weekOf', { date: w.week.slice(5) })),
        s.byWeek.map((w) => w.passages),
        t('planning.ladenPassages'),
      ),
    );
  }
}
