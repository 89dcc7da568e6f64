import type { ApiClient } from '../api/apiClient.ts';
import { ApiError } from '../api/apiError.ts';
import type { CaseDetail, CaseHistoryRow, CaseView, ViolationView, WhoAmI } from '../api/views.ts';
import { appealOutcomeLabel, caseEventLabel, caseStatusLabel, dispositionLabel, roleLabel, shortHash } from '../caseLabels.ts';
import { el, replaceChildren } from '../element.ts';
import { formatTime, kindLabel } from '../format.ts';
import { t } from '../i18n/translate.ts';
import { carrierLabel } from '../carrierNames.ts';
import { countyLabel } from '../map/mapContext.ts';
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
      const policy = str(d, 'policy');
      return `${t('caseSummary.opened', { kind: kindText(str(d, 'kind') ?? ''), count: ids, from: formatTime(w?.from), to: formatTime(w?.to) })}${policy === undefined ? '' : t('caseSummary.byPolicy', { policy })}`;
    }
    case 'CaseAssigned':
      return t('caseSummary.assigned', { officer: str(d, 'officer') ?? '?', unit: str(d, 'unit') ?? '?' });
    case 'EvidenceFrozen': {
      const s = d.selection as { from?: string; to?: string } | undefined;
      return t('caseSummary.frozen', { from: formatTime(s?.from), to: formatTime(s?.to), digest: shortHash(str(d, 'reportDigest') ?? '') });
    }
    case 'OnSiteCheckRecorded': {
      const place = d.place as { text?: string; lon?: number; lat?: number } | undefined;
      return t('caseSummary.check', {
        officer: str(d, 'officer') ?? '?',
        time: formatTime(str(d, 'checkedAt')),
        place: place?.text ?? `${place?.lat ?? '?'}, ${place?.lon ?? '?'}`,
        findings: str(d, 'findings') ?? '',
      });
    }
    case 'CarrierNotified':
      return t('caseSummary.notified', { deadline: formatTime(str(d, 'responseDeadline')) });
    case 'CarrierResponded':
      if (str(d, 'response') === 'appeal') return t('caseSummary.appeal', { reasons: str(d, 'reasons') ?? '' });
      return str(d, 'reasons') === undefined ? t('caseSummary.acknowledged') : t('caseSummary.acknowledgedReasons', { reasons: str(d, 'reasons') ?? '' });
    case 'AppealDecided': {
      const outcome = str(d, 'outcome');
      return t('caseSummary.decided', { outcome: outcome === 'upheld' || outcome === 'rejected' ? appealOutcomeLabel(outcome) : (outcome ?? '?'), reasons: str(d, 'reasons') ?? '' });
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
  const parts = [disposition === 'penalised' || disposition === 'warned' || disposition === 'dismissed' ? dispositionLabel(disposition) : (disposition ?? '?')];
  if (typeof d.amountYuan === 'number') parts.push(`¥${d.amountYuan.toFixed(2)}`);
  if (str(d, 'legalBasis') !== undefined) parts.push(str(d, 'legalBasis') ?? '');
  if (str(d, 'reason') !== undefined) parts.push(str(d, 'reason') ?? '');
  if (typeof d.points === 'number') parts.push(t('caseSummary.points', { count: d.points }));
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
  readonly #title = el('h2', { id: 'case-title' }, t('casePage.title'));
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
    replaceChildren(this.#body, el('p', { class: 'empty' }, t('casePage.choose')));
  }

  get caseId(): string | null {
    return this.#caseId;
  }

  async show(caseId: string): Promise<void> {
    this.#caseId = caseId;
    const ticket = ++this.#ticket;
    this.#title.textContent = t('casePage.titleOf', { caseId });
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
      const text = error instanceof ApiError && error.kind === 'not-found' ? t('casePage.notVisible', { caseId }) : t('casePage.cannotLoad');
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
    const pointsButton = el('button', { type: 'button', 'data-testid': 'case-show-points' }, t('casePage.pointsOf', { carrierId: carrierLabel(c.carrierId) }));
    pointsButton.addEventListener('click', () => this.options.onShowPoints(c.carrierId));
    replaceChildren(
      this.#body,
      el('p', {}, el('span', { class: `badge case-status case-status-${c.status}`, 'data-testid': 'case-status', 'data-status': c.status }, caseStatusLabel(c.status)), ' ', kindText(c.kind), ' · ', pointsButton),
      this.#facts(c),
      el('h3', {}, t('casePage.violations')),
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
              : `${kindLabel(v.kind)} · ${v.plateNo ?? v.vehicleId} · ${formatTime(v.startedAt)}${v.zoneName === null ? '' : ` · ${v.zoneName}`} · ${t(`occurrenceStatus.${v.status}`)}`,
          );
        }),
      ),
      el('h3', {}, t('casePage.evidence')),
      this.#evidence(c, detail.history),
      el('h3', {}, t('casePage.checks')),
      this.#checks(c, detail.history),
      el('h3', {}, t('casePage.timeline')),
      el('ol', { class: 'timeline', 'data-testid': 'case-timeline' }, ...detail.history.map((row) => this.#timelineRow(c, row))),
      el('h3', {}, t('casePage.actions')),
      caseActions(this.api, c, this.options.whoami, changed),
    );
  }

  #facts(c: CaseView): HTMLElement {
    const fact = (label: string, value: string, testid?: string): HTMLElement[] => [el('dt', {}, label), el('dd', testid === undefined ? {} : { 'data-testid': testid }, value)];
    return el(
      'dl',
      { class: 'facts', 'data-testid': 'case-facts' },
      ...fact(t('casePage.carrier'), carrierLabel(c.carrierId), 'case-carrier'),
      ...fact(t('casePage.vehicle'), c.vehicleId, 'case-vehicle'),
      ...fact(t('cases.county'), c.county === null ? '—' : countyLabel(c.county), 'case-county'),
      ...fact(t('casePage.window'), t('casePage.range', { from: formatTime(c.window.from), to: formatTime(c.window.to) })),
      ...fact(
        t('casePage.opened'),
        c.openedBy === 'policy' ? t('casePage.openedByPolicy', { time: formatTime(c.openedAt), policy: c.policy ?? '' }) : t('casePage.openedByOfficer', { time: formatTime(c.openedAt) }),
      ),
      ...fact(
        t('casePage.assignedTo'),
        c.assignment === null ? '—' : t('casePage.assignment', { officer: c.assignment.officer, unit: c.assignment.unit, time: formatTime(c.assignment.at) }),
        'case-assignment',
      ),
      ...fact(
        t('casePage.notice'),
        c.notice === null ? '—' : t('casePage.noticeSent', { sent: formatTime(c.notice.at), deadline: formatTime(c.notice.responseDeadline) }),
        'case-notice',
      ),
      ...fact(
        t('casePage.response'),
        c.response === null
          ? '—'
          : t(c.response.response === 'appeal' ? 'casePage.responseAppealed' : 'casePage.responseAcknowledged', { time: formatTime(c.response.at) }),
        'case-response',
      ),
      ...fact(t('casePage.appeal'), c.appeal === null ? '—' : t('casePage.labelAt', { label: appealOutcomeLabel(c.appeal.outcome), time: formatTime(c.appeal.at) }), 'case-appeal'),
      ...fact(
        t('casePage.disposition'),
        c.disposition === null ? '—' : t('casePage.labelAt', { label: dispositionLabel(c.disposition.disposition), time: formatTime(c.disposition.at) }),
        'case-disposition',
      ),
      ...fact(t('casePage.points'), c.pointsEntry === null ? '—' : t('casePage.pointsEntry', { points: c.pointsEntry.points, entryId: c.pointsEntry.entryId }), 'case-points'),
      c.reopenings === 0 ? null : el('dt', {}, t('casePage.reopened')),
      c.reopenings === 0 ? null : el('dd', {}, t('casePage.reopenings', { count: c.reopenings })),
    );
  }

  /** The evidence in force (the latest freeze) and its files; earlier freezes stay in the timeline. */
  #evidence(c: CaseView, history: readonly CaseHistoryRow[]): HTMLElement {
    const frozen = history.filter((r) => r.type === 'EvidenceFrozen');
    const last = frozen.at(-1);
    if (c.evidence === null || last === undefined) return el('p', { class: 'empty', 'data-testid': 'case-evidence' }, t('casePage.noEvidence'));
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
        el('dt', {}, t('casePage.frozen')),
        el(
          'dd',
          {},
          t('casePage.frozenBy', { time: formatTime(c.evidence.frozenAt), principal: last.by.principal, role: roleLabel(last.by.role) }),
          frozen.length > 1 ? t('casePage.supersedes', { count: frozen.length - 1 }) : '',
        ),
        el('dt', {}, t('casePage.reportDigest')),
        el('dd', {}, el('code', { class: 'hash', 'data-testid': 'case-report-digest' }, c.evidence.reportDigest)),
        el('dt', {}, t('casePage.inputs')),
        el('dd', {}, inputs.sha256 === undefined ? '—' : el('code', { class: 'hash', title: inputs.sha256 }, t('casePage.inputsEvents', { hash: shortHash(inputs.sha256), events: inputs.events ?? '?' }))),
        auditId === undefined ? null : el('dt', {}, t('casePage.auditRun')),
        auditId === undefined ? null : el('dd', { 'data-testid': 'case-audit-id' }, auditId),
        el('dt', {}, t('casePage.reportFiles')),
        el('dd', { class: 'file-list', 'data-testid': 'case-report-files' }, ...reportFiles.map((f) => fileDownload(this.api, c.caseId, f))),
        el('dt', {}, t('casePage.evidencePack')),
        el('dd', {}, pack.button, el('span', { class: 'muted' }, t('casePage.packHint')), pack.status),
      ),
    );
  }

  #checks(c: CaseView, history: readonly CaseHistoryRow[]): HTMLElement {
    const checks = history.filter((r) => r.type === 'OnSiteCheckRecorded');
    if (checks.length === 0) return el('p', { class: 'empty', 'data-testid': 'case-checks' }, t('casePage.noChecks'));
    return el(
      'ul',
      { class: 'case-checks', 'data-testid': 'case-checks' },
      ...checks.map((r) => {
        const attached = files(r.data);
        return el(
          'li',
          { 'data-testid': 'case-check' },
          el('div', {}, summary(r)),
          el('div', { class: 'muted' }, t('casePage.recordedBy', { time: formatTime(r.occurredAt), principal: r.by.principal })),
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
      el('strong', {}, caseEventLabel(row.type)),
      ' ',
      el(
        'span',
        { class: 'muted', 'data-testid': 'timeline-by' },
        row.by.carrierId === undefined
          ? t('casePage.by', { principal: row.by.principal, role: roleLabel(row.by.role) })
          : t('casePage.byCarrier', { principal: row.by.principal, role: roleLabel(row.by.role), carrierId: row.by.carrierId }),
      ),
      el('div', { class: 'timeline-summary' }, summary(row)),
      attached.length === 0 ? null : el('div', { class: 'file-list' }, ...attached.map((f) => fileDownload(this.api, c.caseId, f))),
    );
  }
}
