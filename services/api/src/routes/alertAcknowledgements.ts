import { alertAcknowledgedData, detectionEventTypes } from '@dgt/events';
import type { EventStore } from '@dgt/eventstore';
import { AppError, errorResponse } from '@dgt/http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Acknowledgement, AcknowledgementBook } from '../alerts/acknowledgementBook.ts';
import { actorOf } from '../cases/caseAccess.ts';
import { readErrors } from '../errorResponses.ts';
import { pageLimit, queryTimestamp } from '../queryParams.ts';

export interface AlertAcknowledgementRoutesOptions {
  readonly store: EventStore;
  readonly now: () => Date;
}

const acknowledgementView = z.object({
  alertId: z.string(),
  vehicleId: z.string(),
  note: z.string(),
  by: z.object({ principal: z.string(), role: z.string(), carrierId: z.string().optional() }),
  at: z.string().meta({ description: 'ISO-8601 server time it was recorded' }),
});

const alertParams = z.object({ alertId: z.string().min(1).max(512) });
const acknowledgeBody = z.strictObject({
  vehicleId: z.string().min(1).max(128).meta({ description: 'The alert’s vehicle' }),
  note: z.string().max(500).default('').meta({ description: 'What was done (phoned the carrier, sent a patrol …)' }),
});
const sinceQuery = z.object({
  since: queryTimestamp.optional().meta({ description: 'recorded at or after (default: the last 24 h)' }),
  limit: pageLimit(500, 2000),
});

/** Duty officers at the desk and enforcement teams: acknowledgements are the desk's business, not a carrier's. */
const deskRoles = ['bureau', 'enforcement'] as const;

/**
 * 告警确认: `POST /v1/alerts/:alertId/acknowledgement` records who took an alert in hand, when and
 * with what note (`AlertAcknowledged`; 409 with the existing one when it was acknowledged already);
 * `GET /v1/alerts/acknowledgements?since` lists them, so every desk shows the same alerts as handled.
 */
export const alertAcknowledgementRoutes: FastifyPluginAsyncZod<AlertAcknowledgementRoutesOptions> = async (app, { store, now }) => {
  const book = new AcknowledgementBook(store, (error) => app.log.error({ err: error }, 'alert acknowledgements stopped following the store; restart the API'));
  app.addHook('onClose', async () => book.stop());

  app.post(
    '/v1/alerts/:alertId/acknowledgement',
    { config: { roles: ['bureau'] }, schema: { params: alertParams, body: acknowledgeBody, response: { 201: z.object({ acknowledgement: acknowledgementView }), 409: errorResponse, ...readErrors } } },
    async (request, reply) => {
      const { alertId } = request.params;
      await checkKnownAlert(store, alertId, request.body.vehicleId);
      const parsed = alertAcknowledgedData.safeParse({ alertId, vehicleId: request.body.vehicleId, note: request.body.note, by: actorOf(request.principal) });
      if (!parsed.success) throw new AppError('VALIDATION_FAILED', 'the request is invalid', parsed.error.issues.map((i) => ({ path: `body.${i.path.join('.')}`, message: i.message })));
      const outcome = await book.acknowledge(parsed.data, now().toISOString());
      if (!outcome.ok) throw new AppError('CONFLICT', `alert ${alertId} was acknowledged by ${outcome.existing.by.principal} at ${outcome.existing.at}`);
      return reply.code(201).send({ acknowledgement: outcome.acknowledgement });
    },
  );

  app.get(
    '/v1/alerts/acknowledgements',
    { config: { roles: [...deskRoles] }, schema: { querystring: sinceQuery, response: { 200: z.object({ items: z.array(acknowledgementView) }), ...readErrors } } },
    async (request) => {
      await book.ready();
      const sinceMs = request.query.since === undefined ? now().getTime() - 24 * 3_600_000 : Date.parse(request.query.since);
      return { items: book.since(sinceMs, request.query.limit) satisfies Acknowledgement[] };
    },
  );
};

/**
 * An alert is a recorded detection of that vehicle: any other id is answered 404 (where the store
 * can tell — SQLite and memory look ids up; EventStoreDB has no store-wide index by id).
 */
async function checkKnownAlert(store: EventStore, alertId: string, vehicleId: string): Promise<void> {
  if (store.recordedJson === undefined) return;
  const found = (await store.recordedJson([alertId])).get(alertId);
  const event = found === undefined ? undefined : (JSON.parse(found) as { type?: string; data?: { vehicleId?: unknown } });
  if (event === undefined || !detectionTypes.has(event.type ?? '') || event.data?.vehicleId !== vehicleId) throw new AppError('NOT_FOUND', 'no such alert of this vehicle');
}

const detectionTypes: ReadonlySet<string> = new Set(detectionEventTypes);
