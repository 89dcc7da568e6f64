import type { ApiClient, DispositionRequest } from '../api/apiClient.ts';
import type { AttachmentRef, CaseView, WhoAmI } from '../api/views.ts';
import { el } from '../element.ts';
import { actionForm, field, file, instant, text, timeInput } from './actionForm.ts';
import { timeZoneLabel } from '../format.ts';
import { dispositionLabel } from '../caseLabels.ts';
import { t } from '../i18n/translate.ts';

/** What a file input may take: what POST /v1/attachments stores. */
const uploadAccept = 'image/jpeg,image/png,application/pdf';

/** The default time a carrier is given to respond. */
const defaultResponseDays = 7;

/** Uploads the form's file, if one was chosen, and answers how a decision cites it. */
export async function uploadChosen(api: ApiClient, data: FormData, name: string): Promise<AttachmentRef[]> {
  const chosen = file(data, name);
  if (chosen === undefined) return [];
  const stored = await api.upload(chosen);
  return [{ sha256: stored.sha256, name: chosen.name, type: stored.type, size: stored.size }];
}

function required(value: string | undefined, label: string): string {
  if (value === undefined) throw new Error(t('forms.required', { label }));
  return value;
}

function number(value: string | undefined, label: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(t('forms.notNumber', { label }));
  return n;
}

const input = (name: string, attrs: Record<string, string> = {}): HTMLInputElement => el('input', { type: 'text', name, 'data-testid': `input-${name}`, ...attrs });
const textarea = (name: string, attrs: Record<string, string> = {}): HTMLTextAreaElement => el('textarea', { name, rows: '2', 'data-testid': `input-${name}`, ...attrs });
const select = (name: string, options: readonly (readonly [string, string])[]): HTMLSelectElement =>
  el('select', { name, 'data-testid': `input-${name}` }, ...options.map(([value, label]) => el('option', { value }, label)));

/**
 * The steps the key's role may take on this case, as forms (the stages of libs/cases README):
 * bureau assigns and reopens, enforcement freezes evidence, records checks, notifies, decides the
 * appeal and disposes; the case's carrier responds. Only the steps the case's stage makes possible
 * are offered; the API decides, and its refusal is shown under the form.
 */
export function caseActions(api: ApiClient, c: CaseView, whoami: WhoAmI, onChanged: (view: CaseView) => void): HTMLElement {
  const forms: HTMLElement[] = [];
  const disposed = c.status === 'disposed';
  const id = c.caseId;
  const done = (view: CaseView): void => onChanged(view);

  if (whoami.role === 'bureau') {
    if (!disposed) {
      forms.push(
        actionForm({
          testid: 'case-assign',
          title: c.assignment === null ? t('caseActions.assign') : t('caseActions.reassign'),
          submitLabel: t('caseActions.assign'),
          fields: [field(t('caseActions.unit'), input('unit', { value: c.assignment?.unit ?? '', required: '' })), field(t('caseActions.officer'), input('officer', { value: c.assignment?.officer ?? '', required: '' }))],
          run: async (data) => done(await api.assignCase(id, required(text(data, 'unit'), t('caseActions.unit')), required(text(data, 'officer'), t('caseActions.officer')))),
        }),
      );
    } else {
      forms.push(
        actionForm({
          testid: 'case-reopen',
          title: t('caseActions.reopen'),
          submitLabel: t('caseActions.reopen'),
          hint: t('caseActions.reopenHint'),
          fields: [field(t('caseActions.reason'), textarea('reason', { required: '' }))],
          run: async (data) => done(await api.reopenCase(id, required(text(data, 'reason'), t('caseActions.reason')))),
        }),
      );
    }
  }

  if (whoami.role === 'enforcement' && !disposed) {
    if (c.notice === null) {
      forms.push(
        actionForm({
          testid: 'case-freeze',
          title: c.evidence === null ? t('caseActions.freeze') : t('caseActions.freezeAgain'),
          submitLabel: t('caseActions.freeze'),
          hint: t('caseActions.freezeHint', { vehicleId: c.vehicleId }),
          fields: [],
          run: async () => done(await api.freezeEvidence(id)),
        }),
      );
    }
    forms.push(
      actionForm({
        testid: 'case-check',
        title: t('caseActions.check'),
        submitLabel: t('caseActions.recordCheck'),
        fields: [
          field(t('caseActions.officer'), input('officer', { value: c.assignment?.officer ?? '', required: '' })),
          field(t('caseActions.checkedAtZone', { zone: timeZoneLabel() }), timeInput('checkedAt', new Date(), { required: '' })),
          field(t('caseActions.latitude'), input('lat', { inputmode: 'decimal', required: '', class: 'short' })),
          field(t('caseActions.longitude'), input('lon', { inputmode: 'decimal', required: '', class: 'short' })),
          field(t('caseActions.place'), input('place', { placeholder: 'road, stake, lot' })),
          field(t('caseActions.findings'), textarea('findings', { required: '' })),
          field(t('caseActions.photo'), input('photo', { type: 'file', accept: uploadAccept })),
        ],
        run: async (data) => {
          const lat = required(number(text(data, 'lat'), t('caseActions.latitude'))?.toString(), t('caseActions.latitude'));
          const lon = required(number(text(data, 'lon'), t('caseActions.longitude'))?.toString(), t('caseActions.longitude'));
          const place = text(data, 'place');
          // Read before anything is uploaded: a mistyped time must not leave files behind.
          const checkedAt = required(instant(data, 'checkedAt', t('caseActions.checkedAt')), t('caseActions.checkedAt'));
          const attachments = await uploadChosen(api, data, 'photo');
          done(
            await api.recordCheck(id, {
              officer: required(text(data, 'officer'), t('caseActions.officer')),
              checkedAt,
              place: { lat: Number(lat), lon: Number(lon), ...(place === undefined ? {} : { text: place }) },
              findings: required(text(data, 'findings'), t('caseActions.findings')),
              attachments,
            }),
          );
        },
      }),
    );
    if (c.evidence !== null && c.notice === null) {
      forms.push(
        actionForm({
          testid: 'case-notify',
          title: t('caseActions.notifyTitle'),
          submitLabel: t('caseActions.notify'),
          hint: t('caseActions.notifyHint'),
          fields: [field(t('caseActions.respondByZone', { zone: timeZoneLabel() }), timeInput('responseDeadline', new Date(Date.now() + defaultResponseDays * 86_400_000), { required: '' }))],
          run: async (data) => done(await api.notifyCarrier(id, required(instant(data, 'responseDeadline', t('caseActions.respondBy')), t('caseActions.respondBy')))),
        }),
      );
    }
    if (c.status === 'appealed') {
      forms.push(
        actionForm({
          testid: 'case-appeal-decision',
          title: t('caseActions.decideTitle'),
          submitLabel: t('caseActions.decide'),
          fields: [
            field(t('caseActions.outcome'), select('outcome', [['rejected', t('caseActions.rejected')], ['upheld', t('caseActions.upheld')]])),
            field(t('caseActions.reasons'), textarea('reasons', { required: '' })),
          ],
          run: async (data) => done(await api.decideAppeal(id, text(data, 'outcome') === 'upheld' ? 'upheld' : 'rejected', required(text(data, 'reasons'), t('caseActions.reasons')))),
        }),
      );
    }
    if (c.evidence !== null && c.status !== 'appealed') forms.push(disposeForm(api, c, done));
  }

  if (whoami.role === 'carrier' && c.notice !== null && c.response === null && !disposed) {
    forms.push(
      actionForm({
        testid: 'case-respond',
        title: t('caseActions.respondTitle'),
        submitLabel: t('caseActions.sendResponse'),
        hint: t('caseActions.respondHint'),
        fields: [
          field(t('caseActions.response'), select('response', [['acknowledge', t('caseActions.acknowledge')], ['appeal', t('caseActions.appeal')]])),
          field(t('caseActions.reasons'), textarea('reasons')),
          field(t('caseActions.attachment'), input('attachment', { type: 'file', accept: uploadAccept })),
        ],
        run: async (data) => {
          const reasons = text(data, 'reasons');
          const attachments = await uploadChosen(api, data, 'attachment');
          done(await api.respond(id, { response: text(data, 'response') === 'appeal' ? 'appeal' : 'acknowledge', ...(reasons === undefined ? {} : { reasons }), attachments }));
        },
      }),
    );
  }

  return el('div', { class: 'case-actions', 'data-testid': 'case-actions' }, ...(forms.length === 0 ? [el('p', { class: 'empty' }, t('caseActions.nothing'))] : forms));
}

/** 处置: penalised (legal basis and amount), warned, or dismissed (reason); points may be overridden with a reason. */
function disposeForm(api: ApiClient, c: CaseView, done: (view: CaseView) => void): HTMLElement {
  const disposition = select('disposition', [
    ['penalised', dispositionLabel('penalised')],
    ['warned', dispositionLabel('warned')],
    ['dismissed', dispositionLabel('dismissed')],
  ]);
  const penaltyFields = [field(t('caseActions.legalBasis'), textarea('legalBasis')), field(t('caseActions.amount'), input('amountYuan', { inputmode: 'decimal', class: 'short' }))];
  const reasonField = field(t('caseActions.reason'), textarea('reason'));
  const pointsFields = [field(t('caseActions.points'), input('points', { inputmode: 'numeric', class: 'short' })), field(t('caseActions.pointsReason'), input('pointsReason'))];
  const sync = (): void => {
    const d = disposition.value;
    for (const f of penaltyFields) f.hidden = d !== 'penalised';
    reasonField.hidden = d === 'penalised';
    for (const f of pointsFields) f.hidden = d === 'dismissed';
  };
  disposition.addEventListener('change', sync);
  sync();
  return actionForm({
    testid: 'case-dispose',
    title: t('caseActions.dispose'),
    submitLabel: t('caseActions.dispose'),
    hint: t('caseActions.disposeHint'),
    fields: [field(t('caseActions.disposition'), disposition), ...penaltyFields, reasonField, ...pointsFields],
    run: async (data) => {
      const d = text(data, 'disposition');
      const kind: DispositionRequest['disposition'] = d === 'warned' ? 'warned' : d === 'dismissed' ? 'dismissed' : 'penalised';
      const legalBasis = kind === 'penalised' ? text(data, 'legalBasis') : undefined;
      const amountYuan = kind === 'penalised' ? number(text(data, 'amountYuan'), t('caseActions.amountLabel')) : undefined;
      const reason = kind === 'penalised' ? undefined : text(data, 'reason');
      const points = kind === 'dismissed' ? undefined : number(text(data, 'points'), t('caseActions.pointsLabel'));
      const pointsReason = kind === 'dismissed' ? undefined : text(data, 'pointsReason');
      const request: DispositionRequest = {
        disposition: kind,
        ...(legalBasis === undefined ? {} : { legalBasis }),
        ...(amountYuan === undefined ? {} : { amountYuan }),
        ...(reason === undefined ? {} : { reason }),
        ...(points === undefined ? {} : { points }),
        ...(pointsReason === undefined ? {} : { pointsReason }),
      };
      done(await api.dispose(c.caseId, request));
    },
  });
}
