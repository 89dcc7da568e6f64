import { appealDecidedData, carrierRespondedData } from '@dgt/events';
import { decisionMakerOf } from './actor.ts';
import type { CaseDecision } from './caseDecision.ts';
import type { DecideAppeal, Respond } from './caseCommands.ts';
import type { CaseState } from './caseState.ts';
import { instantMs } from './instants.ts';
import { checkData, refuse } from './refusal.ts';

/*
 * 陈述申辩 / 申诉: the notified carrier answers once, acknowledging or appealing; an appeal is heard
 * and decided before the case is disposed. The case is open and the carrier's own: decideCase checked.
 */

/** The carrier's one answer to the notice. Appeals close at the deadline; acknowledging never does. */
export function decideRespond(state: CaseState, c: Respond): CaseDecision {
  if (state.notice === null) return refuse('not-notified', `carrier ${state.carrierId} has not been notified of case ${state.caseId} yet: there is nothing to respond to`);
  if (state.response !== null) return refuse('already-responded', `carrier ${state.carrierId} responded to case ${state.caseId} at ${state.response.at} (${state.response.response})`);
  if (c.response === 'appeal') {
    if (instantMs(c.now) > instantMs(state.notice.responseDeadline)) {
      return refuse('appeal-deadline-passed', `the time to appeal case ${state.caseId} ended at ${state.notice.responseDeadline}`);
    }
    if (c.reasons === undefined || c.reasons.trim() === '') return refuse('reasons-required', 'reasons: an appeal must say why');
  }
  const data = checkData(carrierRespondedData, {
    caseId: state.caseId,
    carrierId: state.carrierId,
    response: c.response,
    ...(c.reasons === undefined ? {} : { reasons: c.reasons }),
    attachments: (c.attachments ?? []).map((a) => ({ ...a })),
    by: decisionMakerOf(c.actor),
  });
  if (!data.ok) return data;
  return { ok: true, events: [{ type: 'CarrierResponded', occurredAt: c.now, data: data.data }] };
}

/** Hearing the appeal: `upheld` (申诉成立) leaves only dismissal; `rejected` lets the charge stand. */
export function decideAppeal(state: CaseState, c: DecideAppeal): CaseDecision {
  if (state.status !== 'appealed') return refuse('no-appeal-pending', `case ${state.caseId} has no appeal to decide (${state.status})`);
  const data = checkData(appealDecidedData, { caseId: state.caseId, outcome: c.outcome, reasons: c.reasons, by: decisionMakerOf(c.actor) });
  if (!data.ok) return data;
  return { ok: true, events: [{ type: 'AppealDecided', occurredAt: c.now, data: data.data }] };
}
