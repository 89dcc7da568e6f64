import type { CaseActorRole } from '@dgt/events';
import { type Actor, isCaseActorRole } from './actor.ts';
import { refuse, type Refusal } from './refusal.ts';

/*
 * Who may do what (issue #17): the bureau opens and assigns cases, reopens disposed ones and clears
 * points; enforcement units freeze evidence, record on-site checks, notify carriers, decide
 * appeals and dispose; a carrier responds to its own cases and submits its own corrective
 * actions; the policy runner (`system`) only opens cases by policy. `admin` may do everything.
 */

export const caseCommandRoles = {
  open: ['bureau', 'system'],
  assign: ['bureau'],
  freezeEvidence: ['enforcement'],
  recordOnSiteCheck: ['enforcement'],
  notifyCarrier: ['enforcement'],
  respond: ['carrier'],
  decideAppeal: ['enforcement'],
  dispose: ['enforcement'],
  reopen: ['bureau'],
} as const satisfies Record<string, readonly CaseActorRole[]>;

export const ledgerCommandRoles = {
  submitCorrectiveAction: ['carrier'],
  clear: ['bureau'],
} as const satisfies Record<string, readonly CaseActorRole[]>;

export type CaseCommandType = keyof typeof caseCommandRoles;
export type LedgerCommandType = keyof typeof ledgerCommandRoles;

/** Whether `actor` may issue a command open to `roles` (admin always may). */
export function mayIssue(actor: Actor, roles: readonly CaseActorRole[]): boolean {
  if (!isCaseActorRole(actor.role)) return false;
  return actor.role === 'admin' || roles.includes(actor.role);
}

/** The refusal for an actor whose role may not issue `command`, or undefined when it may. */
export function roleRefusal(actor: Actor, command: string, roles: readonly CaseActorRole[]): { ok: false; refusal: Refusal } | undefined {
  if (mayIssue(actor, roles)) return undefined;
  return refuse('role-not-allowed', `role ${actor.role} may not ${command} (only ${[...roles, 'admin'].join(', ')})`);
}
