import './planning.css';
import type { ApiClient } from '../../api/apiClient.ts';
import { PlanningApi } from '../../api/planningApi.ts';
import type { DashboardConfig } from '../../api/views.ts';
import { el } from '../../element.ts';
import { formatTime } from '../../format.ts';
import { t } from '../../i18n/translate.ts';
import { DemandSection } from './demandSection.ts';
import { LotsSection } from './lotsSection.ts';
import type { Charts } from './planningSection.ts';
import { SegmentsSection } from './segmentsSection.ts';

/**
 * 规划 / Planning (issue #19): what the record says about where hazmat vehicles park and pass —
 * dedicated-lot occupancy, parking demand outside the lots with candidate areas for a new one,
 * and exposure on accident-prone segments — each with its files. Bureau, enforcement and planner
 * keys (never a carrier's: the figures count every carrier's vehicles); a planner's desk is this
 * view alone.
 */
export class PlanningPage {
  readonly element: HTMLElement;
  readonly #asOf = el('p', { class: 'hint', 'data-testid': 'planning-as-of' });
  readonly #lots: LotsSection;
  readonly #demand: DemandSection;
  readonly #segments: SegmentsSection;
  readonly #resize = new AbortController();
  #charts: Promise<Charts> | null = null;
  #names: Promise<void> = Promise.resolve();
  #loaded = false;

  constructor(
    api: ApiClient,
    options: { readonly config: DashboardConfig; readonly onError: (error: unknown) => void },
  ) {
    const context = {
      api: new PlanningApi(api),
      charts: () => (this.#charts ??= import('./planningCharts.ts')),
      onError: options.onError,
    };
    this.#lots = new LotsSection(context);
    this.#demand = new DemandSection(context, options.config, () => api.zones());
    this.#segments = new SegmentsSection(context, () => this.#names);
    this.element = el(
      'div',
      { class: 'planning-view', 'data-testid': 'planning-view' },
      el(
        'section',
        { class: 'panel planning-head', 'aria-labelledby': 'planning-title' },
        el('header', { class: 'panel-header' }, el('h2', { id: 'planning-title' }, t('planning.title'))),
        el('p', { class: 'hint' }, t('planning.intro')),
        this.#asOf,
      ),
      this.#lots.element,
      this.#demand.element,
      this.#segments.element,
    );
    window.addEventListener('resize', () => this.#resizeAll(), { signal: this.#resize.signal });
  }

  /** Carriers are shown by name once these are known (the desk asks the register; a planner's desk does not). */
  namesFrom(known: Promise<void>): void {
    this.#names = known.catch(() => undefined);
  }

  /** The view was shown: the first time, make the map and load; later, measure again. */
  show(): void {
    if (this.#loaded) this.#resizeAll();
    else void this.load();
  }

  /** Loads (again) every section. */
  async load(): Promise<void> {
    this.#loaded = true;
    this.element.dataset.state = 'loading';
    this.#asOf.textContent = t('planning.loading');
    const [asOf] = await Promise.all([this.#lots.load(), this.#demand.load(), this.#segments.load()]);
    const lotsFailed = this.#lots.element.dataset.state === 'error';
    this.#asOf.textContent = lotsFailed ? '' : asOf === null ? t('planning.noRecord') : t('planning.asOf', { time: formatTime(asOf) });
    const failed = [this.#lots, this.#demand, this.#segments].some((s) => s.element.dataset.state === 'error');
    this.element.dataset.state = failed ? 'error' : 'ready';
  }

  dispose(): void {
    this.#resize.abort();
    this.#lots.dispose();
    this.#demand.dispose();
    this.#segments.dispose();
  }

  #resizeAll(): void {
    this.#demand.resize();
    this.#lots.resize();
    this.#segments.resize();
  }
}
