import type { ApiClient, OccurrenceFilter } from '../api/apiClient.ts';
import type { AdvisoryView, ViolationView } from '../api/views.ts';
import { el } from '../element.ts';
import { advisoryKindLabel, advisoryKinds, labelsOf, violationKindLabel, violationKinds } from '../format.ts';
import { t } from '../i18n/translate.ts';
import { refusalText } from './actionForm.ts';
import { OccurrencesTable } from './occurrencesTable.ts';

/** "Open case" on a violation row: the click opens a case and does not select the vehicle. */
function openCaseButton(v: ViolationView, openCase: (violation: ViolationView) => Promise<void>): HTMLElement {
  const button = el('button', { type: 'button', class: 'open-case', 'data-testid': 'open-case' }, t('occurrences.openCase'));
  const error = el('span', { class: 'error', role: 'alert', 'data-testid': 'open-case-error' });
  if (v.carrierId === null) {
    button.disabled = true;
    button.title = t('occurrences.noCarrier');
  }
  button.addEventListener('click', (event) => {
    event.stopPropagation();
    button.disabled = true;
    error.textContent = '';
    openCase(v)
      .catch((e: unknown) => {
        error.textContent = ` ${refusalText(e)}`;
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  button.addEventListener('keydown', (event) => event.stopPropagation());
  return el('span', {}, button, error);
}

type Tab = 'violations' | 'advisories';

/**
 * Violations and advisories, one tab each: what breaks a rule (illegal parking, restricted
 * entries, overspeed) apart from what is only recorded (segment passages).
 */
export class OccurrencesPanel {
  readonly element: HTMLElement;
  readonly violations: OccurrencesTable<ViolationView>;
  readonly advisories: OccurrencesTable<AdvisoryView>;
  readonly #tabs: Record<Tab, HTMLButtonElement>;
  #shown: Tab = 'violations';
  /** An advisory arrived while its tab was hidden: reload when it is shown. */
  #advisoriesStale = true;

  /**
   * `openCase` (bureau keys only) adds an "Open case" button to every violation row; it answers
   * when the case is opened (or throws the API's refusal, shown beside the button).
   */
  constructor(
    api: ApiClient,
    onSelect: (vehicleId: string) => void,
    onError: (error: unknown) => void,
    options: { openCase?: (violation: ViolationView) => Promise<void>; resolveVehicle?: (typed: string) => string } = {},
  ) {
    const { openCase, resolveVehicle } = options;
    this.violations = new OccurrencesTable<ViolationView>(
      {
        name: 'violations',
        noun: 'violation',
        kinds: labelsOf(violationKinds, violationKindLabel),
        caption: t('occurrences.violationsCaption'),
        load: (f, limit, cursor) => api.violations(f, limit, cursor),
        idOf: (v) => v.violationId,
        ...(openCase === undefined ? {} : { rowAction: (v: ViolationView) => openCaseButton(v, openCase) }),
      },
      onSelect,
      onError,
      resolveVehicle,
    );
    this.advisories = new OccurrencesTable<AdvisoryView>(
      {
        name: 'advisories',
        noun: 'advisory',
        kinds: labelsOf(advisoryKinds, advisoryKindLabel),
        caption: t('occurrences.advisoriesCaption'),
        load: (f, limit, cursor) => api.advisories(f, limit, cursor),
        idOf: (a) => a.advisoryId,
      },
      onSelect,
      onError,
      resolveVehicle,
    );
    const tab = (name: Tab, label: string): HTMLButtonElement => {
      const button = el('button', { type: 'button', role: 'tab', id: `${name}-tab`, 'aria-controls': `${name}-tabpanel`, 'data-testid': `tab-${name}` }, label);
      button.addEventListener('click', () => this.show(name));
      return button;
    };
    this.#tabs = { violations: tab('violations', t('occurrences.tabViolations')), advisories: tab('advisories', t('occurrences.tabAdvisories')) };
    this.element = el(
      'section',
      { class: 'panel violations-panel', 'aria-label': t('occurrences.label'), 'data-testid': 'occurrences-panel' },
      el(
        'header',
        { class: 'panel-header' },
        el('div', { class: 'tabs', role: 'tablist', 'aria-label': t('occurrences.tabsLabel') }, this.#tabs.violations, this.#tabs.advisories),
        el('span', { class: 'hint', 'data-testid': 'advisories-note' }, t('occurrences.advisoriesNote')),
      ),
      this.violations.element,
      this.advisories.element,
    );
    this.show('violations');
  }

  show(tab: Tab): void {
    this.#shown = tab;
    for (const name of ['violations', 'advisories'] as const) {
      const on = name === tab;
      this.#tabs[name].setAttribute('aria-selected', String(on));
      this.#tabs[name].classList.toggle('tab-selected', on);
      (name === 'violations' ? this.violations : this.advisories).element.hidden = !on;
    }
    if (tab === 'advisories' && this.#advisoriesStale) {
      this.#advisoriesStale = false;
      void this.advisories.load();
    }
  }

  /** One carrier's violations (from the compliance panel). */
  showViolations(filter: OccurrenceFilter): void {
    this.show('violations');
    this.violations.filterBy(filter);
  }

  /** New alerts of that category arrived: reload its table now if shown, else when it is. */
  refresh(category: 'violation' | 'advisory'): void {
    if (category === 'violation') void this.violations.load();
    else if (this.#shown === 'advisories') void this.advisories.load();
    else this.#advisoriesStale = true;
  }
}
