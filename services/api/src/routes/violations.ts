import { epochMs } from '@dgt/events';
import { AppError } from '@dgt/http';
import { advisoryKind, advisoryView, occurrenceStatus, violationKind, violationView, type ReadModelStore } from '@dgt/readmodels';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readRoles, scopeOf } from '../access.ts';
import { isNarrowed, type Narrowing, narrowedPage } from '../occurrenceNarrowing.ts';
import { PlaceNamer, placeView } from '../placeNames.ts';
import { readErrors } from '../errorResponses.ts';
import { cursor, entityId, pageLimit, queryTimestamp } from '../queryParams.ts';

/** What both listings accept besides `kind`: status, start window, carrier, vehicle, paging. */
const occurrenceFilters = {
  status: occurrenceStatus.optional(),
  from: queryTimestamp.optional().meta({ description: 'startedAt at or after (inclusive)' }),
  to: queryTimestamp.optional().meta({ description: 'startedAt before (exclusive)' }),
  carrier: entityId.optional().meta({ description: 'Only this carrier (a carrier key asking for another carrier gets an empty list)' }),
  vehicle: entityId.optional(),
  county: z.string().regex(/^\d{6}$/, 'must be a six-digit county code (行政区划代码), e.g. 331002').optional().meta({ description: 'Only those whose position lies in this county (needs API_COUNTIES_FILE)' }),
  park: entityId.optional().meta({ description: 'Only those inside this chemical park (its zone id)' }),
  hazardClass: z.string().regex(/^[1-9](\.[1-6])?$/, 'must be a hazard class such as 3 or 2.1').optional().meta({ description: 'Only those whose waybill carries goods of this class' }),
  limit: pageLimit(100, 1000),
  cursor,
};

/**
 * `type` is the name `kind` had before issue 15. Still read, so an old client's filter is never
 * dropped silently (a dropped filter widens the list); `accident-segment` is refused with where
 * passages went.
 */
const legacyType = z
  .string()
  .optional()
  .superRefine((value, ctx) => {
    if (value === undefined || violationKind.safeParse(value).success) return;
    const message =
      value === 'accident-segment'
        ? 'accident-segment is no longer a violation: segment passages are advisories, listed by GET /v1/advisories'
        : `must be one of ${violationKind.options.join(', ')} (type is the old name of kind)`;
    ctx.addIssue({ code: 'custom', message });
  })
  .meta({ description: 'Deprecated: the old name of `kind`', deprecated: true });

export const violationsQuery = z.object({ kind: violationKind.optional(), type: legacyType, ...occurrenceFilters });
export const advisoriesQuery = z.object({ kind: advisoryKind.optional(), ...occurrenceFilters });

export const violationsPage = z.object({ items: z.array(violationView.extend({ place: placeView.nullable() })), nextCursor: z.string().nullable() });
export const advisoriesPage = z.object({ items: z.array(advisoryView.extend({ place: placeView.nullable() })), nextCursor: z.string().nullable() });

export interface ViolationRoutesOptions {
  readonly readModels: ReadModelStore;
  /** Names each occurrence's county and road (none configured: both null). */
  readonly places?: PlaceNamer;
}

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', 'the request is invalid', [{ path, message }]);
}

function narrowingOf(q: { county?: string | undefined; park?: string | undefined; hazardClass?: string | undefined }): Narrowing {
  return { county: q.county, park: q.park, hazardClass: q.hazardClass };
}

function checkWindow(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && to !== undefined && epochMs(from) >= epochMs(to)) throw invalid('query.from', 'must be before to');
}

/**
 * `GET /v1/violations` (illegal parking, restricted entries, overspeed) and `GET /v1/advisories`
 * (segment passages, never violations): open and closed, with their evidence, newest first.
 */
export const violationRoutes: FastifyPluginAsyncZod<ViolationRoutesOptions> = async (app, { readModels, places = new PlaceNamer(undefined, undefined) }) => {
  const withPlace = <T extends { lon: number | null; lat: number | null }>(o: T) => ({ ...o, place: places.placeOf(o.lon, o.lat) });
  app.get('/v1/violations', { config: { roles: readRoles }, schema: { querystring: violationsQuery, response: { 200: violationsPage, ...readErrors } } }, async (request) => {
    const { kind: asked, type, status, from, to, carrier, vehicle, limit, cursor: after } = request.query;
    checkWindow(from, to);
    const legacy = type === undefined ? undefined : violationKind.parse(type);
    if (asked !== undefined && legacy !== undefined && asked !== legacy) throw invalid('query.type', 'names another kind than kind does: give kind only');
    const kind = asked ?? legacy;
    const scope = scopeOf(request.principal);
    const fetch = (n: number, c: string | undefined) => readModels.violations({ scope, kind, status, from, to, carrierId: carrier, vehicleId: vehicle, limit: n, cursor: c });
    const narrowing = narrowingOf(request.query);
    const page = isNarrowed(narrowing) ? await narrowedPage(fetch, narrowing, { readModels, scope, places }, limit, after) : await fetch(limit, after);
    return { items: page.items.map(withPlace), nextCursor: page.nextCursor };
  });

  app.get('/v1/advisories', { config: { roles: readRoles }, schema: { querystring: advisoriesQuery, response: { 200: advisoriesPage, ...readErrors } } }, async (request) => {
    const { kind, status, from, to, carrier, vehicle, limit, cursor: after } = request.query;
    checkWindow(from, to);
    const scope = scopeOf(request.principal);
    const fetch = (n: number, c: string | undefined) => readModels.advisories({ scope, kind, status, from, to, carrierId: carrier, vehicleId: vehicle, limit: n, cursor: c });
    const narrowing = narrowingOf(request.query);
    const page = isNarrowed(narrowing) ? await narrowedPage(fetch, narrowing, { readModels, scope, places }, limit, after) : await fetch(limit, after);
    return { items: page.items.map(withPlace), nextCursor: page.nextCursor };
  });
};
