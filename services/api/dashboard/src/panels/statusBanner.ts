import { el } from '../element.ts';

/** One line under the header for trouble the desk cannot fix itself (API down, rate limited). */
export class StatusBanner {
  readonly element = el('div', { class: 'banner', role: 'status', 'aria-live': 'polite', 'data-testid': 'status-banner' });
  readonly #problems = new Map<string, string>();

  constructor() {
    this.element.hidden = true;
  }

  set(source: string, message: string | null): void {
    if (message === null) this.#problems.delete(source);
    else this.#problems.set(source, message);
    const text = [...this.#problems.values()].join(' · ');
    this.element.textContent = text;
    this.element.hidden = text === '';
  }
}
