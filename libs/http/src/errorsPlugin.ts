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
    app.setNotFoundHandler((request, reply) =>
      reply.code(404).send(errorBody(new AppError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`))),
    );
  },
  { name: 'dgt-errors', fastify: '5.x' },
);

function errorBody(e: AppError): ErrorResponse {
  return {
    error: {
      code: e.code,
      message: e.message,
      ...(e.details !== undefined && e.details.length > 0 ? { details: e.details.map((d) => ({ ...d })) } : {}),
    },
  };
}
