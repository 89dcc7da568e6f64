import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { readBusConfig, topicNames, type BusConfig } from '@dgt/bus';
import { parseApiKeys, type ApiKeyEntry } from '@dgt/http';
import { z } from 'zod';
import { GatewayError } from './errors.ts';
import type { Jt808GatewayConfig, TerminalEntry } from './gatewayConfig.ts';
import { defaultGatewayConfig } from './gatewayConfig.ts';
import { TerminalRecordError, codesAreIssuedAtRegistration, createTerminalRecords } from './terminalRecords.ts';

const d = defaultGatewayConfig;
const int = (min: number, max: number, def: number) => z.coerce.number().int().min(min).max(max).default(def);

const schema = z.object({
  JT808_HOST: z.string().trim().min(1).default(d.host),
  JT808_PORT: int(0, 65535, d.port),
  /** 0 disables the metrics/health endpoint. */
  JT808_HTTP_PORT: int(0, 65535, 9465),
  JT808_HTTP_HOST: z.string().trim().min(1).default('127.0.0.1'),
  JT808_TERMINALS: z.string().trim().optional(),
  JT808_TERMINALS_FILE: z.string().trim().min(1).optional(),
  /** SQLite file of registrations (hashed auth codes) and the terminal event outbox; created 0600. */
  JT808_STATE_PATH: z.string().trim().min(1, 'must not be empty').optional(),
  JT808_MAX_FUTURE_SKEW_S: int(0, 86_400, d.maxFutureSkewMs / 1000),
  JT808_BACKFILL_WINDOW_S: int(60, 366 * 86_400, d.backfillWindowMs / 1000),
  JT808_MAX_FRAME_BYTES: int(64, 65536, d.maxFrameBytes),
  JT808_FRAMES_PER_SECOND: int(1, 100_000, d.framesPerSecond),
  JT808_FRAME_BURST: int(1, 1_000_000, d.frameBurst),
  JT808_MAX_DECODE_ERRORS: int(1, 1000, d.maxConsecutiveDecodeErrors),
  JT808_IDLE_TIMEOUT_MS: int(1000, 86_400_000, d.idleTimeoutMs),
  JT808_AUTH_TIMEOUT_MS: int(1000, 3_600_000, d.authTimeoutMs),
  JT808_MAX_IN_FLIGHT: int(1, 100_000, d.maxInFlightPerConnection),
  JT808_MAX_CONNECTIONS: int(1, 1_000_000, d.maxConnections),
  JT808_PUBLISH_BATCH: int(1, 100_000, d.publishBatchSize),
  JT808_PUBLISH_LINGER_MS: int(0, 1000, d.publishLingerMs),
  JT808_PUBLISH_UNFIXED: z.enum(['true', 'false', '1', '0']).default(d.publishUnfixed ? 'true' : 'false'),
  /** Send messages to drivers (0x8300) requested on the consignments topic. */
  JT808_DRIVER_MESSAGES: z.enum(['true', 'false', '1', '0']).default(d.driverMessages ? 'true' : 'false'),
  /** This gateway in driver message events; default the host name. Unique per gateway. */
  JT808_GATEWAY_ID: z.string().trim().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 of A–Z a–z 0–9 . _ -').optional(),
  /** Its own consumer group for driver message requests; default `dgt-jt808-gateway-<gateway id>`. */
  JT808_MESSAGES_GROUP_ID: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  JT808_MESSAGE_CONNECT_TIMEOUT_S: int(1, 86_400, d.messageConnectTimeoutMs / 1000),
  JT808_MESSAGE_REPLY_TIMEOUT_S: int(1, 3_600, d.messageReplyTimeoutMs / 1000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** JSON `[{ id, role, sha256 }]` for /metrics (roles metrics, bureau) and /healthz, /readyz (any key); unset → every request is refused. */
  DGT_API_KEYS: z.string().trim().optional(),
});

// Field widths of the 0x0100 body in the 2019 edition (2013: 5, 20, 7), as characters here.
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters (the 0x0100 field width)`)
    .refine((v) => ![...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), 'must not contain control characters');

const terminalsSchema = z.array(
  z.strictObject({
    phone: z.string().regex(/^\d{1,20}$/, 'must be 1–20 digits'),
    plate: z.string().trim().min(1).max(32),
    plateColour: z.number().int().min(0, 'must be a JT/T 697.7 colour code 0–255').max(255, 'must be a JT/T 697.7 colour code 0–255'),
    manufacturerId: text(11),
    terminalModel: text(30),
    terminalId: text(30),
    vehicleId: z.string().trim().min(1).max(128).optional(),
  }),
);

export interface GatewayEnv {
  readonly gateway: Jt808GatewayConfig;
  readonly terminals: readonly TerminalEntry[];
  /** Where registrations live; main refuses to start without it. */
  readonly statePath: string | undefined;
  readonly httpHost: string;
  readonly httpPort: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly bus: BusConfig;
  readonly apiKeys: readonly ApiKeyEntry[];
}

function issuesOf(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

function readTerminals(inline: string | undefined, file: string | undefined): TerminalEntry[] {
  if (inline !== undefined && inline !== '' && file !== undefined) throw new GatewayError('INVALID_CONFIG', 'set JT808_TERMINALS or JT808_TERMINALS_FILE, not both');
  let text = inline ?? '[]';
  let source = 'JT808_TERMINALS';
  if (file !== undefined) {
    source = file;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new GatewayError('INVALID_CONFIG', `cannot read JT808_TERMINALS_FILE ${file}: ${(e as Error).message}`, { cause: e });
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text === '' ? '[]' : text);
  } catch (e) {
    throw new GatewayError('INVALID_CONFIG', `${source} is not JSON: ${(e as Error).message}`, { cause: e });
  }
  // Said plainly rather than as "unrecognized key": the entry was valid before codes were issued.
  if (Array.isArray(json)) {
    const legacy = json.findIndex((t) => typeof t === 'object' && t !== null && 'authCode' in t);
    if (legacy >= 0) throw new GatewayError('INVALID_CONFIG', `${source}: ${legacy}.authCode: fixed auth codes are no longer supported: ${codesAreIssuedAtRegistration}`);
  }
  const parsed = terminalsSchema.safeParse(json);
  if (!parsed.success) throw new GatewayError('INVALID_CONFIG', `${source}: ${issuesOf(parsed.error)}`);
  try {
    createTerminalRecords(parsed.data);
  } catch (e) {
    if (e instanceof TerminalRecordError) throw new GatewayError('INVALID_CONFIG', `${source}: ${e.message}`, { cause: e });
    throw e;
  }
  return parsed.data;
}

/**
 * Gateway configuration. The bus is read by @dgt/bus's own reader (`KAFKA_BROKERS`,
 * `KAFKA_CLIENT_ID`, `DGT_TOPIC_PREFIX`), so every service spells it the same way.
 */
export function readGatewayEnv(env: NodeJS.ProcessEnv = process.env): GatewayEnv {
  if (env.JT808_AUTH_SECRET !== undefined) throw new GatewayError('INVALID_CONFIG', `JT808_AUTH_SECRET is no longer used: ${codesAreIssuedAtRegistration}`);
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new GatewayError('INVALID_CONFIG', `invalid jt808 gateway configuration: ${issuesOf(parsed.error)}`);
  const e = parsed.data;
  const bus = readBusConfig(env);
  // Host names may hold characters an id may not; only what fits the rule is kept.
  const gatewayId = e.JT808_GATEWAY_ID ?? (hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64) || d.gatewayId);
  return {
    gateway: {
      host: e.JT808_HOST,
      port: e.JT808_PORT,
      positionsTopic: topicNames(bus.topics).positions,
      consignmentsTopic: topicNames(bus.topics).consignments,
      maxFrameBytes: e.JT808_MAX_FRAME_BYTES,
      framesPerSecond: e.JT808_FRAMES_PER_SECOND,
      frameBurst: e.JT808_FRAME_BURST,
      maxConsecutiveDecodeErrors: e.JT808_MAX_DECODE_ERRORS,
      idleTimeoutMs: e.JT808_IDLE_TIMEOUT_MS,
      authTimeoutMs: e.JT808_AUTH_TIMEOUT_MS,
      refuseCloseDelayMs: d.refuseCloseDelayMs,
      maxInFlightPerConnection: e.JT808_MAX_IN_FLIGHT,
      maxConnections: e.JT808_MAX_CONNECTIONS,
      publishBatchSize: e.JT808_PUBLISH_BATCH,
      publishLingerMs: e.JT808_PUBLISH_LINGER_MS,
      publishUnfixed: e.JT808_PUBLISH_UNFIXED === 'true' || e.JT808_PUBLISH_UNFIXED === '1',
      maxFutureSkewMs: e.JT808_MAX_FUTURE_SKEW_S * 1000,
      backfillWindowMs: e.JT808_BACKFILL_WINDOW_S * 1000,
      maxSubpackageParts: d.maxSubpackageParts,
      maxPendingSubpackages: d.maxPendingSubpackages,
      maxPendingSubpackageBytes: d.maxPendingSubpackageBytes,
      stateCheckMs: d.stateCheckMs,
      driverMessages: e.JT808_DRIVER_MESSAGES === 'true' || e.JT808_DRIVER_MESSAGES === '1',
      gatewayId,
      driverMessagesGroupId: e.JT808_MESSAGES_GROUP_ID ?? `dgt-jt808-gateway-${gatewayId}`,
      messageConnectTimeoutMs: e.JT808_MESSAGE_CONNECT_TIMEOUT_S * 1000,
      messageReplyTimeoutMs: e.JT808_MESSAGE_REPLY_TIMEOUT_S * 1000,
    },
    terminals: readTerminals(e.JT808_TERMINALS, e.JT808_TERMINALS_FILE),
    statePath: e.JT808_STATE_PATH,
    httpHost: e.JT808_HTTP_HOST,
    httpPort: e.JT808_HTTP_PORT,
    logLevel: e.LOG_LEVEL,
    bus,
    apiKeys: e.DGT_API_KEYS === undefined || e.DGT_API_KEYS === '' ? [] : parseApiKeys(e.DGT_API_KEYS),
  };
}
