import type { FastifyError } from 'fastify';
import { AppError, type ErrorCode, type ErrorDetail } from './errorCatalogue.ts';

const bodyUnparseable = new Set([
  'FST_ERR_CTP_INVALID_JSON_BODY',
  'FST_ERR_CTP_EMPTY_JSON_BODY',
  'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
]);

const byStatus: Readonly<Record<number, ErrorCode>> = {
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/**
 * Turns anything thrown during a request into an AppError. Client errors keep fastify's
 * message (it describes the request, not our internals); server errors never expose theirs.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as Partial<FastifyError>;
  if (Array.isArray(e.validation)) {
    return new AppError('VALIDATION_FAILED', 'the request is invalid', validationDetails(e));
  }
  if (typeof e.code === 'string' && bodyUnparseable.has(e.code)) {
    return new AppError('BODY_UNPARSEABLE', unparseableMessage(e.code));
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    return new AppError(byStatus[status] ?? 'BAD_REQUEST', e.message || undefined);
  }
  if (status === 503) return new AppError('UNAVAILABLE');
  return new AppError('INTERNAL', undefined, undefined, { cause: error });
}

function validationDetails(e: Partial<FastifyError>): ErrorDetail[] {
  // fastify says `querystring`; clients know it as the query.
  const where = e.validationContext === 'querystring' ? 'query' : (e.validationContext ?? 'body');
  return (e.validation ?? []).map((v) => {
    const segments = v.instancePath.split('/').filter((s) => s !== '');
    return { path: [where, ...segments].join('.'), message: v.message ?? 'is invalid' };
  });
}

function unparseableMessage(code: string): string {
  switch (code) {
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'the request body is empty but its content type is JSON';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'the request body does not match its Content-Length';
    default:
      return 'the request body is not valid JSON';
  }
}
