import { randomUUID } from 'node:crypto';
import { isDriverMessageEvent, type DriverMessageEvent } from '@dgt/events';
import { driverMessagesStream, type EventStore } from '@dgt/eventstore';
import { AppError, errorResponse } from '@dgt/http';
import { encodeGbk } from '@dgt/jt808';
import type { ReadModelStore } from '@dgt/readmodels';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../access.ts';
import { driverMessagesOf, driverMessageView } from '../driverMessages/messageStatus.ts';
import type { DriverMessageRequests } from '../driverMessages/requestPublisher.ts';
import { readErrors } from '../errorResponses.ts';
import { entityId } from '../queryParams.ts';

/** The desk's texts are short: 200 characters are at most 400 GBK bytes, well within one 0x8300. */
export const DESK_MESSAGE_MAX_CHARS = 200;

// C0/C1 controls would garble a terminal's display (newlines included: most displays have one line).
const controlCharacter = /\p{Cc}/u;

const messageBody = z.strictObject({
  text: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(DESK_MESSAGE_MAX_CHARS, `must be at most ${DESK_MESSAGE_MAX_CHARS} characters`)
    .superRefine((text, ctx) => {
      if (controlCharacter.test(text)) {
        ctx.addIssue({ code: 'custom', message: 'must not contain control characters (line breaks included)' });
        return;
      }
      try {
        encodeGbk(text);
      } catch (error) {
        // encodeGbk names the character: `"😀" has no GBK code`.
        ctx.addIssue({ code: 'custom', message: `${(error as Error).message}: terminals show GBK text only` });
      }
    })
    .meta({ description: 'What the driver reads (and hears, with tts): 1–200 characters a terminal can show (GBK)', example: '请立即驶离当前位置，前往椒江危险货物专用停车场' }),
  tts: z.boolean().optional().meta({ description: 'Also read it aloud (0x8300 TTS flag); default false' }),
  emergency: z.boolean().optional().meta({ description: 'Mark it urgent (0x8300 emergency flag); default false' }),
});

const params = z.object({ id: entityId });
const accepted = z.object({ messageId: z.string(), status: z.literal('requested') });
const listResponse = z.object({ vehicleId: z.string(), items: z.array(driverMessageView) });
const sendErrors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 429: errorResponse, 503: errorResponse };

export interface DriverMessageRoutesOptions {
  readonly readModels: ReadModelStore;
  readonly store: EventStore;
  /** Where requests go (the bus); absent: the API has no bus, and sending answers 503. */
  readonly requests: DriverMessageRequests | undefined;
  readonly now: () => Date;
}

/** The same answer for an unknown vehicle and another carrier's. */
const notFound = (): AppError => new AppError('NOT_FOUND', 'no such vehicle');

/**
 * `POST /v1/vehicles/:id/messages` (bureau): ask for a text message to the vehicle's driver over
 * JT/T 808; 202 once the request is on the bus — the gateway holding the terminal sends it.
 * `GET /v1/vehicles/:id/messages` (bureau, enforcement; a carrier its own vehicles): the
 * vehicle's messages and where each stands, from the record (a request shows once recorded).
 */
export const driverMessageRoutes: FastifyPluginAsyncZod<DriverMessageRoutesOptions> = async (app, { readModels, store, requests, now }) => {
  app.post(
    '/v1/vehicles/:id/messages',
    { config: { roles: ['bureau'] }, schema: { params, body: messageBody, response: { 202: accepted, ...sendErrors } } },
    async (request, reply) => {
      const vehicleId = request.params.id;
      if ((await readModels.vehicle(vehicleId, scopeOf(request.principal))) === undefined) throw notFound();
      if (requests === undefined) throw new AppError('UNAVAILABLE', 'messages to drivers need the bus (KAFKA_BROKERS, or npm start)');
      const { text, tts = false, emergency = false } = request.body;
      const messageId = `dm-${randomUUID()}`;
      await requests.publish({ messageId, vehicleId, text, display: true, tts, emergency, by: request.principal.keyId, reason: 'officer' }, now());
      return reply.code(202).send({ messageId, status: 'requested' as const });
    },
  );

  app.get(
    '/v1/vehicles/:id/messages',
    { config: { roles: ['bureau', 'enforcement', 'carrier'] }, schema: { params, response: { 200: listResponse, ...readErrors } } },
    async (request) => {
      const vehicleId = request.params.id;
      // A carrier sees the messages of its vehicles only; any other vehicle is unknown to it.
      if ((await readModels.vehicle(vehicleId, scopeOf(request.principal))) === undefined) throw notFound();
      const events: DriverMessageEvent[] = [];
      for await (const r of store.readStream(driverMessagesStream(vehicleId))) {
        const e = r.event as unknown as { type: string };
        if (isDriverMessageEvent(e)) events.push(e as DriverMessageEvent);
      }
      return { vehicleId, items: driverMessagesOf(events) };
    },
  );
};
