import type { CaseCommand } from './caseCommands.ts';
import type { CaseContext, CaseDecision } from './caseDecision.ts';
import { decideFreezeEvidence, decideAssign, decideNotify, decideOnSiteCheck } from './caseProgress.ts';
import type { CaseState } from './caseState.ts';
import { decideAppeal, decideRespond } from './carrierResponse.ts';
import { defaultCasesConfig } from './config.ts';
import { decideDispose, decideReopen } from './disposal.ts';
import { decideOpen } from './openCase.ts';
import { instantMs } from './instants.ts';
import { refuse } from './refusal.ts';
import { caseCommandRoles, roleRefusal } from './roles.ts';

const verbs: Record<Exclude<CaseCommand['type'], 'open'>, string> = {
  assign: 'assign a case',
  freezeEvidence: 'freeze evidence',
  recordOnSiteCheck: 'record an on-site check',
  notifyCarrier: 'notify a carrier',
  respond: 'respond to a case',
  decideAppeal: 'decide an appeal',
  dispose: 'dispose of a case',
  reopen: 'reopen a case',
};

/**
 * The case's decision on a command: the events to record, or a refusal that changes nothing.
 * `state` is the case folded by `evolveCase` (null before it was opened). Checked in this order,
 * so the answer never tells a carrier more than it may know: the case exists; a carrier's key acts
 * only on its own carrier's cases (`not-your-case`, which the API answers as 404); the role may
 * issue the command; a disposed case takes nothing but a reopening; then the command's own rules.
 */
export function decideCase(state: CaseState | null, command: CaseCommand, ctx: CaseContext = { config: defaultCasesConfig }): CaseDecision {
  // The server's clock, so a programming error rather than a user's: still refused, never thrown.
  if (Number.isNaN(instantMs(command.now))) return refuse('invalid-command', `now: ${command.now} is not an ISO-8601 date-time with offset`);
  if (command.type === 'open') return decideOpen(state, command);
  if (state === null) return refuse('case-not-found', 'no such case');
  if (command.actor.role === 'carrier' && command.actor.carrierId !== state.carrierId) return refuse('not-your-case', 'no such case');
  const denied = roleRefusal(command.actor, verbs[command.type], caseCommandRoles[command.type]);
  if (denied) return denied;
  if (state.status === 'disposed' && command.type !== 'reopen') {
    return refuse('already-disposed', `case ${state.caseId} was disposed (${state.disposition?.disposition ?? 'disposed'}) at ${state.disposition?.at ?? '?'}: reopen it first`);
  }
  switch (command.type) {
    case 'assign':
      return decideAssign(state, command);
    case 'freezeEvidence':
      return decideFreezeEvidence(state, command);
    case 'recordOnSiteCheck':
      return decideOnSiteCheck(state, command);
    case 'notifyCarrier':
      return decideNotify(state, command);
    case 'respond':
      return decideRespond(state, command);
    case 'decideAppeal':
      return decideAppeal(state, command);
    case 'dispose':
      return decideDispose(state, command, ctx);
    case 'reopen':
      return decideReopen(state, command);
    default: {
      const never: never = command;
      throw new Error(`unknown case command ${(never as { type: string }).type}`);
    }
  }
}
