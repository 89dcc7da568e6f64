import { readFileSync } from 'node:fs';
import { readBusConfig, topicNames, type BusConfig } from '@dgt/bus';
import { parseApiKeys, type ApiKeyEntry } from '@dgt/http';
import { z } from 'zod';
import { GatewayError } from '@dgt/jt808-gateway';
import type { Jt809GatewayConfig } from './gatewayConfig.ts';
import { defaultGatewayConfig } from './gatewayConfig.ts';
import type { PlatformAccountEntry } from './platformAccounts.ts';
import { PlatformAccountError, createPlatformAccounts } from './platformAccounts.ts';
import type { VehicleEntry } from './vehicleRegister.ts';
import { VehicleRegisterError, createVehicleRegister } from './vehicleRegister.ts';

const d = defaultGatewayConfig;
const int = (min: number, max: number, def: number) => z.coerce.number().int().min(min).max(max).default(def);

const schema = z.object({
  JT809_HOST: z.string().trim().min(1).default(d.host),
  JT809_PORT: int(0, 65535, d.port),
  /** 0 disables the metrics/health endpoint. */
  JT809_HTTP_PORT: int(0, 65535, 9466),
  JT809_HTTP_HOST: z.string().trim().min(1).default('127.0.0.1'),
  JT809_PLATFORMS: z.string().trim().optional(),
  JT809_PLATFORMS_FILE: z.string().trim().min(1).optional(),
  JT809_VEHICLES: z.string().trim().optional(),
  JT809_VEHICLES_FILE: z.string().trim().min(1).optional(),
  /** The projector's readmodels.sqlite (opened read-only): the live register, when no vehicles are configured. */
  DGT_READMODELS_PATH: z.string().trim().min(1).optional(),
  JT809_REGISTER_REFRESH_MS: int(100, 600_000, 2_000),
  JT809_MAX_FUTURE_SKEW_S: int(0, 86_400, d.maxFutureSkewMs / 1000),
  JT809_BACKFILL_WINDOW_S: int(60, 366 * 86_400, d.backfillWindowMs / 1000),
  JT809_MAX_FRAME_BYTES: int(64, 1 << 20, d.maxFrameBytes),
  JT809_FRAMES_PER_SECOND: int(1, 1_000_000, d.framesPerSecond),
  JT809_FRAME_BURST: int(1, 10_000_000, d.frameBurst),
  JT809_MAX_DECODE_ERRORS: int(1, 1000, d.maxConsecutiveDecodeErrors),
  JT809_IDLE_TIMEOUT_MS: int(1000, 86_400_000, d.idleTimeoutMs),
  JT809_LOGIN_TIMEOUT_MS: int(1000, 3_600_000, d.loginTimeoutMs),
  JT809_MAX_IN_FLIGHT: int(1, 100_000, d.maxInFlightPerConnection),
  JT809_MAX_CONNECTIONS: int(1, 100_000, d.maxConnections),
  JT809_PUBLISH_BATCH: int(1, 100_000, d.publishBatchSize),
  JT809_PUBLISH_LINGER_MS: int(0, 1000, d.publishLingerMs),
  JT809_PUBLISH_UNFIXED: z.enum(['true', 'false', '1', '0']).default(d.publishUnfixed ? 'true' : 'false'),
  JT809_DOWN_HEARTBEAT_S: int(5, 3600, d.downLinkHeartbeatMs / 1000),
  JT809_DOWN_GRACE_S: int(0, 86_400, d.downLinkGraceMs / 1000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  DGT_API_KEYS: z.string().trim().optional(),
});

export interface GatewayEnv {
  readonly gateway: Jt809GatewayConfig;
  readonly platforms: readonly PlatformAccountEntry[];
  /** A fixed register (JT809_VEHICLES / _FILE); empty when the live one is used. */
  readonly vehicles: readonly VehicleEntry[];
  /** The live register's source: the projector's read models (DGT_READMODELS_PATH), when no fixed register is configured. */
  readonly readModelsPath: string | undefined;
  readonly registerRefreshMs: number;
  readonly httpHost: string;
  readonly httpPort: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly bus: BusConfig;
  readonly apiKeys: readonly ApiKeyEntry[];
}

const vehiclesSchema = z.array(
  z.strictObject({
    vehicleId: z.string().trim().min(1).max(128),
    plateNo: z.string().trim().min(1).max(32),
    carrierId: z.string().trim().min(1).max(128),
    terminalPhone: z.string().regex(/^\d{1,20}$/, 'must be 1–20 digits').optional(),
  }),
);

function issuesOf(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

function readJsonList(name: string, inline: string | undefined, file: string | undefined): { json: unknown; source: string } {
  if (inline !== undefined && inline !== '' && file !== undefined) throw new GatewayError('INVALID_CONFIG', `set ${name} or ${name}_FILE, not both`);
  let text = inline ?? '[]';
  let source = name;
  if (file !== undefined) {
    source = file;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new GatewayError('INVALID_CONFIG', `cannot read ${name}_FILE ${file}: ${(e as Error).message}`, { cause: e });
    }
  }
  try {
    return { json: JSON.parse(text === '' ? '[]' : text), source };
  } catch (e) {
    throw new GatewayError('INVALID_CONFIG', `${source} is not JSON: ${(e as Error).message}`, { cause: e });
  }
}

function readPlatforms(inline: string | undefined, file: string | undefined): PlatformAccountEntry[] {
  const { json, source } = readJsonList('JT809_PLATFORMS', inline, file);
  if (!Array.isArray(json)) throw new GatewayError('INVALID_CONFIG', `${source}: must be a JSON array of platforms`);
  const legacy = json.findIndex((p) => typeof p === 'object' && p !== null && 'password' in p);
  if (legacy >= 0) throw new GatewayError('INVALID_CONFIG', `${source}: ${legacy}.password: configure passwordSha256 (the SHA-256 hex of the password), never the password itself`);
  try {
    createPlatformAccounts(json as PlatformAccountEntry[]);
  } catch (e) {
    if (e instanceof PlatformAccountError) throw new GatewayError('INVALID_CONFIG', `${source}: ${e.message}`, { cause: e });
    throw e;
  }
  return json as PlatformAccountEntry[];
}

function readVehicles(inline: string | undefined, file: string | undefined): VehicleEntry[] {
  const { json, source } = readJsonList('JT809_VEHICLES', inline, file);
  const parsed = vehiclesSchema.safeParse(json);
  if (!parsed.success) throw new GatewayError('INVALID_CONFIG', `${source}: ${issuesOf(parsed.error)}`);
  try {
    createVehicleRegister(parsed.data);
  } catch (e) {
    if (e instanceof VehicleRegisterError) throw new GatewayError('INVALID_CONFIG', `${source}: ${e.message}`, { cause: e });
    throw e;
  }
  return parsed.data;
}

/** Gateway configuration, read and checked once. The bus is @dgt/bus's (`KAFKA_BROKERS`, `DGT_TOPIC_PREFIX`). */
export function readGatewayEnv(env: NodeJS.ProcessEnv = process.env): GatewayEnv {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new GatewayError('INVALID_CONFIG', `invalid jt809 gateway configuration: ${issuesOf(parsed.error)}`);
  const e = parsed.data;
  const bus = readBusConfig(env);
  const topics = topicNames(bus.topics);
  const fixedRegister = (e.JT809_VEHICLES !== undefined && e.JT809_VEHICLES !== '') || e.JT809_VEHICLES_FILE !== undefined;
  if (fixedRegister && e.DGT_READMODELS_PATH !== undefined) {
    throw new GatewayError('INVALID_CONFIG', 'set DGT_READMODELS_PATH (the live register) or JT809_VEHICLES / JT809_VEHICLES_FILE (a fixed one), not both');
  }
  return {
    gateway: {
      host: e.JT809_HOST,
      port: e.JT809_PORT,
      positionsTopic: topics.positions,
      platformEventsTopic: topics.consignments,
      maxFrameBytes: e.JT809_MAX_FRAME_BYTES,
      framesPerSecond: e.JT809_FRAMES_PER_SECOND,
      frameBurst: e.JT809_FRAME_BURST,
      maxConsecutiveDecodeErrors: e.JT809_MAX_DECODE_ERRORS,
      idleTimeoutMs: e.JT809_IDLE_TIMEOUT_MS,
      loginTimeoutMs: e.JT809_LOGIN_TIMEOUT_MS,
      refuseCloseDelayMs: d.refuseCloseDelayMs,
      maxInFlightPerConnection: e.JT809_MAX_IN_FLIGHT,
      maxConnections: e.JT809_MAX_CONNECTIONS,
      publishBatchSize: e.JT809_PUBLISH_BATCH,
      publishLingerMs: e.JT809_PUBLISH_LINGER_MS,
      publishUnfixed: e.JT809_PUBLISH_UNFIXED === 'true' || e.JT809_PUBLISH_UNFIXED === '1',
      maxFutureSkewMs: e.JT809_MAX_FUTURE_SKEW_S * 1000,
      backfillWindowMs: e.JT809_BACKFILL_WINDOW_S * 1000,
      downLinkHeartbeatMs: e.JT809_DOWN_HEARTBEAT_S * 1000,
      downLinkReplyTimeoutMs: d.downLinkReplyTimeoutMs,
      downLinkRetryMinMs: d.downLinkRetryMinMs,
      downLinkRetryMaxMs: d.downLinkRetryMaxMs,
      downLinkGraceMs: e.JT809_DOWN_GRACE_S * 1000,
    },
    platforms: readPlatforms(e.JT809_PLATFORMS, e.JT809_PLATFORMS_FILE),
    vehicles: readVehicles(e.JT809_VEHICLES, e.JT809_VEHICLES_FILE),
    readModelsPath: e.DGT_READMODELS_PATH,
    registerRefreshMs: e.JT809_REGISTER_REFRESH_MS,
    httpHost: e.JT809_HTTP_HOST,
    httpPort: e.JT809_HTTP_PORT,
    logLevel: e.LOG_LEVEL,
    bus,
    apiKeys: e.DGT_API_KEYS === undefined || e.DGT_API_KEYS === '' ? [] : parseApiKeys(e.DGT_API_KEYS),
  };
}
