import { type CasesConfig, defaultCasesConfig, type LedgerState, ledgerHistory, outstandingPoints, standingOf } from '@dgt/cases';
import { correctiveActions } from '@dgt/events';
import type { EventStore } from '@dgt/eventstore';
import { AppError, errorResponse } from '@dgt/http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readRoles } from '../access.ts';
import { checkUploaded, citedFile } from '../cases/attachmentRefs.ts';
import { sendCitedFile } from '../cases/citedFileReply.ts';
import { actorOf, maySee, refusalToAppError } from '../cases/caseAccess.ts';
import { newReadableId } from '../cases/caseIds.ts';
import { type LedgerView, ledgerView } from '../cases/caseViews.ts';
import type { ContentStore } from '../cases/contentStore.ts';
import { LedgerRepository } from '../cases/ledgerRepository.ts';
import { readErrors } from '../errorResponses.ts';
import { entityId } from '../queryParams.ts';

export interface PointsRoutesOptions {
  readonly store: EventStore;
  /** Where a corrective action's attachments were uploaded (POST /v1/attachments). */
  readonly content: ContentStore;
  readonly now: () => Date;
  readonly config?: CasesConfig;
}

const commandErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse, 429: errorResponse, 503: errorResponse };
const carrierParams = z.object({ id: entityId });

const correctiveActionBody = z.strictObject({
  action: z.enum(correctiveActions),
  description: z.string().max(4000),
  attachments: z.array(z.object({ sha256: z.string(), name: z.string(), type: z.string(), size: z.number().int() })).max(20).default([]),
});

const clearBody = z.strictObject({ actionId: z.string().min(1).max(128), points: z.number().int() });

export function ledgerViewOf(ledger: LedgerState, asOf: string, config: CasesConfig): LedgerView {
  const outstanding = outstandingPoints(ledger, asOf);
  return {
    carrierId: ledger.carrierId,
    asOf,
    outstanding,
    standing: standingOf(outstanding, config.standing),
    thresholds: { ...config.standing },
    entries: ledger.entries.map((e) => ({ ...e })),
    actions: ledger.actions.map((a) => ({ ...a })),
    history: ledgerHistory(ledger, asOf).map((r) => ({ ...r })),
  };
}

/**
 * A carrier's points ledger (记分/销分): what its disposed cases recorded, its corrective actions,
 * the points the bureau cleared for them, and its standing now. A carrier's key reads and acts on
 * its own ledger only (another's is answered 404, like a case).
 */
export const pointsRoutes: FastifyPluginAsyncZod<PointsRoutesOptions> = async (app, { store, content, now, config = defaultCasesConfig }) => {
  const ledgers = new LedgerRepository(store);

  app.get('/v1/carriers/:id/points', { config: { roles: readRoles }, schema: { params: carrierParams, response: { 200: ledgerView, ...readErrors } } }, async (request) => {
    if (!maySee(request.principal, request.params.id)) throw new AppError('NOT_FOUND', 'no such ledger');
    const { ledger } = await ledgers.load(request.params.id);
    return ledgerViewOf(ledger, now().toISOString(), config);
  });

  app.post(
    '/v1/carriers/:id/points/corrective-actions',
    { config: { roles: ['carrier'] }, schema: { params: carrierParams, body: correctiveActionBody, response: { 201: z.object({ actionId: z.string(), ledger: ledgerView }), ...commandErrors } } },
    async (request, reply) => {
      if (!maySee(request.principal, request.params.id)) throw new AppError('NOT_FOUND', 'no such ledger');
      await checkUploaded(content, request.body.attachments);
      const at = now();
      for (let attempt = 0; attempt < 3; attempt++) {
        const actionId = newReadableId('A', at);
        const outcome = await ledgers.decide(request.params.id, { type: 'submitCorrectiveAction', actionId, ...request.body, actor: actorOf(request.principal), now: at.toISOString() });
        if (!outcome.ok && outcome.refusal.code === 'action-exists') continue;
        if (!outcome.ok) throw refusalToAppError(outcome.refusal);
        return reply.code(201).send({ actionId, ledger: ledgerViewOf(outcome.loaded.ledger, at.toISOString(), config) });
      }
      throw new AppError('CONFLICT', 'could not find a free corrective action id; retry');
    },
  );

  app.get(
    '/v1/carriers/:id/points/attachments/:sha256',
    { config: { roles: readRoles }, schema: { params: carrierParams.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256: 64 lowercase hex characters') }), response: { 200: z.string(), ...readErrors } } },
    async (request, reply) => {
      if (!maySee(request.principal, request.params.id)) throw new AppError('NOT_FOUND', 'no such ledger');
      const { events } = await ledgers.load(request.params.id);
      const cited = citedFile(events, request.params.sha256);
      const bytes = cited === undefined ? undefined : await content.get(request.params.sha256);
      if (cited === undefined || bytes === undefined) throw new AppError('NOT_FOUND', 'the ledger cites no such file');
      return sendCitedFile(reply, cited, bytes);
    },
  );

  app.post(
    '/v1/carriers/:id/points/clear',
    { config: { roles: ['bureau'] }, schema: { params: carrierParams, body: clearBody, response: { 200: ledgerView, ...commandErrors } } },
    async (request) => {
      const at = now().toISOString();
      const outcome = await ledgers.decide(request.params.id, { type: 'clear', ...request.body, actor: actorOf(request.principal), now: at });
      if (!outcome.ok) throw refusalToAppError(outcome.refusal);
      return ledgerViewOf(outcome.loaded.ledger, at, config);
    },
  );
};
