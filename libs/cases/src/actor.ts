import { type CaseActorRole, caseActorRoles, type DecisionMaker } from '@dgt/events';

/**
 * Who issues a command: the API key's principal (its id), its role, and for a carrier's key the
 * carrier it is confined to. The API passes its `Principal` through as it is (`keyId` as
 * `principal`); the auto-open policy's runner is `{ principal: '<service>', role: 'system' }`.
 * A role outside `caseActorRoles` (planner, ingest, registry, metrics) may issue no command.
 */
export interface Actor {
  readonly principal: string;
  readonly role: string;
  readonly carrierId?: string;
}

export function isCaseActorRole(role: string): role is CaseActorRole {
  return (caseActorRoles as readonly string[]).includes(role);
}

/** The `by` of the events an actor's decision records. Call only once its role was allowed. */
export function decisionMakerOf(actor: Actor): DecisionMaker {
  const role = actor.role as CaseActorRole;
  return actor.carrierId === undefined || role !== 'carrier' ? { principal: actor.principal, role } : { principal: actor.principal, role, carrierId: actor.carrierId };
}
