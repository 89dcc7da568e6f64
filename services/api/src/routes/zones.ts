import { zoneView, type ReadModelStore } from '@dgt/readmodels';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { zoneRoles } from '../access.ts';
import { readErrors } from '../errorResponses.ts';

export const zonesResponse = z.object({ items: z.array(zoneView) });

export interface ZoneRoutesOptions {
  readonly readModels: ReadModelStore;
}

/** `GET /v1/zones`: every active zone with its WGS-84 geometry. Zones are public regulation, the same for every reader (planners included: their map draws the lots and segments). */
export const zoneRoutes: FastifyPluginAsyncZod<ZoneRoutesOptions> = async (app, { readModels }) => {
  app.get('/v1/zones', { config: { roles: zoneRoles }, schema: { response: { 200: zonesResponse, ...readErrors } } }, async () => ({ items: [...(await readModels.zones())] }));
};
