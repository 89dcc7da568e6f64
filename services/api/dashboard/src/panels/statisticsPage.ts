import './statistics.css';
import type { ApiClient } from '../api/apiClient.ts';
import type { StatisticsTable, StatisticsView } from '../api/statisticsView.ts';
import type { WhoAmI } from '../api/views.ts';
import { el, replaceChildren } from '../element.ts';
import { formatTime, parseTypedTime, timeInputHint, timeInputValue, violationKindLabel, violationKinds } from '../format.ts';
import { t } from '../i18n/translate.ts';
import { field, refusalText, timeInput } from './actionForm.ts';
import { downloadButton } from './fileDownload.ts';
import type { ChartOption, StatisticsChart } from './statisticsCharts.ts';
import type * as ChartsModule from './statisticsCharts.ts';
import { carrierLabel, carriersTable, countiesTable, countyName, dailyCounts, dailyTable, hourLabel, hourLabels, hoursTable, segmentRows, segmentsTable } from './statisticsTables.ts';

const DAY_MS = 86_400_000;
/** The longest window the API serves (services/api/src/statistics/statisticsWindow.ts). */
const MAX_WINDOW_DAYS = 366;
/** Windows one click away; the first open shows the middle one. */
const presets = [7, 30, 90] as const;

/** ECharts is loaded with the first statistics drawn: the live desk never waits for it. */
type Charts = typeof ChartsModule;

interface Section {
  readonly container: HTMLElement;
  chart: StatisticsChart | null;
  readonly note: HTMLElement;
  readonly table: HTMLElement;
  readonly exportSlot: HTMLElement;
}

/** Beijing midnight `days - 1` days before today: "the last 7 days" includes today. */
function startOfLastDays(days: number, now: Date): Date {
  const today = timeInputValue(now).slice(0, 10);
  return new Date(Date.parse(`${today}T00:00:00+08:00`) - (days - 1) * DAY_MS);
}

/**
 * 统计 / Statistics: violations per day by kind, by county, the carriers with most, the hour-of-day
 * pattern and laden passages of accident-prone segments by hour, over a window typed in Beijing
 * time; each chart with its table and an Export CSV of the same window. A carrier's key sees its own.
 */
export class StatisticsPage {
  readonly element: HTMLElement;
  readonly #from = timeInput('from', null, { 'data-testid': 'statistics-from', required: '' });
  readonly #to = timeInput('to', null, { 'data-testid': 'statistics-to', placeholder: t('statistics.toPlaceholder') });
  readonly #status = el('p', { class: 'hint', 'data-testid': 'statistics-status', 'aria-live': 'polite' });
  readonly #sections: Record<StatisticsTable, Section>;
  readonly #resize = new AbortController();
  #loaded = false;
  #charts: Promise<Charts> | null = null;
  #ticket = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly options: { readonly whoami: WhoAmI; readonly onError: (error: unknown) => void; readonly now?: () => Date },
  ) {
    this.#from.value = timeInputValue(startOfLastDays(30, this.#now()));
    const form = el(
      'form',
      { class: 'filters', 'aria-label': t('statistics.window'), 'data-testid': 'statistics-form' },
      field(t('statistics.from'), this.#from),
      field(t('statistics.to'), this.#to),
      el('button', { type: 'submit', 'data-testid': 'statistics-show' }, t('statistics.show')),
      ...presets.map((days) => {
        const button = el('button', { type: 'button', class: 'link-button', 'data-testid': `statistics-last-${days}` }, t('statistics.lastDays', { count: days }));
        button.addEventListener('click', () => {
          this.#from.value = timeInputValue(startOfLastDays(days, this.#now()));
          this.#to.value = '';
          void this.load();
        });
        return button;
      }),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.load();
    });
    const own = options.whoami.carrierId !== null;
    const section = (name: StatisticsTable, title: string, hint?: string): [HTMLElement, Section] => {
      const chart = el('div', { class: 'statistics-chart', 'data-testid': `statistics-chart-${name}`, role: 'img', 'aria-label': t('statistics.chartLabel', { title }) });
      const note = el('p', { class: 'empty', hidden: '', 'data-testid': `statistics-note-${name}` });
      const table = el('div', { class: 'statistics-table-slot' });
      const exportSlot = el('span', { class: 'statistics-export' });
      const card = el(
        'section',
        { class: `panel statistics-card statistics-card-${name}`, 'data-testid': `statistics-${name}`, 'aria-label': title },
        el('header', { class: 'panel-header' }, el('h2', {}, title), exportSlot),
        hint === undefined ? null : el('p', { class: 'hint' }, hint),
        chart,
        note,
        table,
      );
      return [card, { container: chart, chart: null, note, table, exportSlot }];
    };
    const [daily, dailySection] = section('daily', t('statistics.daily'));
    const [counties, countiesSection] = section('counties', t('statistics.counties'));
    const [carriers, carriersSection] = section('carriers', t('statistics.carriers'), t('statistics.carriersHint'));
    const [hours, hoursSection] = section('hours', t('statistics.hours'));
    const [segments, segmentsSection] = section('segments', t('statistics.segments'));
    this.#sections = { daily: dailySection, counties: countiesSection, carriers: carriersSection, hours: hoursSection, segments: segmentsSection };
    this.element = el(
      'div',
      { class: 'statistics-view', 'data-testid': 'statistics-view' },
      el(
        'section',
        { class: 'panel statistics-head', 'aria-labelledby': 'statistics-title' },
        el('header', { class: 'panel-header' }, el('h2', { id: 'statistics-title' }, own ? t('statistics.myTitle') : t('statistics.title')), own ? el('span', { class: 'muted' }, t('statistics.ownOnly')) : null),
        form,
        this.#status,
      ),
      el('div', { class: 'statistics-grid' }, daily, counties, carriers, hours, segments),
    );
    window.addEventListener('resize', () => this.#resizeCharts(), { signal: this.#resize.signal });
  }

  /** The view was shown: load once, later only redraw at the size it has now. */
  show(): void {
    if (this.#loaded) this.#resizeCharts();
    else void this.load();
  }

  /** Loads the typed window (an empty `to` is now) and draws every chart and table. */
  async load(): Promise<void> {
    const from = parseTypedTime(this.#from.value);
    const toText = this.#to.value.trim();
    const to = toText === '' ? undefined : parseTypedTime(toText);
    if (from === null || to === null) {
      this.#status.textContent = t('statistics.badTime', { label: from === null ? t('statistics.from') : t('statistics.to'), hint: timeInputHint() });
      this.#status.classList.add('error');
      return;
    }
    // The API's rules, checked here first so the refusal is in the desk's language.
    const toMs = to === undefined ? this.#now().getTime() : Date.parse(to);
    const problem = Date.parse(from) >= toMs ? t('statistics.windowEmpty') : toMs - Date.parse(from) > MAX_WINDOW_DAYS * DAY_MS ? t('statistics.windowTooLong', { days: MAX_WINDOW_DAYS }) : null;
    if (problem !== null) {
      this.#status.textContent = problem;
      this.#status.classList.add('error');
      return;
    }
    const ticket = ++this.#ticket;
    this.#status.classList.remove('error');
    this.#status.textContent = t('statistics.loading');
    this.element.dataset.state = 'loading';
    try {
      const stats = await this.api.statistics({ from, ...(to === undefined ? {} : { to }) });
      if (ticket !== this.#ticket) return;
      // The first load also fetches the charts' code (its own chunk); a failure is shown like the API's.
      const charts = await (this.#charts ??= import('./statisticsCharts.ts'));
      if (ticket !== this.#ticket) return;
      this.#loaded = true;
      this.#render(stats, charts);
      this.element.dataset.state = 'ready';
    } catch (error) {
      if (ticket !== this.#ticket) return;
      this.#status.textContent = t('statistics.cannotLoad', { reason: refusalText(error) });
      this.#status.classList.add('error');
      this.element.dataset.state = 'error';
      this.options.onError(error);
    }
  }

  dispose(): void {
    this.#resize.abort();
    for (const s of Object.values(this.#sections)) s.chart?.dispose();
  }

  #now(): Date {
    return this.options.now?.() ?? new Date();
  }

  #resizeCharts(): void {
    for (const s of Object.values(this.#sections)) s.chart?.resize();
  }

  #render(s: StatisticsView, charts: Charts): void {
    const { dailyOption, hoursOption, kindColours, rankedOption, segmentsOption } = charts;
    this.#status.textContent = `${t('statistics.range', { from: formatTime(s.window.from).slice(0, 16), to: formatTime(s.window.to).slice(0, 16) })} · ${t('statistics.violationCount', { count: s.totals.violations })} · ${t('statistics.passageCount', { count: s.totals.ladenPassages })}`;
    for (const [name, section] of Object.entries(this.#sections) as [StatisticsTable, Section][]) {
      const filename = `dgt-statistics-${name}-${s.window.from.slice(0, 10)}_${s.window.to.slice(0, 10)}.csv`;
      const { button, status } = downloadButton(t('statistics.exportCsv'), filename, () => this.api.statistics({ from: s.window.from, to: s.window.to }, name), { 'data-testid': `statistics-export-${name}` });
      replaceChildren(section.exportSlot, button, status);
    }
    const hours = hourLabels.map(hourLabel);
    const noViolations = s.totals.violations === 0;

    const counts = dailyCounts(s);
    const kinds = violationKinds.map((kind, i) => ({ kind, i })).filter(({ kind }) => (counts.get(kind) ?? []).some((c) => c > 0));
    const draw = (name: StatisticsTable, note: string | null, option: () => ChartOption) => this.#draw(charts, name, note, option);
    draw('daily', noViolations ? t('statistics.noViolations') : null, () =>
      dailyOption(
        s.window.days,
        kinds.map(({ kind, i }) => ({ name: violationKindLabel(kind), colour: kindColours[i % kindColours.length] ?? '#868e96', counts: counts.get(kind) ?? [] })),
      ),
    );
    replaceChildren(this.#sections.daily.table, dailyTable(s));

    const countyNote = !s.byCounty.available ? t('statistics.noCounties') : noViolations ? t('statistics.noViolations') : null;
    draw('counties', countyNote, () => rankedOption(s.byCounty.items.map((c) => ({ label: countyName(c), count: c.count })), '#1d4ed8'));
    replaceChildren(this.#sections.counties.table, s.byCounty.available ? countiesTable(s) : null);

    draw('carriers', noViolations ? t('statistics.noViolations') : null, () => rankedOption(s.byCarrier.slice(0, 10).map((c) => ({ label: carrierLabel(c), count: c.count })), '#e8590c'));
    replaceChildren(this.#sections.carriers.table, noViolations ? null : carriersTable(s));

    draw('hours', noViolations ? t('statistics.noViolations') : null, () => hoursOption(hours, s.byHour.map((h) => h.count), '#1971c2'));
    replaceChildren(this.#sections.hours.table, hoursTable(s));

    const segments = segmentRows(s);
    draw('segments', segments.length === 0 ? t('statistics.noPassages') : null, () =>
      segmentsOption(
        hours,
        segments.map((r) => r.name),
        segments.flatMap((r, y) => r.hours.flatMap((count, hour) => (count > 0 ? [[hour, y, count] as const] : []))),
      ),
    );
    replaceChildren(this.#sections.segments.table, segments.length === 0 ? null : segmentsTable(s));
  }

  /** Draws a chart, or says why there is none (no data, no county boundaries) in its place. */
  #draw(charts: Charts, name: StatisticsTable, note: string | null, option: () => ChartOption): void {
    const section = this.#sections[name];
    section.note.textContent = note ?? '';
    section.note.hidden = note === null;
    section.container.hidden = note !== null;
    if (note === null) (section.chart ??= new charts.StatisticsChart(section.container)).draw(option());
  }
}
