import { AppError, errorResponse } from '@dgt/http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addNdjsonParser, batchBody, batchItems } from '../batchBody.ts';
import { checkBatch, rejectReasons } from '../checkBatch.ts';
import { batchStatusOf } from '../ingestMetrics.ts';

export const ingestResponse = z.object({
  accepted: z.number().int(),
  rejected: z.number().int(),
  results: z.array(
    z.object({
      index: z.number().int(),
      line: z.number().int().optional(),
      eventId: z.string().optional(),
      status: z.enum(['accepted', 'rejected']),
      reason: z.enum(rejectReasons).optional(),
      errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  ),
});
export type IngestResponse = z.infer<typeof ingestResponse>;

export interface PostEventsOptions {
  readonly maxBatch: number;
}

/** `POST /v1/events`: validate each event, publish the valid ones, answer 202 after the broker acked. */
export const postEventsRoute: FastifyPluginAsyncZod<PostEventsOptions> = async (app, { maxBatch }) => {
  addNdjsonParser(app);
  const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 413: errorResponse, 415: errorResponse, 503: errorResponse };
  app.post(
    '/v1/events',
    {
      config: { roles: ['ingest'] },
      schema: { body: batchBody, response: { 202: ingestResponse, ...errors } },
      onResponse: async (_request, reply) => app.ingest.metrics.batch(batchStatusOf(reply.statusCode)),
    },
    async (request, reply) => {
      const items = batchItems(request.body);
      if (items.length > maxBatch) {
        throw new AppError('PAYLOAD_TOO_LARGE', `a batch holds at most ${maxBatch} events, this one has ${items.length}: split it (nothing was published)`);
      }
      const { results, accepted, rejections } = checkBatch(items);
      app.ingest.metrics.rejected(rejections);
      await app.ingest.publish(accepted);
      app.ingest.metrics.accepted(accepted.map((e) => e.type));
      return reply.code(202).send({ accepted: accepted.length, rejected: rejections.length, results });
    },
  );
};
