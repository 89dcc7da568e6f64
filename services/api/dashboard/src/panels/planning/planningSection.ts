import type { PlanningApi, PlanningFile } from '../../api/planningApi.ts';
import { el, replaceChildren } from '../../element.ts';
import { t } from '../../i18n/translate.ts';
import { refusalText } from '../actionForm.ts';
import { downloadButton } from '../fileDownload.ts';
import type { PlanningChart } from './planningCharts.ts';
import type * as ChartsModule from './planningCharts.ts';

/** ECharts comes with the view's first data (its own chunk): the live desk never waits for it. */
export type Charts = typeof ChartsModule;

/** What each of the view's three sections is given. */
export interface SectionContext {
  readonly api: PlanningApi;
  readonly charts: () => Promise<Charts>;
  readonly onError: (error: unknown) => void;
}

/** A file of a section: a label, the file, the name it is saved as, and the query of the table shown. */
export interface SectionFile {
  readonly label: string;
  readonly file: PlanningFile;
  readonly testid: string;
  readonly filename: string;
  readonly query?: Parameters<PlanningApi['file']>[1];
}

/** The buttons saving a section's files (fetched with the key, never in a URL: fileDownload.ts). */
export function fileButtons(api: PlanningApi, files: readonly SectionFile[]): HTMLElement[] {
  return files.map((f) => {
    const { button, status } = downloadButton(f.label, f.filename, () => api.file(f.file, f.query ?? {}), { 'data-testid': f.testid, title: t('planning.download', { file: f.label }) });
    return el('span', { class: 'planning-file' }, button, status);
  });
}

/** A section's card: a titled panel with a place for its files' buttons in the header, a hint, a status line, then its body. */
export function sectionCard(name: string, title: string, hint: string, ...body: HTMLElement[]): { card: HTMLElement; status: HTMLElement; files: HTMLElement } {
  const status = el('p', { class: 'hint planning-status', 'data-testid': `planning-${name}-status`, 'aria-live': 'polite' });
  const files = el('span', { class: 'planning-files' });
  const card = el(
    'section',
    { class: `panel planning-card planning-card-${name}`, 'data-testid': `planning-${name}`, 'aria-label': title },
    el('header', { class: 'panel-header' }, el('h2', {}, title), files),
    el('p', { class: 'hint' }, hint),
    status,
    ...body,
  );
  return { card, status, files };
}

/** Says a section is loading, ready or failed (`data-state` on its card, the reason in its status line). */
export function setState(card: HTMLElement, status: HTMLElement, state: 'loading' | 'ready' | 'error', text = ''): void {
  card.dataset.state = state;
  status.classList.toggle('error', state === 'error');
  replaceChildren(status, state === 'loading' ? t('planning.loading') : text);
}

export function failureText(error: unknown): string {
  return t('planning.cannotLoad', { reason: refusalText(error) });
}

/** A chart's place: the canvas container, and a note shown instead when there is nothing to draw. */
export class ChartSlot {
  readonly element: HTMLElement;
  readonly #container: HTMLElement;
  readonly #title = el('h3', {});
  readonly #note = el('p', { class: 'empty', hidden: '' });
  #chart: PlanningChart | null = null;

  constructor(testid: string) {
    this.#container = el('div', { class: 'planning-chart', 'data-testid': testid, role: 'img' });
    this.element = el('figure', { class: 'planning-figure' }, this.#title, this.#container, this.#note);
  }

  /** Draws the option under `title`, or says `note` in the chart's place. */
  draw(charts: Charts, title: string, note: string | null, option: () => ChartsModule.PlanningChartOption): void {
    this.#title.textContent = title;
    this.#container.setAttribute('aria-label', t('planning.chartLabel', { title }));
    this.#note.textContent = note ?? '';
    this.#note.hidden = note === null;
    this.#container.hidden = note !== null;
    if (note === null) (this.#chart ??= new charts.PlanningChart(this.#container)).draw(option());
  }

  resize(): void {
    this.#chart?.resize();
  }

  dispose(): void {
    this.#chart?.dispose();
    this.#chart = null;
  }
}
