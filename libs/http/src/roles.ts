import { z } from 'zod';

/** Fixed roles; a carrier's role names its carrier (`carrier:<carrierId>`). */
export const fixedRoles = ['bureau', 'enforcement', 'ingest', 'metrics'] as const;
export type FixedRole = (typeof fixedRoles)[number];

/** What a route may require: a fixed role, or `carrier` for any carrier's key. */
export type RoleName = FixedRole | 'carrier';

export interface Principal {
  readonly keyId: string;
  readonly role: RoleName;
  /** Set exactly when `role` is `carrier`. */
  readonly carrierId?: string;
}

const carrierPrefix = 'carrier:';

/** A role as written in configuration: `bureau`, `ingest`, ..., or `carrier:<carrierId>`. */
export const configuredRole = z.union(
  [
    z.enum(fixedRoles),
    z
      .string()
      .regex(/^carrier:[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'carrier roles look like carrier:<carrierId>'),
  ],
  { error: `must be one of ${fixedRoles.join(', ')} or carrier:<carrierId>` },
);

export function principalFor(keyId: string, role: string): Principal {
  if (role.startsWith(carrierPrefix)) {
    return { keyId, role: 'carrier', carrierId: role.slice(carrierPrefix.length) };
  }
  return { keyId, role: role as FixedRole };
}

/**
 * Route authorisation, declared in the route's `config.roles`:
 * a list of roles, `'any'` for every authenticated principal (health checks), or `'public'`
 * for GET/HEAD routes that serve no data (the dashboard's static files): no key is asked for.
 * A route without `roles` is refused to everyone: secure by default.
 */
export type RouteRoles = readonly RoleName[] | 'any' | 'public';

/** The only methods a `'public'` route may answer; registering any other method throws. */
export const publicMethods: readonly string[] = ['GET', 'HEAD'];

export function isAllowed(principal: Principal, roles: RouteRoles | undefined): boolean {
  if (roles === undefined) return false;
  if (roles === 'any' || roles === 'public') return true;
  return roles.includes(principal.role);
}
