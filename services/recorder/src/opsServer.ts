import { buildServiceApp, type ApiKeyEntry, type LogLevel } from '@dgt/http';
import type { Registry } from 'prom-client';

export interface OpsServerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  readonly apiKeys: readonly ApiKeyEntry[];
  readonly logLevel: LogLevel;
  /** Ready = consuming; a stopping or not-yet-joined recorder answers 503 on /readyz. */
  readonly consuming: () => { ok: boolean; detail: string };
}

export interface OpsServer {
  readonly address: string;
  close(): Promise<void>;
}

/** The recorder has no API of its own: /metrics, /healthz and /readyz from @dgt/http, behind API keys. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const app = await buildServiceApp({
    name: 'recorder',
    apiKeys: options.apiKeys,
    registry: options.registry,
    logLevel: options.logLevel,
    ready: async () => ({ consumer: options.consuming() }),
  });
  const address = await app.listen({ host: options.host, port: options.port });
  return { address, close: () => app.close() };
}
