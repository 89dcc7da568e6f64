import type { FleetQuery } from '@dgt/readmodels';
import { fleetVehicle } from '@dgt/readmodels';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readRoles, scopeOf } from '../access.ts';
import { readErrors } from '../errorResponses.ts';
import { acceptsGzip } from '../fleet/acceptsGzip.ts';
import type { FleetResponseCache } from '../fleet/fleetResponseCache.ts';
import { bbox, cursor, entityId, pageLimit, queryBoolean } from '../queryParams.ts';

export const fleetQuery = z.object({
  carrier: entityId.optional().meta({ description: 'Only this carrier (a carrier key asking for another carrier gets an empty list)' }),
  laden: queryBoolean.optional(),
  inViolation: queryBoolean.optional().meta({ description: 'With (true) or without (false) an open violation' }),
  bbox: bbox.optional(),
  limit: pageLimit(100, 5000),
  cursor,
});

export const fleetPage = z.object({ items: z.array(fleetVehicle), nextCursor: z.string().nullable() });

export interface FleetRoutesOptions {
  readonly cache: FleetResponseCache;
}

/** `GET /v1/fleet`: the live fleet, ordered by vehicle id, served from pre-serialised pages. */
export const fleetRoutes: FastifyPluginAsyncZod<FleetRoutesOptions> = async (app, { cache }) => {
  app.get('/v1/fleet', { config: { roles: readRoles }, schema: { querystring: fleetQuery, response: { 200: fleetPage, ...readErrors } } }, async (request, reply) => {
    const { carrier, laden, inViolation, bbox: box, limit, cursor: after } = request.query;
    const query: FleetQuery = { scope: scopeOf(request.principal), limit, carrierId: carrier, laden, inViolation, bbox: box, cursor: after };
    const body = await cache.body(query);
    const gzip = body.gzip !== null && acceptsGzip(request.headers['accept-encoding']) ? body.gzip : null;
    void reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
    if (gzip !== null) void reply.header('content-encoding', 'gzip');
    // Bytes with a JSON content type bypass the serialiser: the cache built them from the schema's fields only.
    return reply.send((gzip ?? body.json) as unknown as z.infer<typeof fleetPage>);
  });
};
