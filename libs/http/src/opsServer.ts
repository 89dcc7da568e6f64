import type { Registry } from 'prom-client';
import type { ApiKeyEntry } from './apiKeys.ts';
import { buildServiceApp, type LogLevel } from './buildServiceApp.ts';
import type { ReadinessCheck } from './healthPlugin.ts';
import type { RoleName } from './roles.ts';

/** A read-only JSON route of a service's own state (the JT/T 809 gateway's `GET /links`). */
export interface OpsJsonRoute {
  /** e.g. `/links`; must not be one of the ops server's own paths. */
  readonly path: string;
  /** Who may read it: at least one role. A state route is never public. */
  readonly roles: readonly RoleName[];
  /** The body, serialised as JSON. */
  readonly read: () => unknown;
}

export interface OpsServerOptions {
  /** Service name, in logs and metrics. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  readonly apiKeys: readonly ApiKeyEntry[];
  readonly logLevel: LogLevel;
  /** What /readyz reports; any check not ok answers 503. */
  readonly checks: () => Record<string, ReadinessCheck>;
  /** Process metrics on /metrics (default true). */
  readonly defaultMetrics?: boolean;
  /** Extra `GET` routes answering JSON, behind the same API keys as /metrics. */
  readonly jsonRoutes?: readonly OpsJsonRoute[];
}

export interface OpsServer {
  readonly address: string;
  close(): Promise<void>;
}

/**
 * For services with no API of their own (recorder, JT/T 808 gateway): /metrics, /healthz and
 * /readyz, plus the service's `jsonRoutes`, behind API keys like every other route.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  for (const route of options.jsonRoutes ?? []) {
    // An empty list would refuse everyone, silently: a configuration mistake, said at start.
    if (route.roles.length === 0) throw new Error(`ops route ${route.path}: roles must name at least one role`);
  }
  const app = await buildServiceApp({
    name: options.name,
    apiKeys: options.apiKeys,
    registry: options.registry,
    logLevel: options.logLevel,
    defaultMetrics: options.defaultMetrics ?? true,
    ready: async () => options.checks(),
  });
  for (const route of options.jsonRoutes ?? []) {
    app.get(route.path, { config: { roles: route.roles } }, async () => route.read());
  }
  const address = await app.listen({ host: options.host, port: options.port });
  return { address, close: () => app.close() };
}
