import { readBusConfig, type BusConfig } from '@dgt/bus';
import { eventStoreConfigFromEnv, type EventStoreConfig } from '@dgt/eventstore';
import { parseApiKeys, type ApiKeyEntry } from '@dgt/http';
import { readModelConfigFromEnv, type ReadModelConfig } from '@dgt/readmodels';
import { z } from 'zod';
import { ProjectorError } from './errors.ts';

const schema = z.object({
  /** 0 disables the metrics/health endpoint. */
  PROJECTOR_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  PROJECTOR_METRICS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  PROJECTOR_MAX_BATCH_EVENTS: z.coerce.number().int().min(1).max(1_000_000).default(500_000),
  PROJECTOR_FLUSH_INTERVAL_MS: z.coerce.number().int().min(1).max(60_000).default(150),
  PROJECTOR_CATCHUP_FLUSH_INTERVAL_MS: z.coerce.number().int().min(1).max(600_000).default(10_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** JSON `[{ id, role, sha256 }]` for /metrics and /healthz, /readyz. */
  DGT_API_KEYS: z.string().trim().optional(),
});

export interface ProjectorEnv {
  readonly metricsPort: number;
  readonly metricsHost: string;
  readonly maxBatchEvents: number;
  readonly flushIntervalMs: number;
  readonly catchUpFlushIntervalMs: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly bus: BusConfig;
  readonly store: EventStoreConfig;
  readonly readModels: ReadModelConfig;
  readonly apiKeys: readonly ApiKeyEntry[];
}

/**
 * Projector configuration. The store, read models and bus are read by their libraries' own
 * readers (`DGT_EVENTSTORE*`, `DGT_READMODELS*`, `KAFKA_BROKERS` — unset means the in-process bus).
 */
export function readProjectorEnv(env: NodeJS.ProcessEnv = process.env): ProjectorEnv {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ProjectorError('INVALID_CONFIG', `invalid projector configuration: ${issues}`);
  }
  const e = parsed.data;
  return {
    metricsPort: e.PROJECTOR_METRICS_PORT,
    metricsHost: e.PROJECTOR_METRICS_HOST,
    maxBatchEvents: e.PROJECTOR_MAX_BATCH_EVENTS,
    flushIntervalMs: e.PROJECTOR_FLUSH_INTERVAL_MS,
    catchUpFlushIntervalMs: e.PROJECTOR_CATCHUP_FLUSH_INTERVAL_MS,
    logLevel: e.LOG_LEVEL,
    bus: readBusConfig(env),
    store: eventStoreConfigFromEnv(env),
    readModels: readModelConfigFromEnv(env),
    apiKeys: apiKeysFor(e.PROJECTOR_METRICS_PORT, e.DGT_API_KEYS),
  };
}

/** The ops endpoint is authenticated like every dgt endpoint, so it needs keys. */
function apiKeysFor(port: number, json: string | undefined): ApiKeyEntry[] {
  if (json !== undefined && json !== '') return parseApiKeys(json);
  if (port === 0) return [];
  throw new ProjectorError('INVALID_CONFIG', 'DGT_API_KEYS is required for the metrics/health endpoint (or set PROJECTOR_METRICS_PORT=0 to disable it)');
}
