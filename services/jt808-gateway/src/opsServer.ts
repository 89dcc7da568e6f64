import { buildServiceApp, type ApiKeyEntry, type LogLevel } from '@dgt/http';
import type { Registry } from 'prom-client';

export interface OpsServerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  readonly apiKeys: readonly ApiKeyEntry[];
  readonly logLevel: LogLevel;
  /** Ready = the TCP listener accepts terminals. */
  readonly listening: () => { ok: boolean; detail: string };
  /** Process metrics on /metrics (default true). */
  readonly defaultMetrics?: boolean;
}

export interface OpsServer {
  readonly address: string;
  close(): Promise<void>;
}

/** The gateway's small HTTP side: /metrics, /healthz and /readyz from @dgt/http, behind API keys. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const app = await buildServiceApp({
    name: 'jt808-gateway',
    apiKeys: options.apiKeys,
    registry: options.registry,
    logLevel: options.logLevel,
    defaultMetrics: options.defaultMetrics ?? true,
    ready: async () => ({ tcp: options.listening() }),
  });
  const address = await app.listen({ host: options.host, port: options.port });
  return { address, close: () => app.close() };
}
