import type { CandidateQuery, DemandQuery } from '../../api/planningApi.ts';
import type { CandidateArea, DashboardConfig, ZoneView } from '../../api/views.ts';
import { el, replaceChildren } from '../../element.ts';
import { t } from '../../i18n/translate.ts';
import { field } from '../actionForm.ts';
import { DEMAND_LEVELS, demandBreaks, DemandMap } from './demandMap.ts';
import { figure, formatKm, formatNumber, markChosen, planningTable, topList } from './planningFormat.ts';
import { failureText, fileButtons, sectionCard, type SectionContext, setState } from './planningSection.ts';

/** Candidate areas: at least this far from every lot (the API's default), the best 20. */
const CANDIDATE_MIN_DISTANCE_M = 2_000;
const CANDIDATE_LIMIT = 20;

/**
 * 停车需求热力图 / Parking demand: where laden vehicles stop outside every lot, on H3 hexagons
 * (long stops ≥ 10 min, or short ones; resolution 7 or 8), the dedicated lots beside them, and the
 * ranked candidate areas for a new lot — on the map as numbered markers and as a list.
 */
export class DemandSection {
  readonly element: HTMLElement;
  readonly #status: HTMLElement;
  readonly #files: HTMLElement;
  readonly #kind = el('select', { name: 'kind', 'data-testid': 'planning-demand-kind' }, el('option', { value: 'long' }, t('planning.kindLong')), el('option', { value: 'short' }, t('planning.kindShort')));
  readonly #res = el('select', { name: 'res', 'data-testid': 'planning-demand-res' }, el('option', { value: '8' }, t('planning.res8')), el('option', { value: '7' }, t('planning.res7')));
  readonly #mapContainer = el('div', { class: 'map planning-map', 'data-testid': 'planning-demand-map', role: 'region', 'aria-label': t('planning.mapRegion') });
  readonly #legend = el('ul', { class: 'legend planning-legend', 'aria-label': t('planning.legend'), 'data-testid': 'planning-demand-legend' });
  readonly #candidateHint = el('p', { class: 'hint', 'data-testid': 'planning-candidates-hint' });
  readonly #candidateList = el('div', { class: 'planning-table-slot' });
  #map: DemandMap | null = null;
  #candidateRows = new Map<number, HTMLTableRowElement>();
  #lotsShown = false;
  #ticket = 0;

  constructor(
    private readonly context: SectionContext,
    private readonly config: DashboardConfig,
    private readonly zones: () => Promise<readonly ZoneView[]>,
  ) {
    const controls = el('form', { class: 'filters', 'aria-label': t('planning.demandQuery') }, field(t('planning.kind'), this.#kind), field(t('planning.res'), this.#res));
    controls.addEventListener('submit', (event) => event.preventDefault());
    for (const select of [this.#kind, this.#res]) select.addEventListener('change', () => void this.load());
    const { card, status, files } = sectionCard(
      'demand',
      t('planning.demandTitle'),
      t('planning.demandHint'),
      controls,
      el(
        'div',
        { class: 'planning-demand-body' },
        el('div', { class: 'map-area planning-map-area' }, this.#mapContainer, this.#legend),
        el('div', { class: 'planning-candidates', 'data-testid': 'planning-candidates' }, el('h3', {}, t('planning.candidatesTitle')), this.#candidateHint, this.#candidateList),
      ),
    );
    this.element = card;
    this.#status = status;
    this.#files = files;
  }

  /** The query on the form. */
  query(): DemandQuery {
    return { kind: this.#kind.value === 'short' ? 'short' : 'long', res: this.#res.value === '7' ? 7 : 8 };
  }

  /** Loads the chosen kind and resolution (the map is made on the first load, once the view is laid out). */
  async load(): Promise<void> {
    const ticket = ++this.#ticket;
    const map = (this.#map ??= new DemandMap(this.#mapContainer, this.config, (rank) => this.#chooseCandidate(rank, false)));
    const query = this.query();
    const candidateQuery: CandidateQuery = { res: query.res, minDistanceM: CANDIDATE_MIN_DISTANCE_M, limit: CANDIDATE_LIMIT };
    setState(this.element, this.#status, 'loading');
    if (!this.#lotsShown) void this.#showLots(map);
    try {
      const [demand, geojson, candidates] = await Promise.all([this.context.api.demand(query), this.context.api.demandGeoJson(query), this.context.api.candidates(candidateQuery)]);
      if (ticket !== this.#ticket) return;
      const max = Math.max(0, ...demand.cells.map((c) => c.vehicleHours));
      const breaks = demandBreaks(max);
      const drawn = map.showDemand(geojson, demand.cells, breaks);
      this.#mapContainer.dataset.cells = String(drawn);
      this.#mapContainer.dataset.query = `${query.kind}/${query.res}`;
      this.#renderLegend(breaks, drawn > 0);
      map.showCandidates(candidates.candidates);
      this.#renderCandidates(candidates.candidates, candidates.minDistanceM, candidates.weeks);
      replaceChildren(
        this.#files,
        ...fileButtons(this.context.api, [
          { label: t('planning.fileDemandCsv'), file: 'demand.csv', testid: 'planning-file-demand-csv', filename: `dgt-planning-demand-${query.kind}-r${query.res}.csv`, query },
          { label: t('planning.fileDemandGeoJson'), file: 'demand.geojson', testid: 'planning-file-demand-geojson', filename: `dgt-planning-demand-${query.kind}-r${query.res}.geojson`, query },
          { label: t('planning.fileCandidatesCsv'), file: 'candidates.csv', testid: 'planning-file-candidates-csv', filename: `dgt-planning-candidates-r${query.res}.csv`, query: candidateQuery },
          { label: t('planning.fileCandidatesGeoJson'), file: 'candidates.geojson', testid: 'planning-file-candidates-geojson', filename: `dgt-planning-candidates-r${query.res}.geojson`, query: candidateQuery },
        ]),
      );
      const summary = [
        t('planning.cellCount', { count: drawn }),
        t('planning.stopCount', { count: demand.cells.reduce((n, c) => n + c.stops, 0) }),
        t('planning.vehicleHoursTotal', { value: formatNumber(demand.cells.reduce((n, c) => n + c.vehicleHours, 0), 2) }),
        t('planning.recordWeeks', { weeks: formatNumber(demand.weeks, 2) }),
      ].join(' · ');
      setState(this.element, this.#status, 'ready', drawn === 0 ? t(query.kind === 'long' ? 'planning.noLongStops' : 'planning.noShortStops') : summary);
    } catch (error) {
      if (ticket !== this.#ticket) return;
      setState(this.element, this.#status, 'error', failureText(error));
      this.context.onError(error);
    }
  }

  resize(): void {
    this.#map?.resize();
  }

  dispose(): void {
    this.#map?.remove();
    this.#map = null;
  }

  /** The dedicated lots from /v1/zones (once: zones change by designation, not by the minute). */
  async #showLots(map: DemandMap): Promise<void> {
    this.#lotsShown = true;
    try {
      const zones = await this.zones();
      if (this.#map === map) map.showLots(zones);
    } catch (error) {
      this.#lotsShown = false;
      this.context.onError(error);
    }
  }

  #renderLegend(breaks: readonly number[], any: boolean): void {
    const swatch = (cls: string): HTMLElement => el('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' });
    const v = (n: number): string => formatNumber(n, 2);
    const ranges = Array.from({ length: DEMAND_LEVELS }, (_, level) => {
      const from = breaks[level - 1];
      const to = breaks[level];
      const text = from === undefined ? t('planning.legendBelow', { to: v(to ?? 0) }) : to === undefined ? t('planning.legendAtLeast', { from: v(from) }) : t('planning.legendBetween', { from: v(from), to: v(to) });
      return el('li', { 'data-level': String(level) }, swatch(`demand-swatch demand-level-${level}`), text);
    }).reverse();
    replaceChildren(
      this.#legend,
      any ? el('li', { class: 'legend-title' }, t('planning.legendTitle')) : null,
      ...(any ? ranges : []),
      el('li', {}, swatch('swatch-lot'), t('planning.legendLot')),
      el('li', {}, el('span', { class: 'candidate-swatch', 'aria-hidden': 'true' }, '1'), t('planning.legendCandidate')),
    );
  }

  #renderCandidates(candidates: readonly CandidateArea[], minDistanceM: number, weeks: number): void {
    this.#candidateHint.textContent = t('planning.candidatesHint', { distance: formatKm(minDistanceM), weeks: formatNumber(weeks, 2) });
    this.#candidateRows = new Map(
      candidates.map((c) => {
        const button = el('button', { type: 'button', class: 'link-button planning-choose', 'aria-pressed': 'false', title: t('planning.showOnMap') }, String(c.rank));
        button.addEventListener('click', () => this.#chooseCandidate(c.rank, true));
        const classes = topList(c.classes.map((x) => ({ label: t('planning.hazardClass', { hazardClass: x.hazardClass }), count: x.stops })));
        const row = el(
          'tr',
          { class: 'planning-row', 'data-rank': String(c.rank) },
          el('td', { class: 'num' }, button),
          figure(c.vehicleHoursPerWeek, 2, { 'data-field': 'perWeek' }),
          figure(c.stops, 0, { 'data-field': 'stops' }),
          figure(c.vehicles, 0, { 'data-field': 'vehicles' }),
          el('td', { class: 'planning-list', 'data-field': 'classes' }, classes),
          el('td', { class: 'zone', 'data-field': 'nearestLot' }, c.nearestLot?.name ?? t('planning.noLot')),
          figure(c.nearestLot?.distanceM ?? null, 0, { 'data-field': 'distance' }, c.nearestLot === null ? '—' : formatKm(c.nearestLot.distanceM)),
        );
        return [c.rank, row] as const;
      }),
    );
    replaceChildren(
      this.#candidateList,
      candidates.length === 0
        ? el('p', { class: 'empty', 'data-testid': 'planning-no-candidates' }, t('planning.noCandidates'))
        : planningTable('planning-candidates-table', [t('planning.rank'), t('planning.perWeek'), t('planning.stops'), t('planning.vehicles'), t('planning.classes'), t('planning.nearestLot'), t('planning.distance')], [4, 5], [...this.#candidateRows.values()]),
    );
  }

  /** A candidate chosen on the map or in the list: its row marked, and (from the list) the map on it. */
  #chooseCandidate(rank: number, focus: boolean): void {
    const row = this.#candidateRows.get(rank) ?? null;
    markChosen(this.#candidateRows.values(), row);
    if (focus) this.#map?.focusCandidate(rank);
    else row?.scrollIntoView({ block: 'nearest' });
  }
}
