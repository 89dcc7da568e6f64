import { AppError, type Principal, type RoleName } from '@dgt/http';
import type { Scope } from '@dgt/readmodels';

/** Who may read the /v1 query routes: bureau and enforcement see everything, a carrier its own rows. planner, ingest (scoped or not), registry and metrics never. */
export const readRoles: readonly RoleName[] = ['bureau', 'enforcement', 'carrier'];

/**
 * Who may read the planning answers (/v1/planning/*): bureau, enforcement and the planners. Never
 * a carrier: segment exposure counts every carrier's passages, and demand every carrier's stops.
 */
export const planningRoles: readonly RoleName[] = ['bureau', 'enforcement', 'planner'];

/** Who may read the zones: every reader, and the planners (the planning map draws the lots and segments). Zones are public regulation, the same for all. */
export const zoneRoles: readonly RoleName[] = [...readRoles, 'planner'];

/** The read-model scope of a caller; the store applies it to every query, so scoping lives in one place. */
export function scopeOf(principal: Principal): Scope {
  switch (principal.role) {
    case 'bureau':
    case 'enforcement':
      return { carrierId: null };
    case 'carrier':
      if (principal.carrierId === undefined) throw new AppError('FORBIDDEN', 'a carrier key without a carrier id');
      return { carrierId: principal.carrierId };
    case 'planner':
    case 'ingest':
    case 'registry':
    case 'metrics':
      // The route's roles already refuse these; a route that forgot to must not read everything.
      // A planner reads aggregates (the planning routes), never a per-vehicle row.
      throw new AppError('FORBIDDEN');
    default: {
      const never: never = principal.role;
      throw new AppError('FORBIDDEN', `unknown role ${String(never)}`);
    }
  }
}

/** A stable key for caches: equal scopes, equal keys. */
export function scopeKey(scope: Scope): string {
  return scope.carrierId === null ? '*' : `c:${scope.carrierId}`;
}
