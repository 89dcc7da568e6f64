import type { Scope } from './port.ts';

/**
 * The one scoping rule: a carrier sees only rows whose carrierId is its own; rows without a
 * carrier (an unassigned consignment, an unregistered vehicle) are for bureau and enforcement.
 */
export function visibleTo(scope: Scope, rowCarrierId: string | null): boolean {
  return scope.carrierId === null || rowCarrierId === scope.carrierId;
}

/**
 * The carrier a list query is restricted to: a carrier key's own (a filter naming another carrier
 * matches nothing: `null`), else whatever filter was asked for (`undefined` = all carriers).
 */
export function listCarrier(scope: Scope, requested: string | undefined): string | undefined | null {
  if (scope.carrierId === null) return requested;
  return requested === undefined || requested === scope.carrierId ? scope.carrierId : null;
}
