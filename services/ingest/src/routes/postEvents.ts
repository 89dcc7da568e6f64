import { AppError, errorResponse } from '@dgt/http';
import { serializerCompiler, validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { answerJson, type IngestAnswer } from '../answerJson.ts';
import { addJsonParser, addNdjsonParser, batchBody, batchItems, NdjsonBatch, type BatchBody } from '../batchBody.ts';
import { StagingBuffers } from '../batchText.ts';
import { FixScanner, ScannedFixes } from '../fixScanner.ts';
import { checkBatch, itemStatuses, rejectReasons, type ItemResult } from '../checkBatch.ts';
import type { IngestRateLimit } from '../ingestRateLimit.ts';
import type { ItemAuthorizer } from '../itemAuthorization.ts';
import { batchStatusOf } from '../ingestMetrics.ts';
import type { KnownStatus } from '../knownEvents.ts';
import type { TimeLimits } from '../timePlausibility.ts';

export const ingestResponse = z.object({
  /** Newly accepted: published now. */
  accepted: z.number().int(),
  rejected: z.number().int(),
  /** The same event was accepted before: not published again (a retry). */
  duplicates: z.number().int(),
  /** Another event was accepted before under the same eventId: the first stands. */
  conflicts: z.number().int(),
  results: z.array(
    z.object({
      index: z.number().int(),
      line: z.number().int().optional(),
      eventId: z.string().optional(),
      status: z.enum(itemStatuses),
      reason: z.enum(rejectReasons).optional(),
      errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  ),
});
export type IngestResponse = z.infer<typeof ingestResponse>;

export interface PostEventsOptions {
  readonly maxBatch: number;
  readonly time: TimeLimits;
  readonly rateLimit: IngestRateLimit;
  /** Each valid item against the key that posts it (roles, carrier scope, the register's rules). */
  readonly authorizer: ItemAuthorizer;
}

/** `POST /v1/events`: validate each event, publish the new valid ones, answer 202 after the broker acked. */
export const postEventsRoute: FastifyPluginAsyncZod<PostEventsOptions> = async (app, { maxBatch, time, rateLimit, authorizer }) => {
  // Bodies of plain fixes are read by the WebAssembly scanner; every other body by JSON.parse.
  const onFault = (error: unknown): void => app.log.error({ err: error }, 'the fix scanner failed on a body; JSON.parse read it instead');
  addJsonParser(app, new FixScanner(new StagingBuffers(), onFault));
  addNdjsonParser(app);
  const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 413: errorResponse, 415: errorResponse, 429: errorResponse, 503: errorResponse };
  app.post(
    '/v1/events',
    {
      // Scoped ingest keys (`ingest:<carrierId>`) have role ingest too; what each may post is per item.
      config: { roles: ['ingest', 'registry'] },
      schema: { body: batchBody, response: { 202: ingestResponse, 409: ingestResponse, ...errors } },
      // The answer is built here from typed values (and made well-formed by dgt-well-formed-json):
      // encoding it through zod again cost as much as parsing the batch, and JSON.stringify a third
      // of that (answerJson writes the same bytes). Errors keep zod's serializer.
      // A body the schema admits passes as it is: zod's array schema copied the batch's 500 items
      // into a new array to say so. Any other body gets zod's verdict and its message.
      validatorCompiler: (route) => {
        const zod = validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]);
        return (data: unknown) => (Array.isArray(data) || data instanceof NdjsonBatch || data instanceof ScannedFixes ? { value: data } : zod(data));
      },
      serializerCompiler: (route) => (route.httpStatus === '202' || route.httpStatus === '409' ? (data: unknown) => answerJson(data as IngestAnswer) : serializerCompiler(route as unknown as Parameters<typeof serializerCompiler>[0])),
      // After authentication, before the body is read: a key out of tokens costs no parsing.
      onRequest: async (request) => rateLimit.beforeBody(request.principal),
      onResponse: async (request, reply) => {
        // A keep-alive connection holds its last request until the next one is read: without this,
        // every connection kept its parsed batch (and all that hangs off it) alive, and each young
        // generation GC copied eight batches (~8 MB) instead of the one being handled — minor GC
        // time ÷ 4.5 in the bench (see README, Benchmark).
        (request as { body: unknown }).body = undefined;
        app.ingest.metrics.batch(batchStatusOf(reply.statusCode));
      },
    },
    async (request, reply) => {
      const posted = request.body as BatchBody | ScannedFixes;
      app.ingest.metrics.bodyRead(posted instanceof ScannedFixes ? 'scanner' : posted instanceof NdjsonBatch ? 'ndjson' : 'json');
      const items = batchItems(posted);
      try {
        const count = items.values.length;
        if (count > maxBatch) {
          throw new AppError('PAYLOAD_TOO_LARGE', `a batch holds at most ${maxBatch} events, this one has ${count}: split it (nothing was published)`);
        }
        rateLimit.charge(request.principal, count);
        const receivedMs = app.ingest.now().getTime();
        const authorized = await authorizer.authorize(checkBatch(items, { receivedMs, time, keyOf: app.ingest.keyOf }), request.principal, receivedMs);
        const { results, accepted, json, idKeys, rejections, text } = authorized.checked;
        app.ingest.metrics.rejected(rejections);
        const known = await app.ingest.publishNew(accepted, json, idKeys, text);
        authorized.remember();
        const answer = withKnown(results, known);
        app.ingest.metrics.acceptedEvents(accepted, known);
        // A lone event that conflicts is a refused request: say so in the status, not only in the body.
        const status = count === 1 && answer.conflicts === 1 ? 409 : 202;
        const body: IngestAnswer = { accepted: answer.accepted, duplicates: answer.duplicates, conflicts: answer.conflicts, results: answer.results, rejected: rejections.length };
        return reply.code(status).send(body);
      } finally {
        // The scanner's buffer goes back to its pool once the batch is done with, whatever became of it (publishNew only reads it).
        items.text?.release();
      }
    },
  );
};

const conflictMessage = (eventId: string): string =>
  `another event was accepted before under eventId ${eventId}; it stands and this one was not accepted: give a new event a new eventId`;

/** The item results with each accepted event that was known already marked `duplicate` or `conflict`. */
function withKnown(results: ItemResult[], known: readonly (KnownStatus | undefined)[]): Omit<IngestAnswer, 'rejected'> {
  // Nearly every batch: nothing known before, the results stand as they are.
  if (!known.includes('duplicate') && !known.includes('conflict')) return { accepted: known.length, duplicates: 0, conflicts: 0, results };
  let k = 0;
  let accepted = 0;
  let duplicates = 0;
  let conflicts = 0;
  const out = results.map((r) => {
    if (r.status !== 'accepted') return r;
    const status = known[k++];
    if (status === undefined) {
      accepted++;
      return r;
    }
    if (status === 'duplicate') {
      duplicates++;
      return { ...r, status };
    }
    conflicts++;
    return { ...r, status, errors: [{ path: 'eventId', message: conflictMessage(r.eventId ?? '') }] };
  });
  return { accepted, duplicates, conflicts, results: out };
}
