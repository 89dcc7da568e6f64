import type { ApiClient, DispositionRequest } from '../api/apiClient.ts';
import type { AttachmentRef, CaseView, WhoAmI } from '../api/views.ts';
import { el } from '../element.ts';
import { actionForm, field, file, instant, text, timeInput } from './actionForm.ts';
import { TIME_ZONE_LABEL } from '../format.ts';

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
  if (value === undefined) throw new Error(`${label} is required.`);
  return value;
}

function number(value: string | undefined, label: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`${label} must be a number.`);
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
          title: c.assignment === null ? 'Assign' : 'Re-assign',
          submitLabel: 'Assign',
          fields: [field('Unit', input('unit', { value: c.assignment?.unit ?? '', required: '' })), field('Officer', input('officer', { value: c.assignment?.officer ?? '', required: '' }))],
          run: async (data) => done(await api.assignCase(id, required(text(data, 'unit'), 'Unit'), required(text(data, 'officer'), 'Officer'))),
        }),
      );
    } else {
      forms.push(
        actionForm({
          testid: 'case-reopen',
          title: 'Reopen',
          submitLabel: 'Reopen',
          hint: 'A new round: notice, response and disposition again; evidence, checks and the points recorded stay until it is disposed anew.',
          fields: [field('Reason', textarea('reason', { required: '' }))],
          run: async (data) => done(await api.reopenCase(id, required(text(data, 'reason'), 'Reason'))),
        }),
      );
    }
  }

  if (whoami.role === 'enforcement' && !disposed) {
    if (c.notice === null) {
      forms.push(
        actionForm({
          testid: 'case-freeze',
          title: c.evidence === null ? 'Freeze evidence' : 'Freeze evidence again',
          submitLabel: 'Freeze evidence',
          hint: `Replays ${c.vehicleId} over the case window and archives the report; this may take a while.`,
          fields: [],
          run: async () => done(await api.freezeEvidence(id)),
        }),
      );
    }
    forms.push(
      actionForm({
        testid: 'case-check',
        title: 'Record an on-site check',
        submitLabel: 'Record check',
        fields: [
          field('Officer', input('officer', { value: c.assignment?.officer ?? '', required: '' })),
          field(`Checked at (${TIME_ZONE_LABEL})`, timeInput('checkedAt', new Date(), { required: '' })),
          field('Latitude', input('lat', { inputmode: 'decimal', required: '', class: 'short' })),
          field('Longitude', input('lon', { inputmode: 'decimal', required: '', class: 'short' })),
          field('Place', input('place', { placeholder: 'road, stake, lot' })),
          field('Findings', textarea('findings', { required: '' })),
          field('Photo or document', input('photo', { type: 'file', accept: uploadAccept })),
        ],
        run: async (data) => {
          const lat = required(number(text(data, 'lat'), 'Latitude')?.toString(), 'Latitude');
          const lon = required(number(text(data, 'lon'), 'Longitude')?.toString(), 'Longitude');
          const place = text(data, 'place');
          // Read before anything is uploaded: a mistyped time must not leave files behind.
          const checkedAt = required(instant(data, 'checkedAt', 'Checked at'), 'Checked at');
          const attachments = await uploadChosen(api, data, 'photo');
          done(
            await api.recordCheck(id, {
              officer: required(text(data, 'officer'), 'Officer'),
              checkedAt,
              place: { lat: Number(lat), lon: Number(lon), ...(place === undefined ? {} : { text: place }) },
              findings: required(text(data, 'findings'), 'Findings'),
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
          title: 'Notify the carrier',
          submitLabel: 'Notify',
          hint: 'The carrier may acknowledge or appeal until the deadline; the evidence it is shown is then fixed.',
          fields: [field(`Respond by (${TIME_ZONE_LABEL})`, timeInput('responseDeadline', new Date(Date.now() + defaultResponseDays * 86_400_000), { required: '' }))],
          run: async (data) => done(await api.notifyCarrier(id, required(instant(data, 'responseDeadline', 'Respond by'), 'Respond by'))),
        }),
      );
    }
    if (c.status === 'appealed') {
      forms.push(
        actionForm({
          testid: 'case-appeal-decision',
          title: 'Decide the appeal',
          submitLabel: 'Decide',
          fields: [
            field('Outcome', select('outcome', [['rejected', 'Rejected (the charge stands)'], ['upheld', 'Upheld (dismiss only)']])),
            field('Reasons', textarea('reasons', { required: '' })),
          ],
          run: async (data) => done(await api.decideAppeal(id, text(data, 'outcome') === 'upheld' ? 'upheld' : 'rejected', required(text(data, 'reasons'), 'Reasons'))),
        }),
      );
    }
    if (c.evidence !== null && c.status !== 'appealed') forms.push(disposeForm(api, c, done));
  }

  if (whoami.role === 'carrier' && c.notice !== null && c.response === null && !disposed) {
    forms.push(
      actionForm({
        testid: 'case-respond',
        title: 'Respond',
        submitLabel: 'Send response',
        hint: 'Acknowledge the violation, or appeal with your reasons (and a document) before the deadline.',
        fields: [
          field('Response', select('response', [['acknowledge', 'Acknowledge'], ['appeal', 'Appeal']])),
          field('Reasons', textarea('reasons')),
          field('Attachment', input('attachment', { type: 'file', accept: uploadAccept })),
        ],
        run: async (data) => {
          const reasons = text(data, 'reasons');
          const attachments = await uploadChosen(api, data, 'attachment');
          done(await api.respond(id, { response: text(data, 'response') === 'appeal' ? 'appeal' : 'acknowledge', ...(reasons === undefined ? {} : { reasons }), attachments }));
        },
      }),
    );
  }

  return el('div', { class: 'case-actions', 'data-testid': 'case-actions' }, ...(forms.length === 0 ? [el('p', { class: 'empty' }, 'Nothing for this key to do on this case now.')] : forms));
}

/** 处置: penalised (legal basis and amount), warned, or dismissed (reason); points may be overridden with a reason. */
function disposeForm(api: ApiClient, c: CaseView, done: (view: CaseView) => void): HTMLElement {
  const disposition = select('disposition', [
    ['penalised', 'Penalised'],
    ['warned', 'Warned'],
    ['dismissed', 'Dismissed'],
  ]);
  const penaltyFields = [field('Legal basis', textarea('legalBasis')), field('Amount (yuan)', input('amountYuan', { inputmode: 'decimal', class: 'short' }))];
  const reasonField = field('Reason', textarea('reason'));
  const pointsFields = [field('Points (instead of the default)', input('points', { inputmode: 'numeric', class: 'short' })), field('Points reason', input('pointsReason'))];
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
    title: 'Dispose',
    submitLabel: 'Dispose',
    hint: 'A penalty or a warning records the kind’s default points against the carrier unless overridden.',
    fields: [field('Disposition', disposition), ...penaltyFields, reasonField, ...pointsFields],
    run: async (data) => {
      const d = text(data, 'disposition');
      const kind: DispositionRequest['disposition'] = d === 'warned' ? 'warned' : d === 'dismissed' ? 'dismissed' : 'penalised';
      const legalBasis = kind === 'penalised' ? text(data, 'legalBasis') : undefined;
      const amountYuan = kind === 'penalised' ? number(text(data, 'amountYuan'), 'Amount') : undefined;
      const reason = kind === 'penalised' ? undefined : text(data, 'reason');
      const points = kind === 'dismissed' ? undefined : number(text(data, 'points'), 'Points');
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
