import type { FastifyError } from 'fastify';
import { AppError, type ErrorCode, type ErrorDetail } from './errorCatalogue.ts';

/**
 * fastify's own client errors in the catalogue's terms, with our message: fastify's messages
 * repeat the request (`Unsupported Media Type: <the header>`, `'<the path>' is not a valid url
 * component`), and ours never do.
 */
const fastifyClientErrors: Readonly<Record<string, { code: ErrorCode; message?: string }>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'BODY_UNPARSEABLE', message: 'the request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'BODY_UNPARSEABLE', message: 'the request body is empty but its content type is JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BODY_UNPARSEABLE', message: 'the request body does not match its Content-Length' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'this route does not accept a body of that content type' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'the Content-Type header is not valid' },
  FST_ERR_CTP_EMPTY_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'the request has a body but no Content-Type' },
  FST_ERR_BAD_URL: { code: 'BAD_REQUEST', message: 'the request URL is not valid' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'URI_TOO_LONG', message: 'a segment of the request URL is too long' },
};

const byStatus: Readonly<Record<number, ErrorCode>> = {
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
  503: 'UNAVAILABLE',
};

/**
 * Turns anything thrown during a request into an AppError. An AppError keeps its message (ours,
 * written not to repeat the request); anything else gets the catalogue's message for its status,
 * since neither fastify's messages (they quote the request) nor our internals' (they name files
 * and queries) belong in a response.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as Partial<FastifyError>;
  if (Array.isArray(e.validation)) {
    return new AppError('VALIDATION_FAILED', 'the request is invalid', validationDetails(e));
  }
  const known = typeof e.code === 'string' ? fastifyClientErrors[e.code] : undefined;
  if (known !== undefined) return new AppError(known.code, known.message);
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) return new AppError(byStatus[status] ?? 'BAD_REQUEST');
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
