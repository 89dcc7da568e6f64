import type { ApiClient } from '../api/apiClient.ts';
import { ApiError } from '../api/apiError.ts';
import type { CaseDetail, CaseHistoryRow, CaseView, ViolationView, WhoAmI } from '../api/views.ts';
import { appealOutcomeLabel, caseEventLabel, caseStatusLabel, dispositionLabel, shortHash } from '../caseLabels.ts';
import { el, replaceChildren } from '../element.ts';
import { formatTime, kindLabel } from '../format.ts';
import { caseActions } from './caseActions.ts';
import { kindText } from './casesList.ts';
import { type CaseFile, downloadButton, fileDownload } from './fileDownload.ts';

/** Loosely typed event data of the history rows (the API answers it as a record). */
type Data = Readonly<Record<string, unknown>>;

function str(data: Data, key: string): string | undefined {
  const v = data[key];
  return typeof v === 'string' ? v : undefined;
}

function files(data: Data): CaseFile[] {
  const list = data.attachments;
  if (!Array.isArray(list)) return [];
  return list.filter((a): a is CaseFile => typeof a === 'object' && a !== null && typeof (a as CaseFile).sha256 === 'string' && typeof (a as CaseFile).name === 'string');
}

/** One line saying what a step recorded, beyond its type, who and when. */
function summary(row: CaseHistoryRow): string {
  const d = row.data;
  switch (row.type) {
    case 'CaseOpened': {
      const ids = Array.isArray(d.violationIds) ? d.violationIds.length : 0;
      const w = d.window as { from?: string; to?: string } | undefined;
      return `${kindText(str(d, 'kind') ?? '')} · ${ids} violation${ids === 1 ? '' : 's'} · ${formatTime(w?.from)} – ${formatTime(w?.to)}${str(d, 'policy') === undefined ? '' : ` · by policy ${str(d, 'policy')}`}`;
    }
    case 'CaseAssigned':
      return `${str(d, 'officer') ?? '?'}, ${str(d, 'unit') ?? '?'}`;
    case 'EvidenceFrozen': {
      const s = d.selection as { from?: string; to?: string } | undefined;
      return `replay ${formatTime(s?.from)} – ${formatTime(s?.to)} · report ${shortHash(str(d, 'reportDigest') ?? '')}`;
    }
    case 'OnSiteCheckRecorded': {
      const place = d.place as { text?: string; lon?: number; lat?: number } | undefined;
      return `${str(d, 'officer') ?? '?'} at ${formatTime(str(d, 'checkedAt'))}, ${place?.text ?? `${place?.lat ?? '?'}, ${place?.lon ?? '?'}`}: ${str(d, 'findings') ?? ''}`;
    }
    case 'CarrierNotified':
      return `may respond until ${formatTime(str(d, 'responseDeadline'))}`;
    case 'CarrierResponded':
      return str(d, 'response') === 'appeal' ? `appeal: ${str(d, 'reasons') ?? ''}` : `acknowledged${str(d, 'reasons') === undefined ? '' : `: ${str(d, 'reasons')}`}`;
    case 'AppealDecided': {
      const outcome = str(d, 'outcome');
      return `${outcome === 'upheld' || outcome === 'rejected' ? appealOutcomeLabel[outcome] : (outcome ?? '?')}: ${str(d, 'reasons') ?? ''}`;
    }
    case 'CaseDisposed':
      return dispositionText(d);
    case 'CaseReopened':
      return str(d, 'reason') ?? '';
    default:
      return '';
  }
}

function dispositionText(d: Data): string {
  const disposition = str(d, 'disposition');
  const parts = [disposition === 'penalised' || disposition === 'warned' || disposition === 'dismissed' ? dispositionLabel[disposition] : (disposition ?? '?')];
  if (typeof d.amountYuan === 'number') parts.push(`¥${d.amountYuan.toFixed(2)}`);
  if (str(d, 'legalBasis') !== undefined) parts.push(str(d, 'legalBasis') ?? '');
  if (str(d, 'reason') !== undefined) parts.push(str(d, 'reason') ?? '');
  if (typeof d.points === 'number') parts.push(`${d.points} point${d.points === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/**
 * One case: its facts, the violations it came from, the frozen evidence (report files and their
 * hashes), the on-site checks with their files, its timeline (who and when for every step), and
 * the actions the key's role may take (caseActions.ts).
 */
export class CasePage {
  readonly element: HTMLElement;
  readonly #body = el('div', { class: 'case-body', 'data-testid': 'case-body', 'aria-live': 'polite' });
  readonly #title = el('h2', { id: 'case-title' }, 'Case');
  #caseId: string | null = null;
  #ticket = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly options: {
      readonly whoami: WhoAmI;
      readonly onChanged: (view: CaseView) => void;
      readonly onShowPoints: (carrierId: string) => void;
      readonly onError: (error: unknown) => void;
    },
  ) {
    this.element = el('section', { class: 'panel case-page', 'aria-labelledby': 'case-title', 'data-testid': 'case-page' }, el('header', { class: 'panel-header' }, this.#title), this.#body);
    replaceChildren(this.#body, el('p', { class: 'empty' }, 'Choose a case in the list.'));
  }

  get caseId(): string | null {
    return this.#caseId;
  }

  async show(caseId: string): Promise<void> {
    this.#caseId = caseId;
    const ticket = ++this.#ticket;
    this.#title.textContent = `Case ${caseId}`;
    this.element.dataset.caseId = caseId;
    // Set while a newer answer is coming: what is shown (and typed into its forms) is about to be replaced.
    this.element.dataset.loading = 'true';
    try {
      const detail = await this.api.caseDetail(caseId);
      if (ticket !== this.#ticket) return;
      const violations = await this.#violations(detail.case);
      if (ticket !== this.#ticket) return;
      this.#render(detail, violations);
    } catch (error) {
      if (ticket !== this.#ticket) return;
      const text = error instanceof ApiError && error.kind === 'not-found' ? `Case ${caseId} is not visible with this key.` : 'Cannot load the case right now.';
      replaceChildren(this.#body, el('p', { class: 'error', role: 'alert' }, text));
      this.options.onError(error);
    } finally {
      if (ticket === this.#ticket) delete this.element.dataset.loading;
    }
  }

  /** The case's violations as the violations list has them (by the case's vehicle); missing ones stay ids. */
  async #violations(c: CaseView): Promise<ReadonlyMap<string, ViolationView>> {
    try {
      const page = await this.api.violations({ vehicle: c.vehicleId }, 200, null);
      return new Map(page.items.filter((v) => c.violationIds.includes(v.violationId)).map((v) => [v.violationId, v]));
    } catch {
      return new Map();
    }
  }

  #render(detail: CaseDetail, violations: ReadonlyMap<string, ViolationView>): void {
    const c = detail.case;
    this.element.dataset.status = c.status;
    this.element.dataset.revision = String(c.revision);
    const changed = (view: CaseView): void => {
      this.options.onChanged(view);
      void this.show(view.caseId);
    };
    const pointsButton = el('button', { type: 'button', 'data-testid': 'case-show-points' }, `Points of ${c.carrierId}`);
    pointsButton.addEventListener('click', () => this.options.onShowPoints(c.carrierId));
    replaceChildren(
      this.#body,
      el('p', {}, el('span', { class: `badge case-status case-status-${c.status}`, 'data-testid': 'case-status', 'data-status': c.status }, caseStatusLabel[c.status]), ' ', kindText(c.kind), ' · ', pointsButton),
      this.#facts(c),
      el('h3', {}, 'Violations'),
      el(
        'ul',
        { class: 'case-violations', 'data-testid': 'case-violations' },
        ...c.violationIds.map((id) => {
          const v = violations.get(id);
          return el(
            'li',
            { 'data-violation-id': id },
            v === undefined
              ? el('code', {}, id)
              : `${kindLabel[v.kind]} · ${v.plateNo ?? v.vehicleId} · ${formatTime(v.startedAt)}${v.zoneName === null ? '' : ` · ${v.zoneName}`} · ${v.status}`,
          );
        }),
      ),
      el('h3', {}, 'Evidence'),
      this.#evidence(c, detail.history),
      el('h3', {}, 'On-site checks'),
      this.#checks(c, detail.history),
      el('h3', {}, 'Timeline'),
      el('ol', { class: 'timeline', 'data-testid': 'case-timeline' }, ...detail.history.map((row) => this.#timelineRow(c, row))),
      el('h3', {}, 'Actions'),
      caseActions(this.api, c, this.options.whoami, changed),
    );
  }

  #facts(c: CaseView): HTMLElement {
    const fact = (label: string, value: string, testid?: string): HTMLElement[] => [el('dt', {}, label), el('dd', testid === undefined ? {} : { 'data-testid': testid }, value)];
    return el(
      'dl',
      { class: 'facts', 'data-testid': 'case-facts' },
      ...fact('Carrier', c.carrierId, 'case-carrier'),
      ...fact('Vehicle', c.vehicleId, 'case-vehicle'),
      ...fact('Window', `${formatTime(c.window.from)} – ${formatTime(c.window.to)}`),
      ...fact('Opened', `${formatTime(c.openedAt)} by ${c.openedBy === 'policy' ? `policy ${c.policy ?? ''}` : 'an officer'}`),
      ...fact('Assigned to', c.assignment === null ? '—' : `${c.assignment.officer}, ${c.assignment.unit} (${formatTime(c.assignment.at)})`, 'case-assignment'),
      ...fact('Notice', c.notice === null ? '—' : `sent ${formatTime(c.notice.at)}, respond until ${formatTime(c.notice.responseDeadline)}`, 'case-notice'),
      ...fact('Response', c.response === null ? '—' : `${c.response.response === 'appeal' ? 'appealed' : 'acknowledged'} ${formatTime(c.response.at)}`, 'case-response'),
      ...fact('Appeal', c.appeal === null ? '—' : `${appealOutcomeLabel[c.appeal.outcome]} ${formatTime(c.appeal.at)}`, 'case-appeal'),
      ...fact('Disposition', c.disposition === null ? '—' : `${dispositionLabel[c.disposition.disposition]} ${formatTime(c.disposition.at)}`, 'case-disposition'),
      ...fact('Points', c.pointsEntry === null ? '—' : `${c.pointsEntry.points} (entry ${c.pointsEntry.entryId})`, 'case-points'),
      c.reopenings === 0 ? null : el('dt', {}, 'Reopened'),
      c.reopenings === 0 ? null : el('dd', {}, `${c.reopenings} time${c.reopenings === 1 ? '' : 's'}`),
    );
  }

  /** The evidence in force (the latest freeze) and its files; earlier freezes stay in the timeline. */
  #evidence(c: CaseView, history: readonly CaseHistoryRow[]): HTMLElement {
    const frozen = history.filter((r) => r.type === 'EvidenceFrozen');
    const last = frozen.at(-1);
    if (c.evidence === null || last === undefined) return el('p', { class: 'empty', 'data-testid': 'case-evidence' }, 'No evidence frozen yet.');
    const d = last.data;
    const archive = (d.archive ?? {}) as { html?: string; json?: string; csv?: string };
    const inputs = (d.inputs ?? {}) as { sha256?: string; events?: number };
    const reportFiles: CaseFile[] = [];
    if (archive.html !== undefined) reportFiles.push({ sha256: archive.html, name: 'report.html' });
    if (archive.json !== undefined) reportFiles.push({ sha256: archive.json, name: 'report.json' });
    if (archive.csv !== undefined) reportFiles.push({ sha256: archive.csv, name: 'violations.csv' });
    const auditId = str(d, 'auditId');
    const pack = downloadButton(`${c.caseId}-evidence.tar`, `${c.caseId}-evidence.tar`, () => this.api.evidencePack(c.caseId), { 'data-testid': 'case-evidence-pack' });
    return el(
      'div',
      { class: 'case-evidence', 'data-testid': 'case-evidence', 'data-report-digest': c.evidence.reportDigest },
      el(
        'dl',
        { class: 'facts' },
        el('dt', {}, 'Frozen'),
        el('dd', {}, `${formatTime(c.evidence.frozenAt)} by ${last.by.principal} (${last.by.role})${frozen.length > 1 ? ` · supersedes ${frozen.length - 1} earlier run${frozen.length === 2 ? '' : 's'}` : ''}`),
        el('dt', {}, 'Report digest'),
        el('dd', {}, el('code', { class: 'hash', 'data-testid': 'case-report-digest' }, c.evidence.reportDigest)),
        el('dt', {}, 'Inputs'),
        el('dd', {}, inputs.sha256 === undefined ? '—' : el('code', { class: 'hash', title: inputs.sha256 }, `${shortHash(inputs.sha256)} (${inputs.events ?? '?'} events)`)),
        auditId === undefined ? null : el('dt', {}, 'Audit run'),
        auditId === undefined ? null : el('dd', { 'data-testid': 'case-audit-id' }, auditId),
        el('dt', {}, 'Report files'),
        el('dd', { class: 'file-list', 'data-testid': 'case-report-files' }, ...reportFiles.map((f) => fileDownload(this.api, c.caseId, f))),
        el('dt', {}, 'Evidence pack'),
        el('dd', {}, pack.button, el('span', { class: 'muted' }, ' signed; check it with dgt evidence verify'), pack.status),
      ),
    );
  }

  #checks(c: CaseView, history: readonly CaseHistoryRow[]): HTMLElement {
    const checks = history.filter((r) => r.type === 'OnSiteCheckRecorded');
    if (checks.length === 0) return el('p', { class: 'empty', 'data-testid': 'case-checks' }, 'No on-site check recorded.');
    return el(
      'ul',
      { class: 'case-checks', 'data-testid': 'case-checks' },
      ...checks.map((r) => {
        const attached = files(r.data);
        return el(
          'li',
          { 'data-testid': 'case-check' },
          el('div', {}, summary(r)),
          el('div', { class: 'muted' }, `recorded ${formatTime(r.occurredAt)} by ${r.by.principal}`),
          attached.length === 0 ? null : el('div', { class: 'file-list' }, ...attached.map((f) => fileDownload(this.api, c.caseId, f))),
        );
      }),
    );
  }

  #timelineRow(c: CaseView, row: CaseHistoryRow): HTMLElement {
    const attached = row.type === 'OnSiteCheckRecorded' ? [] : files(row.data);
    return el(
      'li',
      { class: 'timeline-step', 'data-testid': 'timeline-step', 'data-type': row.type },
      el('time', { datetime: row.occurredAt }, formatTime(row.occurredAt)),
      ' ',
      el('strong', {}, caseEventLabel[row.type] ?? row.type),
      ' ',
      el('span', { class: 'muted', 'data-testid': 'timeline-by' }, `by ${row.by.principal} (${row.by.role}${row.by.carrierId === undefined ? '' : ` ${row.by.carrierId}`})`),
      el('div', { class: 'timeline-summary' }, summary(row)),
      attached.length === 0 ? null : el('div', { class: 'file-list' }, ...attached.map((f) => fileDownload(this.api, c.caseId, f))),
    );
  }
}
