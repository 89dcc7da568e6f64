import type { Scope } from './port.ts';

/**
 * The one scoping rule: a carrier sees only rows whose carrierId is its own; rows without a
 * carrier (an unassigned consignment, an unregistered vehicle) are for bureau and enforcement.
 */
export function visibleTo(scope: Scope, rowCarrierId: string | null): boolean {
  return scope.carrierId === null || rowCarrierId === scope.carrierId;
}
