import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { Registry } from 'prom-client';
import type { ApiKeyEntry } from './apiKeys.ts';
import { authPlugin } from './authPlugin.ts';
import { replyFrameworkError, writeClientError } from './clientErrors.ts';
import { errorsPlugin } from './errorsPlugin.ts';
import { healthPlugin, type ReadinessChecks } from './healthPlugin.ts';
import { metricsPlugin } from './metricsPlugin.ts';
import { securityHeadersPlugin } from './securityHeadersPlugin.ts';
import { wellFormedJsonPlugin } from './wellFormedJsonPlugin.ts';
import { fastifyTimeoutOptions, type ServerTimeouts } from './serverTimeouts.ts';

/** A fastify instance with the zod type provider, as every dgt service uses. */
export type ServiceApp = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface ServiceAppOptions {
  /** Appears in every log line as `service`. */
  readonly name: string;
  readonly apiKeys: readonly ApiKeyEntry[];
  /** Default: a fresh registry; pass one to add the service's own metrics. */
  readonly registry?: Registry;
  /** Default 'info'; tests pass 'silent'. */
  readonly logLevel?: LogLevel;
  /** fastify's bodyLimit in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  readonly ready?: () => Promise<ReadinessChecks>;
  readonly readyTimeoutMs?: number;
  /** Process metrics (default true); their collectors are global timers, so tests may turn them off. */
  readonly defaultMetrics?: boolean;
  /** Header, request, idle and keep-alive timeouts of the server (see `ServerTimeouts` for the defaults). */
  readonly timeouts?: ServerTimeouts;
}

/**
 * A fastify app with logging, the zod type provider, security headers, errors, well-formed JSON,
 * auth, metrics and health wired in that order (headers first: every refusal carries them too).
 * Add the service's routes to the returned app; `listen` is the caller's job.
 */
export async function buildServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  const app = Fastify({
    logger: { level: options.logLevel ?? 'info', base: { service: options.name } },
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    ...fastifyTimeoutOptions(options.timeouts),
    // Ids in paths go up to 200 characters (client event ids); the router's default stops at 100.
    routerOptions: { maxParamLength: 256 },
    // Malformed requests node or the router refuses: the catalogue's format too, never echoing the request.
    clientErrorHandler: writeClientError,
    frameworkErrors: replyFrameworkError,
    // errorsPlugin answers requests arriving while the server closes (fastify's answer has another shape).
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const registry = options.registry ?? new Registry();
  await app.register(securityHeadersPlugin);
  await app.register(errorsPlugin);
  await app.register(wellFormedJsonPlugin);
  await app.register(authPlugin, { apiKeys: options.apiKeys });
  await app.register(metricsPlugin, { registry, defaultMetrics: options.defaultMetrics ?? true });
  await app.register(healthPlugin, {
    ...(options.ready === undefined ? {} : { ready: options.ready }),
    ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
  });
  return app;
}
