import type { ServerOptions } from 'node:http';

/**
 * How long a connection may take over each part of a request. fastify's own default leaves the
 * request timeout off, so a client trickling a body one byte at a time kept its socket and the
 * bytes read so far for as long as it liked; every dgt server has these limits.
 */
export interface ServerTimeouts {
  /** The request line and headers must have arrived within this. Default 30 s. */
  readonly headersTimeoutMs?: number;
  /**
   * The whole request, body included, must have arrived within this; then the connection is
   * answered 408 and closed. Default 300 s (a 16 MiB batch at ≥ 56 KB/s). 0 turns it off.
   */
  readonly requestTimeoutMs?: number;
  /**
   * A socket with no bytes either way for this long is closed, whatever it is doing. Default 0
   * (off): the API's event streams may be quiet for long; the ingest gateway sets it.
   */
  readonly idleTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this. Default 72 s (fastify's). */
  readonly keepAliveTimeoutMs?: number;
}

export const defaultServerTimeouts = { headersTimeoutMs: 30_000, requestTimeoutMs: 300_000, idleTimeoutMs: 0, keepAliveTimeoutMs: 72_000 } as const;

export interface FastifyTimeoutOptions {
  readonly requestTimeout: number;
  readonly connectionTimeout: number;
  readonly keepAliveTimeout: number;
  readonly http: ServerOptions;
}

/** The fastify and node:http server options for `timeouts` (see `ServerTimeouts`). */
export function fastifyTimeoutOptions(timeouts: ServerTimeouts = {}): FastifyTimeoutOptions {
  const t = { ...defaultServerTimeouts, ...timeouts };
  // Node checks the request and header deadlines on an interval (30 s by default, so a 2 s limit
  // would hold for up to 32 s); a tenth of the shortest deadline keeps the overshoot small.
  const shortest = Math.min(t.headersTimeoutMs, t.requestTimeoutMs > 0 ? t.requestTimeoutMs : Number.POSITIVE_INFINITY);
  const connectionsCheckingInterval = Math.max(100, Math.min(5_000, Math.floor(shortest / 10)));
  return {
    requestTimeout: t.requestTimeoutMs,
    connectionTimeout: t.idleTimeoutMs,
    keepAliveTimeout: t.keepAliveTimeoutMs,
    // Node requires headersTimeout ≤ requestTimeout when both are set.
    http: { headersTimeout: t.requestTimeoutMs > 0 ? Math.min(t.headersTimeoutMs, t.requestTimeoutMs) : t.headersTimeoutMs, connectionsCheckingInterval },
  };
}
