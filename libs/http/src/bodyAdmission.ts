import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, type Registry } from 'prom-client';
import { AppError } from './errorCatalogue.ts';

export interface BodyAdmissionOptions {
  /** Request bodies being received or handled at once, over all connections. */
  readonly maxBodies: number;
  /** What those bodies may add up to, in bytes: each counts its Content-Length (a chunked one, `bodyLimit`). */
  readonly maxBytes: number;
  /** Bodies at once on one connection (HTTP/1.1 pipelining). */
  readonly maxBodiesPerConnection: number;
  /** The app's body limit: what a chunked body, of unknown length, may grow to. */
  readonly bodyLimit: number;
  /** Sent as Retry-After with the 503. Default 1. */
  readonly retryAfterSeconds?: number;
  /** For `dgt_http_bodies_in_flight`, `dgt_http_body_bytes_in_flight`, `dgt_http_bodies_refused_total{reason}`. */
  readonly registry: Registry;
}

type Refusal = 'bodies' | 'bytes' | 'connection';

/**
 * Admits a request body only while the bodies already in flight leave room for it, counted
 * before a byte of it is read (onRequest, after authentication): without it, 60 slow 15 MB
 * bodies held a gigabyte in the process that also serves the API. A refused request gets 503
 * with Retry-After and `Connection: close`, so its unread body is never received. A body leaves
 * the count when its response is done or its connection is gone, whichever comes first.
 */
export const bodyAdmissionPlugin = fp(
  async (app: FastifyInstance, options: BodyAdmissionOptions) => {
    const registers = [options.registry];
    const bodiesGauge = new Gauge({ name: 'dgt_http_bodies_in_flight', help: 'Request bodies admitted and not yet answered', registers });
    const bytesGauge = new Gauge({ name: 'dgt_http_body_bytes_in_flight', help: 'Bytes reserved by the request bodies in flight (Content-Length, or the body limit when chunked)', registers });
    const refused = new Counter({ name: 'dgt_http_bodies_refused_total', help: 'Request bodies refused before being read, by the cap they hit', labelNames: ['reason'] as const, registers });
    for (const reason of ['bodies', 'bytes', 'connection'] satisfies Refusal[]) refused.inc({ reason }, 0);

    let bodies = 0;
    let bytes = 0;
    const perConnection = new WeakMap<Socket, number>();
    const retryAfterSeconds = options.retryAfterSeconds ?? 1;

    const refuse = (reply: FastifyReply, reason: Refusal, message: string): never => {
      refused.inc({ reason });
      void reply.header('connection', 'close');
      throw new AppError('UNAVAILABLE', message, undefined, { retryAfterSeconds });
    };

    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const size = declaredBodySize(request, options.bodyLimit);
      if (size === 0) return;
      const socket = request.raw.socket;
      const onConnection = perConnection.get(socket) ?? 0;
      if (onConnection >= options.maxBodiesPerConnection) refuse(reply, 'connection', `at most ${options.maxBodiesPerConnection} request bodies at once per connection: wait for the answer to the previous one`);
      if (bodies >= options.maxBodies) refuse(reply, 'bodies', `the gateway is receiving ${bodies} request bodies already, its limit: retry shortly`);
      if (bodies > 0 && bytes + size > options.maxBytes) refuse(reply, 'bytes', 'the gateway has as many request bytes in flight as it takes: retry shortly');
      bodies++;
      bytes += size;
      perConnection.set(socket, onConnection + 1);
      bodiesGauge.set(bodies);
      bytesGauge.set(bytes);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        bodies--;
        bytes -= size;
        perConnection.set(socket, (perConnection.get(socket) ?? 1) - 1);
        bodiesGauge.set(bodies);
        bytesGauge.set(bytes);
      };
      // 'close' comes after the response is done or when the connection dies first (a timeout cut a trickled body).
      reply.raw.once('close', release);
    });
  },
  { name: 'dgt-body-admission', fastify: '5.x', dependencies: ['dgt-errors'] },
);

/** Bytes a request's body may take: its Content-Length, the body limit if chunked, 0 without a body. */
function declaredBodySize(request: FastifyRequest, bodyLimit: number): number {
  const length = request.headers['content-length'];
  if (length !== undefined) {
    const n = Number(length);
    return Number.isFinite(n) && n > 0 ? Math.min(n, bodyLimit) : 0;
  }
  return request.headers['transfer-encoding'] !== undefined ? bodyLimit : 0;
}
