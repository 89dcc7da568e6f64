import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from './errorCatalogue.ts';
import { toAppError } from './errorMapping.ts';
import { errorBody } from './errorsPlugin.ts';
import { securityHeaders } from './securityHeadersPlugin.ts';

/**
 * Node's answers to requests it could not parse, in the catalogue's format: fastify's default
 * writes `{"error":"Bad Request","message":"Client Error"}`, another shape than every other error.
 * A URL longer than node's header limit arrives here as a header overflow (node has no 414).
 */
function clientErrorCode(code: string): ErrorCode {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'REQUEST_TIMEOUT';
    case 'HPE_HEADER_OVERFLOW':
      return 'HEADERS_TOO_LARGE';
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 'PAYLOAD_TOO_LARGE';
    default:
      return 'BAD_REQUEST';
  }
}

const messages: Partial<Record<ErrorCode, string>> = { BAD_REQUEST: 'the request is not valid HTTP' };

/**
 * fastify's `clientErrorHandler`: writes the error as a whole HTTP response on the socket (with
 * the security headers every response has) and closes it, as node's own handler does. Nothing
 * is written once a response has begun on the socket (a timeout during a long answer).
 */
export function writeClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // node's own handler checks the same (private) field: never write into a response in progress.
  const inProgress = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && inProgress?.headersSent !== true) {
    const code = clientErrorCode(error.code ?? '');
    const appError = new AppError(code, messages[code]);
    const body = JSON.stringify(errorBody(appError));
    const head = [
      `HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status] ?? ''}`,
      'content-type: application/json; charset=utf-8',
      `content-length: ${Buffer.byteLength(body)}`,
      'cache-control: no-store',
      'connection: close',
      ...Object.entries(securityHeaders).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.write(`${head.join('\r\n')}\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

/**
 * fastify's `frameworkErrors`: errors found while routing, before any hook runs (a malformed
 * percent-encoding in the path, a path segment over the router's limit). fastify's default
 * answers quote the path; these answer from the catalogue, with the security headers.
 */
export function replyFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const appError = toAppError(error);
  void reply
    .code(appError.status)
    .headers({ ...securityHeaders, 'cache-control': 'no-store' })
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(errorBody(appError)));
}
