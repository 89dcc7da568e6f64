import { readBusConfig, type BusConfig } from '@dgt/bus';
import { ApiKeyConfigError, parseApiKeys, type ApiKeyEntry, type LogLevel, type ServerTimeouts } from '@dgt/http';
import { z } from 'zod';
import { keysNeedRegistryView } from './registryView.ts';
import type { TimeLimits } from './timePlausibility.ts';

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
  /** How far from the gateway's receipt time an event may be dated (see timePlausibility.ts). */
  readonly time: TimeLimits;
  /** Header, request and idle timeouts of the server: a trickled body is cut off. */
  readonly timeouts: Required<Pick<ServerTimeouts, 'headersTimeoutMs' | 'requestTimeoutMs' | 'idleTimeoutMs'>>;
  /** Request bodies received or handled at once; beyond them 503 before a byte is read. */
  readonly inFlight: { readonly maxBodies: number; readonly maxBytes: number; readonly maxPerConnection: number };
  /** Per API key, in events: a token bucket refilled at `eventsPerS`, holding at most `burst`. */
  readonly rateLimit: { readonly eventsPerS: number; readonly burst: number };
  /** Ids this gateway accepted lately, remembered (with a digest) to tell a retry from a conflict until recorded. */
  readonly recentIds: number;
  /** A SQLite event store to look ids up in, read-only (a standalone gateway next to its recorder's store). */
  readonly eventStorePath?: string;
  /**
   * The projector's SQLite read models, opened read-only: registry and `ingest:<carrierId>` keys
   * are checked against the register in them (required when such a key is configured).
   */
  readonly readModelsPath?: string;
}

const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const DAY_S = 86_400;

const schema = z.object({
  INGEST_PORT: int(8081, 0, 65_535),
  INGEST_HOST: z.string().min(1).default('127.0.0.1'),
  INGEST_MAX_BATCH: int(5000, 1, 100_000),
  INGEST_BODY_LIMIT_BYTES: int(16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  INGEST_PUBLISH_TIMEOUT_MS: int(10_000, 100, 120_000),
  INGEST_READY_TIMEOUT_MS: int(2000, 100, 60_000),
  INGEST_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  INGEST_MAX_FUTURE_SKEW_S: int(300, 0, 7 * DAY_S),
  // Up to 100 years: replaying an archive through the gateway is the operator's call.
  INGEST_BACKFILL_WINDOW_S: int(7 * DAY_S, 60, 36_500 * DAY_S),
  INGEST_HEADERS_TIMEOUT_MS: int(30_000, 100, 600_000),
  INGEST_REQUEST_TIMEOUT_MS: int(300_000, 100, 3_600_000),
  INGEST_IDLE_TIMEOUT_MS: int(30_000, 0, 3_600_000),
  INGEST_MAX_BODIES_IN_FLIGHT: int(64, 1, 100_000),
  INGEST_MAX_BODY_BYTES_IN_FLIGHT: int(128 * 1024 * 1024, 1024, 64 * 1024 * 1024 * 1024),
  INGEST_MAX_BODIES_PER_CONNECTION: int(2, 1, 1000),
  INGEST_RATE_LIMIT_EVENTS_PER_S: int(50_000, 1, 1_000_000_000),
  INGEST_RATE_LIMIT_BURST: int(200_000, 1, 1_000_000_000),
  INGEST_RECENT_IDS: int(200_000, 0, 10_000_000),
  INGEST_EVENTSTORE_PATH: z.string().trim().min(1).optional(),
  DGT_READMODELS_PATH: z.string().trim().min(1).optional(),
});

const keysHelp = `DGT_API_KEYS is required: a JSON array of {"id","role","sha256"} with at least one key of role "ingest",
"ingest:<carrierId>" (a carrier's gateway) or "registry" (the register of carriers and vehicles).
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
  // The socket is quiet while a publish waits for the broker: it must not be cut for that.
  if (e.INGEST_IDLE_TIMEOUT_MS !== 0 && e.INGEST_IDLE_TIMEOUT_MS <= e.INGEST_PUBLISH_TIMEOUT_MS) {
    throw new IngestConfigError(`invalid ingest configuration:\n  INGEST_IDLE_TIMEOUT_MS (${e.INGEST_IDLE_TIMEOUT_MS}) must be 0 (off) or longer than INGEST_PUBLISH_TIMEOUT_MS (${e.INGEST_PUBLISH_TIMEOUT_MS})`);
  }
  const apiKeys = readApiKeys(env.DGT_API_KEYS);
  if (keysNeedRegistryView(apiKeys) && e.DGT_READMODELS_PATH === undefined) {
    throw new IngestConfigError(
      'DGT_API_KEYS has registry or ingest:<carrierId> keys: their items are checked against the register, which the gateway reads from the projector\'s read models.\n' +
        'Set DGT_READMODELS_PATH to the projector\'s readmodels.sqlite (opened read-only).',
    );
  }
  return {
    port: e.INGEST_PORT,
    host: e.INGEST_HOST,
    apiKeys,
    bus: readBusConfig(env),
    maxBatch: e.INGEST_MAX_BATCH,
    bodyLimitBytes: e.INGEST_BODY_LIMIT_BYTES,
    publishTimeoutMs: e.INGEST_PUBLISH_TIMEOUT_MS,
    readyTimeoutMs: e.INGEST_READY_TIMEOUT_MS,
    logLevel: e.INGEST_LOG_LEVEL,
    time: { maxFutureSkewS: e.INGEST_MAX_FUTURE_SKEW_S, backfillWindowS: e.INGEST_BACKFILL_WINDOW_S },
    timeouts: { headersTimeoutMs: e.INGEST_HEADERS_TIMEOUT_MS, requestTimeoutMs: e.INGEST_REQUEST_TIMEOUT_MS, idleTimeoutMs: e.INGEST_IDLE_TIMEOUT_MS },
    inFlight: { maxBodies: e.INGEST_MAX_BODIES_IN_FLIGHT, maxBytes: e.INGEST_MAX_BODY_BYTES_IN_FLIGHT, maxPerConnection: e.INGEST_MAX_BODIES_PER_CONNECTION },
    rateLimit: { eventsPerS: e.INGEST_RATE_LIMIT_EVENTS_PER_S, burst: e.INGEST_RATE_LIMIT_BURST },
    recentIds: e.INGEST_RECENT_IDS,
    ...(e.INGEST_EVENTSTORE_PATH === undefined ? {} : { eventStorePath: e.INGEST_EVENTSTORE_PATH }),
    ...(e.DGT_READMODELS_PATH === undefined ? {} : { readModelsPath: e.DGT_READMODELS_PATH }),
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
  // Without a key that may post the gateway could only refuse every batch.
  if (!keys.some((k) => k.role === 'ingest' || k.role === 'registry' || k.role.startsWith('ingest:'))) {
    throw new IngestConfigError(`DGT_API_KEYS has no key of role "ingest", "ingest:<carrierId>" or "registry".\n\n${keysHelp}`);
  }
  return keys;
}
