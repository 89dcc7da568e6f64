import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, type ErrorResponse } from './errorCatalogue.ts';
import { toAppError } from './errorMapping.ts';

/** Error handler and 404 handler: every error leaves as `{ error: { code, message, details? } }`. */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error, request, reply) => {
      const appError = toAppError(error);
      if (appError.status >= 500) {
        request.log[appError.code === 'UNAVAILABLE' ? 'warn' : 'error']({ err: error }, appError.message);
      }
      const retryAfter = appError.options.retryAfterSeconds;
      if (retryAfter !== undefined) void reply.header('retry-after', String(Math.ceil(retryAfter)));
      return reply.code(appError.status).send(errorBody(appError));
    });
    // The method and path are not repeated: the client has them, and a path is request content.
    app.setNotFoundHandler((_request, reply) => reply.code(404).send(errorBody(new AppError('NOT_FOUND', notFoundMessage))));
    // A request that still arrives while the server closes (pipelined, or on a busy keep-alive
    // connection) is refused here, in the catalogue's format: buildServiceApp turns off fastify's
    // own answer to it, which is another shape.
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    app.addHook('onRequest', async (_request, reply) => {
      if (!closing) return;
      void reply.header('connection', 'close');
      throw new AppError('UNAVAILABLE', 'the service is shutting down; retry shortly', undefined, { retryAfterSeconds: 1 });
    });
  },
  { name: 'dgt-errors', fastify: '5.x' },
);

/** What an unknown route (or a known path with another method) answers. */
export const notFoundMessage = 'no route matches this method and path';

/** The response body of an error. */
export function errorBody(e: AppError): ErrorResponse {
  return {
    error: {
      code: e.code,
      message: e.message,
      ...(e.details !== undefined && e.details.length > 0 ? { details: e.details.map((d) => ({ ...d })) } : {}),
    },
  };
}
