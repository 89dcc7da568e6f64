import { AppError } from '@dgt/http';
import { carrierCompliance, loadCarrierCompliance, type ComplianceRules, type ReadModelStore } from '@dgt/readmodels';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readRoles, scopeOf } from '../access.ts';
import { readErrors } from '../errorResponses.ts';
import { entityId } from '../queryParams.ts';

export interface CarrierRoutesOptions {
  readonly readModels: ReadModelStore;
  readonly rules: ComplianceRules;
  readonly now: () => Date;
}

/** `GET /v1/carriers/:id/compliance`: the carrier's verdict at the API's clock; another carrier's is 404. */
export const carrierRoutes: FastifyPluginAsyncZod<CarrierRoutesOptions> = async (app, { readModels, rules, now }) => {
  app.get('/v1/carriers/:id/compliance', { config: { roles: readRoles }, schema: { params: z.object({ id: entityId }), response: { 200: carrierCompliance, ...readErrors } } }, async (request) => {
    const { id } = request.params;
    const scope = scopeOf(request.principal);
    if ((await readModels.carrier(id, scope)) === undefined) throw new AppError('NOT_FOUND', 'no such carrier');
    return loadCarrierCompliance(readModels, id, scope, now().toISOString(), rules);
  });
};
