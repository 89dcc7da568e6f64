import type { FleetVehicle } from '../api/views.ts';
import { el, replaceChildren } from '../element.ts';
import { findByPlate } from '../format.ts';
import { t } from '../i18n/translate.ts';

/** Most matches listed under the search box; more means the officer should type more of the plate. */
const shown = 8;

/**
 * Find a vehicle by its plate, spelled any way (`浙J·A6LXE`, `浙JA6LXE`, part of it): one match
 * opens it on the map and in the vehicle panel; several are listed to pick from; none is said.
 */
export class PlateSearch {
  readonly element: HTMLFormElement;
  readonly #input = el('input', { type: 'search', name: 'plate', placeholder: t('plateSearch.placeholder'), autocomplete: 'off', 'aria-label': t('plateSearch.label'), 'data-testid': 'plate-search' });
  readonly #results = el('div', { class: 'plate-results', role: 'status', 'aria-live': 'polite', 'data-testid': 'plate-results' });

  constructor(
    private readonly fleet: () => readonly FleetVehicle[],
    private readonly onSelect: (vehicleId: string) => void,
  ) {
    this.#results.hidden = true;
    this.element = el('form', { class: 'plate-search', role: 'search', 'data-testid': 'plate-search-form' }, this.#input, this.#results);
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#search(this.#input.value);
    });
    this.#input.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.#close();
    });
  }

  #search(typed: string): void {
    if (typed.trim() === '') return this.#close();
    const matches = findByPlate(typed, this.fleet());
    if (matches.length === 1) {
      this.#close();
      this.onSelect((matches[0] as FleetVehicle).vehicleId);
      return;
    }
    this.#results.hidden = false;
    if (matches.length === 0) {
      replaceChildren(this.#results, el('p', { class: 'muted' }, t('plateSearch.none', { typed: typed.trim() })));
      return;
    }
    const pick = (v: FleetVehicle): HTMLButtonElement => {
      const button = el('button', { type: 'button', 'data-testid': 'plate-result', 'data-vehicle-id': v.vehicleId }, v.plateNo ?? v.vehicleId);
      button.addEventListener('click', () => {
        this.#close();
        this.onSelect(v.vehicleId);
      });
      return button;
    };
    replaceChildren(
      this.#results,
      ...matches.slice(0, shown).map(pick),
      matches.length > shown ? el('p', { class: 'muted' }, t('plateSearch.more', { count: matches.length - shown })) : null,
    );
  }

  #close(): void {
    this.#results.hidden = true;
    replaceChildren(this.#results);
  }
}
