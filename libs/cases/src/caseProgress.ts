import { caseAssignedData, carrierNotifiedData, evidenceFrozenData, onSiteCheckRecordedData } from '@dgt/events';
import { decisionMakerOf } from './actor.ts';
import type { CaseDecision } from './caseDecision.ts';
import type { AssignCase, FreezeEvidence, NotifyCarrier, RecordOnSiteCheck } from './caseCommands.ts';
import type { CaseState } from './caseState.ts';
import { instantMs } from './instants.ts';
import { checkData, refuse } from './refusal.ts';

/*
 * From an open case to a notified carrier: assignment, the frozen online evidence, on-site checks
 * and the notice. The case is open (not disposed) and the actor's role allowed: decideCase checked.
 */

/** 指派 (or re-assign, at any stage before disposal: a unit can hand a case on). */
export function decideAssign(state: CaseState, c: AssignCase): CaseDecision {
  const data = checkData(caseAssignedData, { caseId: state.caseId, unit: c.unit, officer: c.officer, by: decisionMakerOf(c.actor) });
  if (!data.ok) return data;
  return { ok: true, events: [{ type: 'CaseAssigned', occurredAt: c.now, data: data.data }] };
}

/** Stages in which the carrier has not yet been told of the evidence, so it may still be re-run. */
const beforeNotice: ReadonlySet<string> = new Set(['assigned', 'evidence-frozen', 'checked']);

/**
 * 固定证据: the replay run must cover the case's vehicle over the whole case window, or it is not
 * the evidence of this case. Once the carrier was notified the evidence it was shown is fixed;
 * only a reopened case may freeze anew.
 */
export function decideFreezeEvidence(state: CaseState, c: FreezeEvidence): CaseDecision {
  if (state.status === 'opened') return refuse('not-assigned', `case ${state.caseId} must be assigned to a unit before its evidence is frozen`);
  if (!beforeNotice.has(state.status)) return refuse('evidence-locked', `the carrier was notified of case ${state.caseId}'s evidence (${state.status}): it can no longer be replaced`);
  if (!c.selection.vehicleIds.includes(state.vehicleId)) return refuse('evidence-mismatch', `selection.vehicleIds: the run must include the case's vehicle ${state.vehicleId}`);
  const from = instantMs(c.selection.from);
  const to = instantMs(c.selection.to);
  if (from > instantMs(state.window.from) || to < instantMs(state.window.to)) {
    return refuse('evidence-mismatch', `selection: the run (${c.selection.from} – ${c.selection.to}) must cover the case window ${state.window.from} – ${state.window.to}`);
  }
  const data = checkData(evidenceFrozenData, {
    caseId: state.caseId,
    selection: { vehicleIds: [...c.selection.vehicleIds], from: c.selection.from, to: c.selection.to, ...(c.selection.recordedUpTo === undefined ? {} : { recordedUpTo: c.selection.recordedUpTo }) },
    thresholds: { ...c.thresholds },
    inputs: { ...c.inputs },
    reportDigest: c.reportDigest,
    archive: { html: c.archive.html, json: c.archive.json, csv: c.archive.csv },
    ...(c.auditId === undefined ? {} : { auditId: c.auditId }),
    by: decisionMakerOf(c.actor),
  });
  if (!data.ok) return data;
  return { ok: true, events: [{ type: 'EvidenceFrozen', occurredAt: c.now, data: data.data }] };
}

/**
 * 现场检查: any time from assignment to disposal (before the freeze too: an officer may be sent to
 * a vehicle that is still parked). A check is recorded after it happened, never before.
 */
export function decideOnSiteCheck(state: CaseState, c: RecordOnSiteCheck): CaseDecision {
  if (state.status === 'opened') return refuse('not-assigned', `case ${state.caseId} must be assigned to a unit before a check is recorded`);
  if (instantMs(c.checkedAt) > instantMs(c.now)) return refuse('check-in-future', `checkedAt: ${c.checkedAt} is after now (${c.now}); record a check once it took place`);
  const data = checkData(onSiteCheckRecordedData, {
    caseId: state.caseId,
    officer: c.officer,
    checkedAt: c.checkedAt,
    place: { ...c.place },
    findings: c.findings,
    attachments: c.attachments.map((a) => ({ ...a })),
    by: decisionMakerOf(c.actor),
  });
  if (!data.ok) return data;
  return { ok: true, events: [{ type: 'OnSiteCheckRecorded', occurredAt: c.now, data: data.data }] };
}

/** 告知: the carrier is told of the case and its frozen evidence once, with a deadline to respond. */
export function decideNotify(state: CaseState, c: NotifyCarrier): CaseDecision {
  if (state.evidence === null) return refuse('evidence-required', `freeze case ${state.caseId}'s evidence before notifying the carrier`);
  if (state.notice !== null) return refuse('already-notified', `carrier ${state.carrierId} was notified of case ${state.caseId} at ${state.notice.at}`);
  if (!(instantMs(c.responseDeadline) > instantMs(c.now))) {
    if (Number.isNaN(instantMs(c.responseDeadline))) return refuse('invalid-command', 'responseDeadline: must be an ISO-8601 date-time with offset, e.g. 2026-03-01T08:00:00+08:00');
    return refuse('invalid-deadline', `responseDeadline: ${c.responseDeadline} must be after now (${c.now})`);
  }
  const data = checkData(carrierNotifiedData, { caseId: state.caseId, carrierId: state.carrierId, responseDeadline: c.responseDeadline, by: decisionMakerOf(c.actor) });
  if (!data.ok) return data;
  return { ok: true, events: [{ type: 'CarrierNotified', occurredAt: c.now, data: data.data }] };
}
