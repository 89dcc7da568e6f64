import type { ApiClient } from '../api/apiClient.ts';
import { ApiError } from '../api/apiError.ts';
import type { CorrectiveAction, LedgerView, WhoAmI } from '../api/views.ts';
import { correctiveActionLabel, ledgerRowLabel, standingLabel } from '../caseLabels.ts';
import { el, replaceChildren } from '../element.ts';
import { formatTime } from '../format.ts';
import { actionForm, field, text } from './actionForm.ts';
import { uploadChosen } from './caseActions.ts';
import { kindText } from './casesList.ts';

/**
 * A carrier's points (记分/销分): outstanding points and standing (green / yellow / red), the
 * entries its disposed cases recorded, its history with running totals, its corrective actions.
 * A carrier's key sees its own ledger and submits corrective actions; the bureau clears points
 * against a submitted action; bureau and enforcement choose the carrier.
 */
export class PointsPage {
  readonly element: HTMLElement;
  readonly #body = el('div', { class: 'points-body', 'data-testid': 'points-body', 'aria-live': 'polite' });
  readonly #chooser: HTMLFormElement | null;
  #carrierId: string | null;
  #ticket = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly options: { readonly whoami: WhoAmI; readonly onError: (error: unknown) => void },
  ) {
    this.#carrierId = options.whoami.carrierId;
    if (options.whoami.carrierId === null) {
      const carrier = el('input', { type: 'text', name: 'carrier', placeholder: 'carrier id', required: '', 'data-testid': 'points-carrier' });
      this.#chooser = el('form', { class: 'filters', 'aria-label': 'Carrier', 'data-testid': 'points-chooser' }, field('Carrier', carrier), el('button', { type: 'submit', 'data-testid': 'points-load' }, 'Show points'));
      this.#chooser.addEventListener('submit', (event) => {
        event.preventDefault();
        const id = carrier.value.trim();
        if (id !== '') void this.show(id);
      });
    } else {
      this.#chooser = null;
    }
    this.element = el(
      'section',
      { class: 'panel points-page', 'aria-labelledby': 'points-title', 'data-testid': 'points-page' },
      el('header', { class: 'panel-header' }, el('h2', { id: 'points-title' }, options.whoami.carrierId === null ? 'Carrier points' : 'My points'), this.#chooser),
      this.#body,
    );
    replaceChildren(this.#body, el('p', { class: 'empty' }, options.whoami.carrierId === null ? 'Choose a carrier.' : 'Loading…'));
  }

  /** Shows a carrier's ledger (a carrier's key: its own only). */
  async show(carrierId: string | null = this.#carrierId): Promise<void> {
    if (carrierId === null) return;
    this.#carrierId = carrierId;
    const input = this.#chooser?.querySelector<HTMLInputElement>('input[name="carrier"]');
    if (input) input.value = carrierId;
    const ticket = ++this.#ticket;
    try {
      const ledger = await this.api.points(carrierId);
      if (ticket !== this.#ticket) return;
      this.#render(ledger);
    } catch (error) {
      if (ticket !== this.#ticket) return;
      const message = error instanceof ApiError && error.kind === 'not-found' ? `Carrier ${carrierId}'s points are not visible with this key.` : 'Cannot load the points right now.';
      replaceChildren(this.#body, el('p', { class: 'error', role: 'alert' }, message));
      this.options.onError(error);
    }
  }

  #render(ledger: LedgerView): void {
    this.element.dataset.carrierId = ledger.carrierId;
    const role = this.options.whoami.role;
    const live = ledger.entries.filter((e) => e.supersededBy === null);
    replaceChildren(
      this.#body,
      el(
        'p',
        { class: 'points-summary' },
        el('span', { class: `badge standing standing-${ledger.standing}`, 'data-testid': 'points-standing', 'data-standing': ledger.standing }, standingLabel[ledger.standing]),
        ' ',
        el('strong', {}, ledger.carrierId),
        ' · ',
        el('span', { 'data-testid': 'points-outstanding', 'data-points': String(ledger.outstanding) }, `${ledger.outstanding} point${ledger.outstanding === 1 ? '' : 's'} outstanding`),
      ),
      el('p', { class: 'hint' }, `As of ${formatTime(ledger.asOf)}: yellow from ${ledger.thresholds.yellow} points, red from ${ledger.thresholds.red}. Points expire after their validity; cleared points come off the oldest entries first.`),
      el('h3', {}, 'Entries'),
      live.length === 0 && ledger.entries.length === 0
        ? el('p', { class: 'empty', 'data-testid': 'points-entries' }, 'No points recorded.')
        : table(
            'points-entries',
            ['Recorded', 'Case', 'Kind', 'Points', 'Remaining', 'Expires', 'Note'],
            ledger.entries.map((e) =>
              el(
                'tr',
                { 'data-testid': 'points-entry', 'data-entry-id': e.entryId, class: e.supersededBy === null ? '' : 'muted' },
                el('td', {}, formatTime(e.recordedAt)),
                el('td', {}, e.caseId),
                el('td', {}, kindText(e.kind)),
                el('td', { class: 'num' }, String(e.points)),
                el('td', { class: 'num' }, String(e.remaining)),
                el('td', {}, formatTime(e.expiresAt)),
                el('td', {}, [e.overrideReason === null ? null : `override (default ${e.defaultPoints}): ${e.overrideReason}`, e.supersededBy === null ? null : `superseded by ${e.supersededBy}`].filter((s) => s !== null).join(' · ') || '—'),
              ),
            ),
          ),
      el('h3', {}, 'History'),
      ledger.history.length === 0
        ? el('p', { class: 'empty', 'data-testid': 'points-history' }, 'Nothing yet.')
        : table(
            'points-history',
            ['When', 'What', 'Case / action', 'Change', 'Total'],
            ledger.history.map((r) =>
              el(
                'tr',
                { 'data-testid': 'points-history-row', 'data-type': r.type, 'data-total': String(r.total) },
                el('td', {}, formatTime(r.at)),
                el('td', {}, ledgerRowLabel[r.type]),
                el('td', {}, r.caseId ?? r.actionId ?? r.entryId ?? '—'),
                el('td', { class: 'num' }, r.delta > 0 ? `+${r.delta}` : String(r.delta)),
                el('td', { class: 'num' }, String(r.total)),
              ),
            ),
          ),
      el('h3', {}, 'Corrective actions'),
      ledger.actions.length === 0
        ? el('p', { class: 'empty', 'data-testid': 'points-actions' }, 'None submitted.')
        : el(
            'ul',
            { class: 'corrective-actions', 'data-testid': 'points-actions' },
            ...ledger.actions.map((a) =>
              el(
                'li',
                { 'data-testid': 'corrective-action', 'data-action-id': a.actionId, 'data-cleared': String(a.cleared !== null) },
                el('strong', {}, correctiveActionLabel[a.action]),
                ` · ${a.actionId} · submitted ${formatTime(a.submittedAt)}${a.attachments > 0 ? ` · ${a.attachments} file${a.attachments === 1 ? '' : 's'}` : ''}`,
                el('div', {}, a.description),
                el('div', { class: 'muted' }, a.cleared === null ? 'Not cleared yet.' : `${a.cleared.points} point${a.cleared.points === 1 ? '' : 's'} cleared ${formatTime(a.cleared.at)}`),
                role === 'bureau' && a.cleared === null && ledger.outstanding > 0 ? this.#clearForm(ledger, a.actionId) : null,
              ),
            ),
          ),
      role === 'carrier' ? this.#submitForm(ledger.carrierId) : null,
    );
  }

  #clearForm(ledger: LedgerView, actionId: string): HTMLElement {
    return actionForm({
      testid: 'points-clear',
      title: 'Clear points for this action',
      submitLabel: 'Clear points',
      fields: [field('Points', el('input', { type: 'number', name: 'points', min: '1', max: String(ledger.outstanding), value: String(ledger.outstanding), required: '', class: 'short', 'data-testid': 'input-clear-points' }))],
      run: async (data) => {
        const points = Number(text(data, 'points'));
        this.#render(await this.api.clearPoints(ledger.carrierId, actionId, points));
      },
    });
  }

  #submitForm(carrierId: string): HTMLElement {
    return actionForm({
      testid: 'points-corrective-action',
      title: 'Submit a corrective action',
      submitLabel: 'Submit',
      hint: 'The bureau verifies it and clears points against it.',
      fields: [
        field('Action', el('select', { name: 'action', 'data-testid': 'input-action' }, ...Object.entries(correctiveActionLabel).map(([value, label]) => el('option', { value }, label)))),
        field('Description', el('textarea', { name: 'description', rows: '2', required: '', 'data-testid': 'input-description' })),
        field('Attachment', el('input', { type: 'file', name: 'attachment', accept: 'image/jpeg,image/png,application/pdf', 'data-testid': 'input-attachment' })),
      ],
      run: async (data) => {
        const description = text(data, 'description');
        if (description === undefined) throw new Error('Description is required.');
        const attachments = await uploadChosen(this.api, data, 'attachment');
        const answer = await this.api.submitCorrectiveAction(carrierId, { action: (text(data, 'action') ?? 'other') as CorrectiveAction, description, attachments });
        this.#render(answer.ledger);
      },
    });
  }
}

function table(testid: string, head: readonly string[], rows: readonly HTMLElement[]): HTMLElement {
  return el(
    'div',
    { class: 'table-scroll' },
    el('table', { class: 'violations', 'data-testid': testid }, el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, ...rows)),
  );
}
