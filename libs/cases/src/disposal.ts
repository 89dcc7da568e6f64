import { caseDisposedData, caseReopenedData, type DecisionMaker, pointsRecordedData, type PointsRecordedData } from '@dgt/events';
import { decisionMakerOf } from './actor.ts';
import type { CaseContext, CaseDecision } from './caseDecision.ts';
import type { Dispose, Reopen } from './caseCommands.ts';
import { type CaseState, pointsEntryId } from './caseState.ts';
import { defaultPointsOf } from './defaultPoints.ts';
import { instantMs } from './instants.ts';
import { addCalendarMonths } from './calendarMonths.ts';
import { checkData, refuse, type Refusal } from './refusal.ts';

const blank = (s: string | undefined): boolean => s === undefined || s.trim() === '';

/*
 * 处置. Every disposition stands on frozen evidence and waits for a pending appeal to be decided.
 * A penalty or a warning (both administrative penalties) also needs the carrier to have been
 * notified and to have answered, or its deadline to have passed — nobody is penalised unheard —
 * and is impossible once its appeal was upheld. Penalised and warned cases record points against
 * the carrier (`PointsRecorded`, the catalogue's default for the kind unless overridden with a
 * reason); dismissed ones record none, except that a case dismissed after reopening records a
 * 0-point entry, superseding the points its earlier disposal recorded.
 */
export function decideDispose(state: CaseState, c: Dispose, ctx: CaseContext): CaseDecision {
  if (state.evidence === null) return refuse('evidence-required', `freeze case ${state.caseId}'s evidence before disposing of it`);
  if (state.status === 'appealed') return refuse('appeal-pending', `carrier ${state.carrierId}'s appeal of case ${state.caseId} must be decided before the case is disposed`);
  if (c.disposition === 'penalised') {
    if (blank(c.legalBasis)) return refuse('legal-basis-required', 'legalBasis: a penalty must cite the provision it applies');
    if (c.amountYuan === undefined) return refuse('amount-required', 'amountYuan: a penalty must state the fine in yuan');
  }
  if (c.disposition === 'dismissed') {
    if (blank(c.reason)) return refuse('reason-required', 'reason: a dismissal must say why');
    if (c.points !== undefined) return refuse('points-not-applicable', 'points: a dismissed case records no points');
  } else {
    if (state.appeal?.outcome === 'upheld') return refuse('appeal-upheld', `the appeal of case ${state.caseId} was upheld: the case can only be dismissed`);
    if (state.notice === null) return refuse('carrier-not-notified', `notify carrier ${state.carrierId} of case ${state.caseId} before ${c.disposition === 'penalised' ? 'penalising' : 'warning'} it`);
    if (state.response === null && !(instantMs(c.now) > instantMs(state.notice.responseDeadline))) {
      return refuse('response-pending', `carrier ${state.carrierId} may respond to case ${state.caseId} until ${state.notice.responseDeadline}: wait for its answer or the deadline`);
    }
  }
  const by = decisionMakerOf(c.actor);
  const n = state.disposals + 1;
  const points = pointsOf(state, c, n, by, ctx);
  if (!points.ok) return points;
  const disposed = checkData(caseDisposedData, {
    caseId: state.caseId,
    disposition: c.disposition,
    ...(c.legalBasis === undefined ? {} : { legalBasis: c.legalBasis }),
    ...(c.amountYuan === undefined ? {} : { amountYuan: c.amountYuan }),
    ...(c.reason === undefined ? {} : { reason: c.reason }),
    ...(points.entry === null ? {} : { points: points.entry.points, pointsEntry: points.entry }),
    by,
  });
  if (!disposed.ok) return disposed;
  const caseDisposed = { type: 'CaseDisposed', occurredAt: c.now, data: disposed.data } as const;
  if (points.entry === null) return { ok: true, events: [caseDisposed] };
  return { ok: true, events: [caseDisposed, { type: 'PointsRecorded', occurredAt: c.now, data: points.entry }] };
}

type Entry = PointsRecordedData;

/** The ledger entry a disposal records, or null when it records none. */
function pointsOf(state: CaseState, c: Dispose, n: number, by: DecisionMaker, ctx: CaseContext): { ok: true; entry: Entry | null } | { ok: false; refusal: Refusal } {
  const defaultPoints = defaultPointsOf(state.kind);
  let points: number;
  let overrideReason: string | undefined;
  if (c.disposition === 'dismissed') {
    // Nothing to supersede: a first dismissal records nothing at all.
    if (state.pointsEntry === null || state.pointsEntry.points === 0) return { ok: true, entry: null };
    points = 0;
    overrideReason = `case dismissed when disposed again (disposal ${n}): the points of its earlier disposal no longer count`;
  } else {
    points = c.points ?? defaultPoints;
    if (points !== defaultPoints) {
      if (blank(c.pointsReason)) return refuse('override-reason-required', `pointsReason: recording ${points} points instead of the default ${defaultPoints} for ${state.kind} needs a reason`);
      overrideReason = c.pointsReason;
    }
  }
  const entry = checkData(pointsRecordedData, {
    carrierId: state.carrierId,
    caseId: state.caseId,
    entryId: pointsEntryId(state.caseId, n),
    kind: state.kind,
    points,
    defaultPoints,
    ...(overrideReason === undefined ? {} : { overrideReason }),
    expiresAt: addCalendarMonths(c.now, ctx.config.pointsValidityMonths),
    by,
  });
  // The command names these fields `points` and `pointsReason`.
  if (!entry.ok) return refuse('invalid-command', entry.refusal.message.replaceAll('overrideReason', 'pointsReason'));
  return { ok: true, entry: entry.data };
}

/** 重新处理: only a disposed case, with a reason. The new round starts from the frozen evidence. */
export function decideReopen(state: CaseState, c: Reopen): CaseDecision {
  if (state.status !== 'disposed') return refuse('not-disposed', `case ${state.caseId} is not disposed (${state.status}): there is nothing to reopen`);
  if (blank(c.reason)) return refuse('reason-required', 'reason: reopening a case must say why');
  const data = checkData(caseReopenedData, { caseId: state.caseId, reason: c.reason, by: decisionMakerOf(c.actor) });
  if (!data.ok) return data;
  return { ok: true, events: [{ type: 'CaseReopened', occurredAt: c.now, data: data.data }] };
}
