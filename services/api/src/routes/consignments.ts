import { AppError } from '@dgt/http';
import { consignmentView, type ReadModelStore } from '@dgt/readmodels';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readRoles, scopeOf } from '../access.ts';
import { readErrors } from '../errorResponses.ts';
import { entityId } from '../queryParams.ts';

export interface ConsignmentRoutesOptions {
  readonly readModels: ReadModelStore;
}

/** `GET /v1/consignments/:waybillNo`: a waybill's lifecycle; another carrier's (or an unassigned one, for carriers) is 404. */
export const consignmentRoutes: FastifyPluginAsyncZod<ConsignmentRoutesOptions> = async (app, { readModels }) => {
  app.get('/v1/consignments/:waybillNo', { config: { roles: readRoles }, schema: { params: z.object({ waybillNo: entityId }), response: { 200: consignmentView, ...readErrors } } }, async (request) => {
    const consignment = await readModels.consignment(request.params.waybillNo, scopeOf(request.principal));
    if (consignment === undefined) throw new AppError('NOT_FOUND', 'no such consignment');
    return consignment;
  });
};
