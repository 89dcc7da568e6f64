import { caseOpenedData } from '@dgt/events';
import { isViolationKind, violationKinds } from '@dgt/detection';
import { decisionMakerOf } from './actor.ts';
import type { CaseDecision } from './caseDecision.ts';
import type { OpenCase } from './caseCommands.ts';
import type { CaseState } from './caseState.ts';
import { instantMs } from './instants.ts';
import { checkData, refuse } from './refusal.ts';
import { caseCommandRoles, roleRefusal } from './roles.ts';

/**
 * 立案. An officer opens a case by hand (bureau), or the policy runner (`system`) does, naming the
 * policy rule; admin may do either. Only violations become cases: an advisory (a segment passage)
 * breaks no rule.
 */
export function decideOpen(state: CaseState | null, c: OpenCase): CaseDecision {
  const denied = roleRefusal(c.actor, 'open a case', caseCommandRoles.open);
  if (denied) return denied;
  if (state !== null) return refuse('case-exists', `case ${state.caseId} is already open`);
  if (c.actor.role === 'system' && c.policy === undefined) return refuse('policy-required', 'a case opened by the policy runner must name the policy rule that opened it');
  if (c.actor.role === 'bureau' && c.policy !== undefined) return refuse('policy-not-allowed', 'only the policy runner (role system) opens cases by policy; an officer opens them without one');
  if (!isViolationKind(c.kind)) return refuse('not-a-violation', `"${c.kind}" is not a violation kind (${violationKinds.join(', ')})`);
  // Unreadable times fall through to the schema, which names the field.
  if (instantMs(c.window.from) > instantMs(c.window.to)) return refuse('invalid-window', `window: from (${c.window.from}) must not be after to (${c.window.to})`);
  const data = checkData(caseOpenedData, {
    caseId: c.caseId,
    carrierId: c.carrierId,
    vehicleId: c.vehicleId,
    kind: c.kind,
    violationIds: [...c.violationIds],
    window: { from: c.window.from, to: c.window.to },
    openedBy: c.policy === undefined ? 'officer' : 'policy',
    ...(c.policy === undefined ? {} : { policy: c.policy }),
    ...(c.place === undefined ? {} : { place: { lon: c.place.lon, lat: c.place.lat } }),
    by: decisionMakerOf(c.actor),
  });
  if (!data.ok) return data;
  return { ok: true, events: [{ type: 'CaseOpened', occurredAt: c.now, data: data.data }] };
}
