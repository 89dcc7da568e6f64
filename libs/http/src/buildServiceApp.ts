import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { Registry } from 'prom-client';
import type { ApiKeyEntry } from './apiKeys.ts';
import { authPlugin } from './authPlugin.ts';
import { errorsPlugin } from './errorsPlugin.ts';
import { healthPlugin, type ReadinessChecks } from './healthPlugin.ts';
import { metricsPlugin } from './metricsPlugin.ts';

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
}

/**
 * A fastify app with logging, the zod type provider, errors, auth, metrics and health wired in
 * that order. Add the service's routes to the returned app; `listen` is the caller's job.
 */
export async function buildServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  const app = Fastify({
    logger: { level: options.logLevel ?? 'info', base: { service: options.name } },
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const registry = options.registry ?? new Registry();
  await app.register(errorsPlugin);
  await app.register(authPlugin, { apiKeys: options.apiKeys });
  await app.register(metricsPlugin, { registry, defaultMetrics: options.defaultMetrics ?? true });
  await app.register(healthPlugin, {
    ...(options.ready === undefined ? {} : { ready: options.ready }),
    ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
  });
  return app;
}
