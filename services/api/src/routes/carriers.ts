import { type CasesConfig, defaultCasesConfig } from '@dgt/cases';
import type { EventStore } from '@dgt/eventstore';
import { AppError } from '@dgt/http';
import { loadCarrierCompliance, type ComplianceRules, type ReadModelStore } from '@dgt/readmodels';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readRoles, scopeOf } from '../access.ts';
import { LedgerRepository } from '../cases/ledgerRepository.ts';
import { carrierComplianceView, pointsStandingOf } from '../cases/pointsStanding.ts';
import { readErrors } from '../errorResponses.ts';
import { entityId } from '../queryParams.ts';
import { CarrierNames, carrierName } from '../carrierNames.ts';

export interface CarrierRoutesOptions {
  readonly readModels: ReadModelStore;
  readonly rules: ComplianceRules;
  /** Where the carriers' points ledgers are (`points-<carrierId>`). */
  readonly store: EventStore;
  /** Standing thresholds and points validity (default: the library's). */
  readonly casesConfig?: CasesConfig;
  readonly now: () => Date;
}

/**
 * `GET /v1/carriers/:id/compliance`: the carrier's verdict at the API's clock, from its violations
 * (the read models), and beside it its points standing from its ledger at the same instant;
 * another carrier's is 404 before either is read.
 */
export const carrierRoutes: FastifyPluginAsyncZod<CarrierRoutesOptions> = async (app, { readModels, rules, store, casesConfig = defaultCasesConfig, now }) => {
  const ledgers = new LedgerRepository(store);
  const names = new CarrierNames(store);

  /**
   * `GET /v1/carriers`: the registered carriers by name (the desk shows names, not ids, and finds a
   * carrier by its name); a carrier's key gets itself only.
   */
  app.get('/v1/carriers', { config: { roles: readRoles }, schema: { response: { 200: z.object({ items: z.array(carrierName) }), ...readErrors } } }, async (request) => {
    const all = await names.list(now().getTime());
    const own = request.principal.role === 'carrier' ? request.principal.carrierId : undefined;
    return { items: own === undefined ? all : all.filter((c) => c.carrierId === own) };
  });

  app.get('/v1/carriers/:id/compliance', { config: { roles: readRoles }, schema: { params: z.object({ id: entityId }), response: { 200: carrierComplianceView, ...readErrors } } }, async (request) => {
    const { id } = request.params;
    const scope = scopeOf(request.principal);
    if ((await readModels.carrier(id, scope)) === undefined) throw new AppError('NOT_FOUND', 'no such carrier');
    const asOf = now().toISOString();
    const [compliance, { ledger }] = await Promise.all([loadCarrierCompliance(readModels, id, scope, asOf, rules), ledgers.load(id)]);
    return { ...compliance, points: pointsStandingOf(ledger, asOf, casesConfig) };
  });
};
