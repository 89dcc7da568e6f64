import { z } from 'zod';

/**
 * Fixed roles. `bureau` and `enforcement` read everything (enforcement also runs audits);
 * `planner` (城市规划 / 交通规划 staff) reads the planning answers only — lot occupancy, parking
 * demand and candidate areas, segment exposure — and the zones, never a vehicle, violation, case,
 * message or carrier; `ingest` posts what vehicles and waybills report (positions, consignment
 * events) and zones; `registry` posts the register (carriers, vehicles, transfers) and zones — who
 * owns a vehicle decides what a carrier may see, so the register has a key of its own and an
 * ingest key can never change an owner; `metrics` reads /metrics. A carrier's role names its
 * carrier (`carrier:<carrierId>`); an ingest key may be confined to one carrier (`ingest:<carrierId>`).
 */
export const fixedRoles = ['bureau', 'enforcement', 'planner', 'ingest', 'registry', 'metrics'] as const;
export type FixedRole = (typeof fixedRoles)[number];

/** What a route may require: a fixed role, or `carrier` for any carrier's key. */
export type RoleName = FixedRole | 'carrier';

export interface Principal {
  readonly keyId: string;
  /** `ingest` for scoped (`ingest:<carrierId>`) and unscoped ingest keys alike: both may call ingest routes. */
  readonly role: RoleName;
  /**
   * The one carrier the key is confined to: set exactly for `carrier:<carrierId>` keys (whose rows
   * they read) and `ingest:<carrierId>` keys (whose vehicles and waybills they may post for).
   * Absent for every other key. Code that reads it must look at `role` first.
   */
  readonly carrierId?: string;
}

/** Roles that name a carrier, and what they are for (used in error messages). */
const scopedRoles = { carrier: 'reads that carrier’s rows', ingest: 'posts for that carrier’s vehicles and waybills' } as const;
type ScopedRole = keyof typeof scopedRoles;

/** A carrier id inside a role: the entity-id alphabet, so it never needs escaping in logs or labels. */
const carrierIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const roleList = `${fixedRoles.join(', ')}, carrier:<carrierId>, ingest:<carrierId>`;

/** Why `role` is not a role (a precise sentence), or undefined when it is one. */
export function roleProblem(role: string): string | undefined {
  if ((fixedRoles as readonly string[]).includes(role)) return undefined;
  const colon = role.indexOf(':');
  if (colon < 0) return `unknown role ${JSON.stringify(role)}: roles are ${roleList}`;
  const prefix = role.slice(0, colon);
  const carrierId = role.slice(colon + 1);
  if (!(prefix in scopedRoles)) return `unknown role ${JSON.stringify(role)}: only carrier:<carrierId> and ingest:<carrierId> name a carrier (roles are ${roleList})`;
  if (!carrierIdPattern.test(carrierId))
    return `${JSON.stringify(role)}: ${prefix}:<carrierId> needs a carrier id of 1–128 letters, digits, ".", "_" or "-", starting with a letter or digit`;
  return undefined;
}

/** A role as written in configuration: `bureau`, `ingest`, `registry`, ..., `carrier:<carrierId>` or `ingest:<carrierId>`. */
export const configuredRole = z.string().superRefine((role, ctx) => {
  const problem = roleProblem(role);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

/** The principal of a configured (already validated) role. */
export function principalFor(keyId: string, role: string): Principal {
  const colon = role.indexOf(':');
  if (colon > 0) {
    const prefix = role.slice(0, colon) as ScopedRole;
    return { keyId, role: prefix, carrierId: role.slice(colon + 1) };
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
