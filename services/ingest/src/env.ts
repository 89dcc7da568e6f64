import { readBusConfig, type BusConfig } from '@dgt/bus';
import { ApiKeyConfigError, parseApiKeys, type ApiKeyEntry, type LogLevel } from '@dgt/http';
import { z } from 'zod';

export interface IngestConfig {
  readonly port: number;
  readonly host: string;
  readonly apiKeys: readonly ApiKeyEntry[];
  /** Brokers (empty → in-process bus), client id and topic naming. */
  readonly bus: BusConfig;
  /** Most events in one request. */
  readonly maxBatch: number;
  readonly bodyLimitBytes: number;
  /** A publish not acknowledged by then answers 503; kept below kafkajs's ~30 s retry budget. */
  readonly publishTimeoutMs: number;
  readonly readyTimeoutMs: number;
  readonly logLevel: LogLevel;
}

const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const schema = z.object({
  INGEST_PORT: int(8081, 0, 65_535),
  INGEST_HOST: z.string().min(1).default('127.0.0.1'),
  INGEST_MAX_BATCH: int(5000, 1, 100_000),
  INGEST_BODY_LIMIT_BYTES: int(16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  INGEST_PUBLISH_TIMEOUT_MS: int(10_000, 100, 120_000),
  INGEST_READY_TIMEOUT_MS: int(2000, 100, 60_000),
  INGEST_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

const keysHelp = `DGT_API_KEYS is required: a JSON array of {"id","role","sha256"} with at least one key of role "ingest".
Make one with \`npx dgt keys new --role ingest\`: it prints the key (give it to the client) and the
entry to put in DGT_API_KEYS, e.g. DGT_API_KEYS='[{"id":"gateway-1","role":"ingest","sha256":"<hash>"}]'.`;

export class IngestConfigError extends Error {
  override readonly name = 'IngestConfigError';
  readonly code = 'CONFIG_INVALID';
}

/** The only place the ingest service reads the environment; throws a readable IngestConfigError. */
export function readIngestConfig(env: NodeJS.ProcessEnv = process.env): IngestConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new IngestConfigError(`invalid ingest configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.INGEST_PORT,
    host: e.INGEST_HOST,
    apiKeys: readApiKeys(env.DGT_API_KEYS),
    bus: readBusConfig(env),
    maxBatch: e.INGEST_MAX_BATCH,
    bodyLimitBytes: e.INGEST_BODY_LIMIT_BYTES,
    publishTimeoutMs: e.INGEST_PUBLISH_TIMEOUT_MS,
    readyTimeoutMs: e.INGEST_READY_TIMEOUT_MS,
    logLevel: e.INGEST_LOG_LEVEL,
  };
}

function readApiKeys(json: string | undefined): ApiKeyEntry[] {
  if (json === undefined || json.trim() === '') throw new IngestConfigError(keysHelp);
  let keys: ApiKeyEntry[];
  try {
    keys = parseApiKeys(json);
  } catch (error) {
    if (error instanceof ApiKeyConfigError) throw new IngestConfigError(`${error.message}\n\n${keysHelp}`);
    throw error;
  }
  // Without an ingest key the gateway could only refuse every batch.
  if (!keys.some((k) => k.role === 'ingest')) throw new IngestConfigError(`DGT_API_KEYS has no key of role "ingest".\n\n${keysHelp}`);
  return keys;
}
