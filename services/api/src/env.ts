import { hostname } from 'node:os';
import { readBusConfig, type BusConfig } from '@dgt/bus';
import { eventStoreConfigFromEnv, type EventStoreConfig } from '@dgt/eventstore';
import { ApiKeyConfigError, parseApiKeys, type ApiKeyEntry, type LogLevel } from '@dgt/http';
import { isReadModelError, readModelConfigFromEnv, resolveComplianceRules, type ComplianceRules, type ReadModelConfig } from '@dgt/readmodels';
import { z } from 'zod';
import type { AlertHubSettings } from './alerts/alertHub.ts';

export interface ApiConfig {
  readonly port: number;
  readonly host: string;
  readonly apiKeys: readonly ApiKeyEntry[];
  readonly eventStore: EventStoreConfig;
  /** The projector's store; a SQLite file is opened read-only. */
  readonly readModels: ReadModelConfig;
  readonly bus: BusConfig;
  /** Audit reports kept in memory for GET /v1/audits/:id/report.html. */
  readonly auditReportsKept: number;
  /** Audits replaying at once (each in its own worker thread), and audits waiting for a turn; beyond, 503. */
  readonly audits: { readonly running: number; readonly queued: number };
  /** Requests per minute per API key (per IP without one) on the /v1 routes. */
  readonly rateLimitPerMinute: number;
  readonly alerts: AlertHubSettings & { readonly groupId: string };
  /** How long a serialised fleet page is served without asking the store whether it changed. */
  readonly fleetCacheFreshMs: number;
  readonly complianceRules: ComplianceRules;
  /** Map tiles for the dashboard; null = no tile server (plain background with zone outlines). */
  readonly dashboardTileUrl: string | null;
  readonly logLevel: LogLevel;
}

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const schema = z.object({
  API_PORT: int(8080, 0, 65_535),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_AUDIT_REPORTS_KEPT: int(200, 1, 100_000),
  // One at a time by default: a whole-store replay takes a core for seconds, and the API, ingest
  // and projector of `npm start` share the machine.
  API_AUDITS_RUNNING: int(1, 1, 64),
  API_AUDITS_QUEUED: int(4, 0, 1000),
  API_RATE_LIMIT_PER_MINUTE: int(6000, 1, 100_000_000),
  API_ALERTS_GROUP_ID: z.string().min(1).max(200).optional(),
  API_ALERTS_RING_SIZE: int(1000, 1, 1_000_000),
  API_SSE_CLIENT_QUEUE_MAX: int(1000, 1, 1_000_000),
  API_SSE_HEARTBEAT_MS: int(15_000, 100, 3_600_000),
  API_FLEET_CACHE_FRESH_MS: int(250, 0, 60_000),
  API_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DGT_COMPLIANCE_RULES: z.string().optional(),
  DGT_DASHBOARD_TILE_URL: z.string().regex(/^https?:\/\//, 'must be an http(s) URL template, e.g. https://tiles.example/{z}/{x}/{y}.png').optional(),
});

export class ApiConfigError extends Error {
  override readonly name = 'ApiConfigError';
  readonly code = 'CONFIG_INVALID';
}

function complianceRules(json: string | undefined): ComplianceRules {
  if (json === undefined || json.trim() === '') return resolveComplianceRules();
  try {
    return resolveComplianceRules(JSON.parse(json) as Partial<ComplianceRules>);
  } catch (error) {
    if (error instanceof SyntaxError || isReadModelError(error)) throw new ApiConfigError(`DGT_COMPLIANCE_RULES: ${error.message}`);
    throw error;
  }
}

function readModels(env: NodeJS.ProcessEnv): ReadModelConfig {
  try {
    return readModelConfigFromEnv(env);
  } catch (error) {
    if (isReadModelError(error)) throw new ApiConfigError(error.message);
    throw error;
  }
}

function apiKeys(text: string | undefined): ApiKeyEntry[] {
  if (!text) throw new ApiConfigError('DGT_API_KEYS is required: a JSON array of {"id","role","sha256"} (see libs/http/README.md)');
  try {
    return parseApiKeys(text);
  } catch (error) {
    if (error instanceof ApiKeyConfigError) throw new ApiConfigError(error.message);
    throw error;
  }
}

/** The only place the API reads the environment; throws a readable ApiConfigError. */
export function readApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ApiConfigError(`invalid API configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.API_PORT,
    host: e.API_HOST,
    apiKeys: apiKeys(env.DGT_API_KEYS),
    eventStore: eventStoreConfigFromEnv(env),
    readModels: readModels(env),
    bus: readBusConfig(env),
    auditReportsKept: e.API_AUDIT_REPORTS_KEPT,
    audits: { running: e.API_AUDITS_RUNNING, queued: e.API_AUDITS_QUEUED },
    rateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
    // Every API instance needs every alert: its own consumer group unless told otherwise.
    alerts: { groupId: e.API_ALERTS_GROUP_ID ?? `dgt-api-alerts-${hostname()}-${process.pid}`, ringSize: e.API_ALERTS_RING_SIZE, clientQueueMax: e.API_SSE_CLIENT_QUEUE_MAX, heartbeatMs: e.API_SSE_HEARTBEAT_MS },
    fleetCacheFreshMs: e.API_FLEET_CACHE_FRESH_MS,
    complianceRules: complianceRules(e.DGT_COMPLIANCE_RULES),
    dashboardTileUrl: e.DGT_DASHBOARD_TILE_URL ?? null,
    logLevel: e.API_LOG_LEVEL,
  };
}
