import { epochMs } from '@dgt/events';
import { AppError } from '@dgt/http';
import { violationStatus, violationType, violationView, type ReadModelStore } from '@dgt/readmodels';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readRoles, scopeOf } from '../access.ts';
import { readErrors } from '../errorResponses.ts';
import { cursor, entityId, pageLimit, queryTimestamp } from '../queryParams.ts';

export const violationsQuery = z.object({
  type: violationType.optional(),
  status: violationStatus.optional(),
  from: queryTimestamp.optional().meta({ description: 'startedAt at or after (inclusive)' }),
  to: queryTimestamp.optional().meta({ description: 'startedAt before (exclusive)' }),
  carrier: entityId.optional().meta({ description: 'Only this carrier (a carrier key asking for another carrier gets an empty list)' }),
  vehicle: entityId.optional(),
  limit: pageLimit(100, 1000),
  cursor,
});

export const violationsPage = z.object({ items: z.array(violationView), nextCursor: z.string().nullable() });

export interface ViolationRoutesOptions {
  readonly readModels: ReadModelStore;
}

/** `GET /v1/violations`: open and closed violations with their evidence, newest first. */
export const violationRoutes: FastifyPluginAsyncZod<ViolationRoutesOptions> = async (app, { readModels }) => {
  app.get('/v1/violations', { config: { roles: readRoles }, schema: { querystring: violationsQuery, response: { 200: violationsPage, ...readErrors } } }, async (request) => {
    const { type, status, from, to, carrier, vehicle, limit, cursor: after } = request.query;
    if (from !== undefined && to !== undefined && epochMs(from) >= epochMs(to)) {
      throw new AppError('VALIDATION_FAILED', 'the request is invalid', [{ path: 'query.from', message: 'must be before to' }]);
    }
    const page = await readModels.violations({ scope: scopeOf(request.principal), type, status, from, to, carrierId: carrier, vehicleId: vehicle, limit, cursor: after });
    return { items: [...page.items], nextCursor: page.nextCursor };
  });
};
