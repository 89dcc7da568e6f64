import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readRoles, scopeOf } from '../access.ts';
import type { AlertHub } from '../alerts/alertHub.ts';
import { readErrors } from '../errorResponses.ts';

export interface AlertRoutesOptions {
  readonly hub: AlertHub;
}

const streamHeaders = z.looseObject({
  'last-event-id': z.string().max(512).optional().meta({ description: 'Resume after this alert id (from the recent-alerts ring)' }),
});

const eventStream = z.string().meta({
  description:
    'text/event-stream: `event: alert`, `id: <alertId>`, `data: <AlertView JSON>` (its `category` says violation or advisory, `kind` which one); a `: heartbeat` comment every 15 s',
});

/** `GET /v1/alerts/stream`: live alerts as Server-Sent Events, filtered to the caller's carrier for carrier keys. */
export const alertRoutes: FastifyPluginAsyncZod<AlertRoutesOptions> = async (app, { hub }) => {
  app.get('/v1/alerts/stream', { config: { roles: readRoles }, schema: { headers: streamHeaders, response: { 200: eventStream, ...readErrors } } }, async (request, reply) => {
    const scope = scopeOf(request.principal);
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      // Live data for one key: never stored (no-store), never recompressed by proxies (no-transform).
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      // Tells nginx-style proxies not to buffer the stream.
      'x-accel-buffering': 'no',
    });
    hub.connect(scope, reply.raw, request.headers['last-event-id']);
  });
};
