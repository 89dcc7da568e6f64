import { readBusConfig, type BusConfig } from '@dgt/bus';
import { eventStoreConfigFromEnv, type EventStoreConfig } from '@dgt/eventstore';
import { parseApiKeys, type ApiKeyEntry } from '@dgt/http';
import { z } from 'zod';
import { RecorderError } from './errors.ts';

/**
 * See RecorderOptions.partitionsConsumedConcurrently. Measured on Kafka (recorder bench, 30 s, two
 * runs each): POST → recorded p50 1,020/944 ms with 1, 691/675 ms with 2, throughput unchanged
 * (the gateway's producer bounds it).
 */
const PARTITIONS_CONCURRENTLY_DEFAULT = 2;

const schema = z.object({
  RECORDER_GROUP_ID: z.string().trim().min(1).default('dgt-recorder'),
  /** 0 disables the metrics/health endpoint. */
  RECORDER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  RECORDER_METRICS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  RECORDER_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).max(600_000).default(1000),
  /** Batches of different partitions recorded at once (kafkajs partitionsConsumedConcurrently). */
  RECORDER_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(PARTITIONS_CONCURRENTLY_DEFAULT),
  /** How long a recorder that died without leaving keeps its partitions. */
  RECORDER_SESSION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(10_000),
  RECORDER_LAG_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** JSON `[{ id, role, sha256 }]` for /metrics (roles metrics, bureau) and /healthz, /readyz (any key). */
  DGT_API_KEYS: z.string().trim().optional(),
});

export interface RecorderEnv {
  readonly groupId: string;
  readonly metricsPort: number;
  readonly metricsHost: string;
  readonly retryBackoffMs: number;
  readonly partitionsConcurrently: number;
  readonly sessionTimeoutMs: number;
  readonly lagIntervalMs: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly bus: BusConfig;
  readonly store: EventStoreConfig;
  /** Empty only when the ops endpoint is disabled. */
  readonly apiKeys: readonly ApiKeyEntry[];
}

/**
 * Recorder configuration. Kafka and the store are read by their libraries' own readers
 * (`KAFKA_BROKERS`, `KAFKA_CLIENT_ID`, `DGT_TOPIC_PREFIX`; `DGT_EVENTSTORE`,
 * `DGT_EVENTSTORE_PATH`, `EVENTSTORE_URL`), so every service spells them the same way.
 */
export function readRecorderEnv(env: NodeJS.ProcessEnv = process.env): RecorderEnv {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new RecorderError('INVALID_CONFIG', `invalid recorder configuration: ${issues}`);
  }
  const bus = readBusConfig(env);
  if (bus.brokers.length === 0) {
    throw new RecorderError('INVALID_CONFIG', 'KAFKA_BROKERS is required (the recorder consumes from Kafka)');
  }
  const e = parsed.data;
  return {
    groupId: e.RECORDER_GROUP_ID,
    metricsPort: e.RECORDER_METRICS_PORT,
    metricsHost: e.RECORDER_METRICS_HOST,
    retryBackoffMs: e.RECORDER_RETRY_BACKOFF_MS,
    partitionsConcurrently: e.RECORDER_PARTITIONS_CONCURRENTLY,
    sessionTimeoutMs: e.RECORDER_SESSION_TIMEOUT_MS,
    lagIntervalMs: e.RECORDER_LAG_INTERVAL_MS,
    logLevel: e.LOG_LEVEL,
    bus,
    store: eventStoreConfigFromEnv(env),
    apiKeys: apiKeysFor(e.RECORDER_METRICS_PORT, e.DGT_API_KEYS),
  };
}

/** The ops endpoint is authenticated like every dgt endpoint, so it needs keys; without it none are read. */
function apiKeysFor(port: number, json: string | undefined): ApiKeyEntry[] {
  if (port === 0) return json === undefined || json === '' ? [] : parseApiKeys(json);
  if (json === undefined || json === '') {
    throw new RecorderError(
      'INVALID_CONFIG',
      'DGT_API_KEYS is required for the metrics/health endpoint (or set RECORDER_METRICS_PORT=0 to disable it)',
    );
  }
  return parseApiKeys(json);
}
