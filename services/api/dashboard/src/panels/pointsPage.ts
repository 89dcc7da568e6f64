import type { ApiClient } from '../api/apiClient.ts';
import { ApiError } from '../api/apiError.ts';
import type { CorrectiveAction, LedgerView, WhoAmI } from '../api/views.ts';
import { correctiveActionLabel, correctiveActions, ledgerRowLabel, standingLabel } from '../caseLabels.ts';
import { el, replaceChildren } from '../element.ts';
import { formatTime } from '../format.ts';
import { t } from '../i18n/translate.ts';
import { carrierLabel } from '../carrierNames.ts';
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
      const carrier = el('input', { type: 'text', name: 'carrier', placeholder: t('points.carrierPlaceholder'), required: '', 'data-testid': 'points-carrier' });
      this.#chooser = el('form', { class: 'filters', 'aria-label': t('points.carrier'), 'data-testid': 'points-chooser' }, field(t('points.carrier'), carrier), el('button', { type: 'submit', 'data-testid': 'points-load' }, t('points.show')));
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
      el('header', { class: 'panel-header' }, el('h2', { id: 'points-title' }, options.whoami.carrierId === null ? t('points.carrierTitle') : t('points.myTitle')), this.#chooser),
      this.#body,
    );
    replaceChildren(this.#body, el('p', { class: 'empty' }, options.whoami.carrierId === null ? t('points.choose') : t('points.loading')));
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
      const message = error instanceof ApiError && error.kind === 'not-found' ? t('points.notVisible', { carrierId }) : t('points.cannotLoad');
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
        el('span', { class: `badge standing standing-${ledger.standing}`, 'data-testid': 'points-standing', 'data-standing': ledger.standing }, standingLabel(ledger.standing)),
        ' ',
        el('strong', {}, carrierLabel(ledger.carrierId)),
        ' · ',
        el('span', { 'data-testid': 'points-outstanding', 'data-points': String(ledger.outstanding) }, t('points.outstanding', { count: ledger.outstanding })),
      ),
      el('p', { class: 'hint' }, t('points.asOf', { time: formatTime(ledger.asOf), yellow: ledger.thresholds.yellow, red: ledger.thresholds.red })),
      el('h3', {}, t('points.entries')),
      live.length === 0 && ledger.entries.length === 0
        ? el('p', { class: 'empty', 'data-testid': 'points-entries' }, t('points.noEntries'))
        : table(
            'points-entries',
            [t('points.recorded'), t('points.case'), t('points.kind'), t('points.points'), t('points.remaining'), t('points.expires'), t('points.note')],
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
                el('td', {}, [
                    e.overrideReason === null ? null : t('points.override', { points: e.defaultPoints, reason: e.overrideReason }),
                    e.supersededBy === null ? null : t('points.supersededBy', { entryId: e.supersededBy }),
                  ].filter((s) => s !== null).join(' · ') || '—'),
              ),
            ),
          ),
      el('h3', {}, t('points.history')),
      ledger.history.length === 0
        ? el('p', { class: 'empty', 'data-testid': 'points-history' }, t('points.nothing'))
        : table(
            'points-history',
            [t('points.when'), t('points.what'), t('points.caseOrAction'), t('points.change'), t('points.total')],
            ledger.history.map((r) =>
              el(
                'tr',
                { 'data-testid': 'points-history-row', 'data-type': r.type, 'data-total': String(r.total) },
                el('td', {}, formatTime(r.at)),
                el('td', {}, ledgerRowLabel(r.type)),
                el('td', {}, r.caseId ?? r.actionId ?? r.entryId ?? '—'),
                el('td', { class: 'num' }, r.delta > 0 ? `+${r.delta}` : String(r.delta)),
                el('td', { class: 'num' }, String(r.total)),
              ),
            ),
          ),
      el('h3', {}, t('points.actions')),
      ledger.actions.length === 0
        ? el('p', { class: 'empty', 'data-testid': 'points-actions' }, t('points.noActions'))
        : el(
            'ul',
            { class: 'corrective-actions', 'data-testid': 'points-actions' },
            ...ledger.actions.map((a) =>
              el(
                'li',
                { 'data-testid': 'corrective-action', 'data-action-id': a.actionId, 'data-cleared': String(a.cleared !== null) },
                el('strong', {}, correctiveActionLabel(a.action)),
                `${t('points.submitted', { actionId: a.actionId, time: formatTime(a.submittedAt) })}${a.attachments > 0 ? t('points.files', { count: a.attachments }) : ''}`,
                el('div', {}, a.description),
                el('div', { class: 'muted' }, a.cleared === null ? t('points.notCleared') : t('points.cleared', { count: a.cleared.points, time: formatTime(a.cleared.at) })),
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
      title: t('points.clearTitle'),
      submitLabel: t('points.clear'),
      fields: [field(t('points.points'), el('input', { type: 'number', name: 'points', min: '1', max: String(ledger.outstanding), value: String(ledger.outstanding), required: '', class: 'short', 'data-testid': 'input-clear-points' }))],
      run: async (data) => {
        const points = Number(text(data, 'points'));
        this.#render(await this.api.clearPoints(ledger.carrierId, actionId, points));
      },
    });
  }

  #submitForm(carrierId: string): HTMLElement {
    return actionForm({
      testid: 'points-corrective-action',
      title: t('points.submitTitle'),
      submitLabel: t('points.submit'),
      hint: t('points.submitHint'),
      fields: [
        field(t('points.action'), el('select', { name: 'action', 'data-testid': 'input-action' }, ...correctiveActions.map((value) => el('option', { value }, correctiveActionLabel(value))))),
        field(t('points.description'), el('textarea', { name: 'description', rows: '2', required: '', 'data-testid': 'input-description' })),
        field(t('points.attachment'), el('input', { type: 'file', name: 'attachment', accept: 'image/jpeg,image/png,application/pdf', 'data-testid': 'input-attachment' })),
      ],
      run: async (data) => {
        const description = text(data, 'description');
        if (description === undefined) throw new Error(t('forms.required', { label: t('points.description') }));
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
