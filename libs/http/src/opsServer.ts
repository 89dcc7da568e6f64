import type { Registry } from 'prom-client';
import type { ApiKeyEntry } from './apiKeys.ts';
import { buildServiceApp, type LogLevel } from './buildServiceApp.ts';
import type { ReadinessCheck } from './healthPlugin.ts';

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
}

export interface OpsServer {
  readonly address: string;
  close(): Promise<void>;
}

/**
 * For services with no API of their own (recorder, JT/T 808 gateway): /metrics, /healthz and
 * /readyz, behind API keys like every other route.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const app = await buildServiceApp({
    name: options.name,
    apiKeys: options.apiKeys,
    registry: options.registry,
    logLevel: options.logLevel,
    defaultMetrics: options.defaultMetrics ?? true,
    ready: async () => options.checks(),
  });
  const address = await app.listen({ host: options.host, port: options.port });
  return { address, close: () => app.close() };
}
