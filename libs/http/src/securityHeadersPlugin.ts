import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/**
 * The Content-Security-Policy of every response that does not set its own: JSON, errors, metrics.
 * Such a response is never a page, so it may load nothing and be framed by nobody, even if a
 * browser is tricked into rendering it.
 */
export const strictContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

/**
 * The headers every response carries, as helmet writes them with the options below. Responses
 * written outside fastify (node's own answers to malformed requests, see clientErrors.ts) copy
 * them from here; a test checks that both stay the same.
 */
export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/** Sent with everything behind an API key: data for one caller, never for a shared cache or the browser's disk. */
export const authenticatedCacheControl = 'no-store';

/**
 * Helmet's middleware for the options below, built once. @fastify/helmet built it anew for every
 * request (helmet(options) parses and validates the options each time) in an async hook: 4.0
 * against 2.2 µs a request in a microbench, for headers that never change.
 */
const applyHelmet = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: false,
});

/** Helmet's middleware reports nothing for fixed options; should it ever, the request fails rather than leave without its headers. */
const failOnError = (error?: unknown): void => {
  if (error !== undefined && error !== null) throw error instanceof Error ? error : new Error(String(error));
};

/**
 * Security headers on every response, through helmet (maintained, and it follows browser
 * changes: X-XSS-Protection off, Origin-Agent-Cluster, cross-origin policies): `nosniff`, the
 * strict CSP above, `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY`; and
 * `Cache-Control: no-store` on every response that is not a public route. They are set on the
 * raw response in the first onRequest hook, so they are there before authentication can refuse,
 * on 404s, on errors and on hijacked responses (the alert stream). A route serving a page sets
 * its own Content-Security-Policy (a header set by the route replaces helmet's), and its own
 * Cache-Control.
 *
 * HSTS is left to the TLS terminator in front of the services: they speak plain HTTP, and the
 * policy belongs to whoever owns the domain's certificates.
 */
export const securityHeadersPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', (request, reply, done) => {
      applyHelmet(request.raw, reply.raw, failOnError);
      if (request.is404 || request.routeOptions.config.roles !== 'public') reply.raw.setHeader('cache-control', authenticatedCacheControl);
      done();
    });
  },
  { name: 'dgt-security-headers', fastify: '5.x' },
);
