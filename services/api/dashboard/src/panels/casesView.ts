import type { ApiClient } from '../api/apiClient.ts';
import type { WhoAmI } from '../api/views.ts';
import { el } from '../element.ts';
import { CasePage } from './casePage.ts';
import { CasesList } from './casesList.ts';

/**
 * The cases view: the list beside the case page. Bureau and enforcement keys see every case; a
 * carrier's key its own ("My cases"), as the API scopes them.
 */
export class CasesView {
  readonly element: HTMLElement;
  readonly list: CasesList;
  readonly page: CasePage;

  constructor(api: ApiClient, whoami: WhoAmI, hooks: { readonly onShowPoints: (carrierId: string) => void; readonly onError: (error: unknown) => void }) {
    this.list = new CasesList(api, { ownOnly: whoami.carrierId !== null, onOpen: (caseId) => void this.open(caseId), onError: hooks.onError });
    this.page = new CasePage(api, {
      whoami,
      onChanged: () => void this.list.load(),
      onShowPoints: hooks.onShowPoints,
      onError: hooks.onError,
    });
    this.element = el('div', { class: 'cases-view', 'data-testid': 'cases-view' }, this.list.element, this.page.element);
  }

  /** Shows one case (and marks it in the list). */
  async open(caseId: string): Promise<void> {
    this.list.select(caseId);
    await this.page.show(caseId);
  }

  refresh(): void {
    void this.list.load();
    if (this.page.caseId !== null) void this.page.show(this.page.caseId);
  }
}
