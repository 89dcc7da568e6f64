import { mapContextFromGeoJson } from './mapContext.ts';
import type { DashboardPlace, DashboardRoad } from './routes/dashboard.ts';
import { CountyDataError, CountyIndex } from '@dgt/geo';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { type CasePolicy, CasePolicyError, type CasesConfig, CasesConfigError, defaultCasePolicy, resolveCasePolicy, resolveCasesConfig } from '@dgt/cases';
import { EvidenceKeyError, parseSigningKey, type SigningKey } from '@dgt/evidence';
import { readBusConfig, type BusConfig } from '@dgt/bus';
import { eventStoreConfigFromEnv, type EventStoreConfig } from '@dgt/eventstore';
import { ApiKeyConfigError, parseApiKeys, type ApiKeyEntry, type LogLevel } from '@dgt/http';
import { isReadModelError, readModelConfigFromEnv, resolveComplianceRules, type ComplianceRules, type ReadModelConfig } from '@dgt/readmodels';
import { z } from 'zod';
import type { AlertHubSettings } from './alerts/alertHub.ts';
import { type DriverMessagePolicy, DriverMessagePolicyError, driverMessagePolicyOf } from './driverMessages/policyConfig.ts';
import { parseSafetyCodeSecrets, SafetyCodeKeyConfigError, type SafetyCodeSecrets } from './safetyCodes/safetyCodeKeys.ts';

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
  /**
   * Signed links to audit pages (API_REPORT_LINK_SECRET, API_REPORT_LINK_TTL_S). Without a secret
   * each API process makes its own: links then open only on the instance that made them, until it
   * restarts. Set one secret for every instance behind a load balancer.
   */
  readonly reportLinks?: { readonly secret: Uint8Array | null; readonly ttlMs: number };
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
  /**
   * The tiles' datum (DGT_DASHBOARD_TILE_DATUM, default wgs84): gcj02 for Amap/Tencent-style tiles,
   * which the desk then projects its WGS-84 data onto; and their attribution (DGT_DASHBOARD_TILE_ATTRIBUTION).
   */
  readonly dashboardTileDatum?: 'wgs84' | 'gcj02';
  readonly dashboardTileAttribution?: string;
  /** JT/T 809 gateways whose links the desk shows (API_JT809_LINKS_URLS); absent = none configured. */
  readonly platformLinks?: PlatformLinksConfig;
  /** Case attachments and archived evidence, files named by SHA-256 (API_CASES_CONTENT_DIR); absent = in memory, lost on restart. */
  readonly casesContentDir?: string;
  /**
   * A SQLite file the API writes its case list to (API_CASES_DB_PATH): a restart then reads only
   * the case events recorded since. Absent = the list is rebuilt in memory at each start (the
   * projector's file is opened read-only, so the API cannot keep cases there).
   */
  readonly casesDbPath?: string;
  /** The bureau's evidence key (DGT_EVIDENCE_SIGNING_KEY or _FILE): signs evidence packs; absent = no packs are served. */
  readonly evidenceSigningKey?: SigningKey | null;
  /** Signs the safety codes (一企一品一码) printed on packages and vehicles (API_SAFETY_CODE_KEY); absent or null = the code routes answer 503. */
  readonly safetyCodeSecrets?: SafetyCodeSecrets | null;
  /** The public address phones reach the scan page at (API_PUBLIC_BASE_URL), in labels the API draws; absent = the address each request came to. */
  readonly publicBaseUrl?: string;
  /** The font PNG labels are drawn with (API_LABEL_FONT); absent = one with Chinese glyphs is looked for on the machine. */
  readonly labelFontFile?: string;
  /** Cases opened by policy (API_CASE_POLICY: off | default | a JSON policy; or API_CASE_POLICY_FILE); absent or null = off. */
  readonly casePolicy?: CasePolicy | null;
  /** Tell a driver parked illegally the nearest dedicated lot (API_DRIVER_MESSAGE_POLICY: off | on | JSON); absent or null = off. */
  readonly driverMessagePolicy?: DriverMessagePolicy | null;
  /**
   * How points are kept (API_CASES_CONFIG: JSON, or API_CASES_CONFIG_FILE): how long they count
   * (`pointsValidityMonths`, 12) and where standing turns yellow and red (`standing`, 6 and 12);
   * absent = the library's defaults. Disposals, ledgers and compliance all read it.
   */
  readonly casesConfig?: CasesConfig;
  /**
   * County-level boundaries (API_COUNTIES_FILE: a GeoJSON FeatureCollection as
   * seeds/taizhou/counties.json): each case gets the county its violation took place in, and the
   * case list filters by it. Absent = cases have no county.
   */
  readonly counties?: CountyIndex;
  /** The same boundaries as GeoJSON text, served to the desk's map (`/map/counties.json`). */
  readonly countyBoundaries?: string;
  /** Roads and places drawn on the desk's plain background (API_ROADS_FILE: GeoJSON lines and points with a name, as seeds/taizhou/roads.json). */
  readonly roads?: readonly DashboardRoad[];
  readonly places?: readonly DashboardPlace[];
  readonly logLevel: LogLevel;
}

export interface PlatformLinksConfig {
  /** Ops server base URLs of the gateways (`http://gw:9466`); GET <url>/links is asked. */
  readonly urls: readonly string[];
  /** An API key of the gateways' ops servers (role metrics or bureau). */
  readonly apiKey: string;
  readonly timeoutMs: number;
}

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const schema = z.object({
  API_PORT: int(8080, 0, 65_535),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_AUDIT_REPORTS_KEPT: int(200, 1, 100_000),
  API_REPORT_LINK_SECRET: z.string().optional(),
  API_REPORT_LINK_TTL_S: int(900, 10, 86_400),
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
  API_JT809_LINKS_URLS: z.string().optional(),
  API_JT809_LINKS_KEY: z.string().optional(),
  API_JT809_LINKS_TIMEOUT_MS: int(2_000, 100, 60_000),
  API_CASES_CONTENT_DIR: z.string().min(1).optional(),
  API_CASES_DB_PATH: z.string().min(1).optional(),
  DGT_EVIDENCE_SIGNING_KEY: z.string().optional(),
  DGT_EVIDENCE_SIGNING_KEY_FILE: z.string().min(1).optional(),
  API_SAFETY_CODE_KEY: z.string().optional(),
  // A base address only: a query, a fragment or credentials would end up in every printed QR code.
  API_PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL, e.g. https://dgt.example.gov.cn' })
    .refine((text) => {
      // zod runs this even when the URL check failed: that one has said what is wrong.
      if (!URL.canParse(text)) return true;
      const url = new URL(text);
      return url.search === '' && url.hash === '' && url.username === '' && url.password === '';
    }, 'must be a base address without query, fragment or credentials')
    .optional(),
  API_LABEL_FONT: z.string().min(1).optional(),
  API_CASE_POLICY: z.string().optional(),
  API_CASE_POLICY_FILE: z.string().min(1).optional(),
  API_DRIVER_MESSAGE_POLICY: z.string().optional(),
  API_CASES_CONFIG: z.string().optional(),
  API_CASES_CONFIG_FILE: z.string().min(1).optional(),
  API_COUNTIES_FILE: z.string().min(1).optional(),
  API_ROADS_FILE: z.string().min(1).optional(),
  DGT_DASHBOARD_TILE_DATUM: z.enum(['wgs84', 'gcj02']).default('wgs84'),
  DGT_DASHBOARD_TILE_ATTRIBUTION: z.string().max(300).optional(),
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

/** API_JT809_LINKS_URLS: comma-separated http(s) base URLs without credentials, each named when wrong. */
function platformLinks(urls: string | undefined, apiKey: string | undefined, timeoutMs: number): PlatformLinksConfig | undefined {
  const list = (urls ?? '').split(',').map((u) => u.trim()).filter((u) => u !== '');
  if (list.length === 0) return undefined;
  for (const [i, u] of list.entries()) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new ApiConfigError(`API_JT809_LINKS_URLS[${i}]: not a URL (expected e.g. http://jt809-gateway:9466)`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ApiConfigError(`API_JT809_LINKS_URLS[${i}]: must be http or https`);
    // The URL is shown on the desk as the gateway's name: the key goes in API_JT809_LINKS_KEY, never in it.
    if (parsed.username !== '' || parsed.password !== '') throw new ApiConfigError(`API_JT809_LINKS_URLS[${i}]: must not carry credentials; put the key in API_JT809_LINKS_KEY`);
    if (parsed.search !== '' || parsed.hash !== '') throw new ApiConfigError(`API_JT809_LINKS_URLS[${i}]: a base URL without query or fragment (GET <url>/links is asked)`);
  }
  if (apiKey === undefined || apiKey.trim() === '') throw new ApiConfigError('API_JT809_LINKS_KEY is required with API_JT809_LINKS_URLS: an API key of the gateways\' ops servers (role metrics or bureau)');
  return { urls: list, apiKey: apiKey.trim(), timeoutMs };
}

/** DGT_EVIDENCE_SIGNING_KEY (PEM or base64 DER of an Ed25519 private key) or _FILE (a file holding one). */
function evidenceKey(inline: string | undefined, file: string | undefined): SigningKey | null {
  if (inline !== undefined && inline.trim() !== '' && file !== undefined) throw new ApiConfigError('set DGT_EVIDENCE_SIGNING_KEY or DGT_EVIDENCE_SIGNING_KEY_FILE, not both');
  let text = inline;
  let field = 'DGT_EVIDENCE_SIGNING_KEY';
  if (file !== undefined) {
    field = `DGT_EVIDENCE_SIGNING_KEY_FILE ${file}`;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ApiConfigError(`DGT_EVIDENCE_SIGNING_KEY_FILE: cannot read ${file} (${(error as Error).message})`);
    }
  }
  if (text === undefined || text.trim() === '') return null;
  try {
    return parseSigningKey(text, field);
  } catch (error) {
    if (error instanceof EvidenceKeyError) throw new ApiConfigError(error.message);
    throw error;
  }
}

function driverMessagePolicy(text: string | undefined): DriverMessagePolicy | null {
  try {
    return driverMessagePolicyOf(text);
  } catch (error) {
    if (error instanceof DriverMessagePolicyError) throw new ApiConfigError(`API_DRIVER_MESSAGE_POLICY: ${error.message}`);
    throw error;
  }
}

/** API_CASE_POLICY: `off` (default), `default` (the library's: parking ≥ 30 min, any restricted entry) or a JSON policy; API_CASE_POLICY_FILE: a JSON file. */
function casePolicyOf(inline: string | undefined, file: string | undefined): CasePolicy | null {
  if (inline !== undefined && inline.trim() !== '' && file !== undefined) throw new ApiConfigError('set API_CASE_POLICY or API_CASE_POLICY_FILE, not both');
  let text = inline?.trim() ?? '';
  let source = 'API_CASE_POLICY';
  if (file !== undefined) {
    source = `API_CASE_POLICY_FILE ${file}`;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ApiConfigError(`API_CASE_POLICY_FILE: cannot read ${file} (${(error as Error).message})`);
    }
  }
  if (text === '' || text === 'off') return null;
  if (text === 'default') return defaultCasePolicy;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ApiConfigError(`${source}: not JSON (${(error as Error).message}); use off, default, or a policy like {"rules":[{"name":"parking-30min","kind":"illegal-parking","minDurationS":1800}]}`);
  }
  try {
    return resolveCasePolicy(json);
  } catch (error) {
    if (error instanceof CasePolicyError) throw new ApiConfigError(`${source}: ${error.message}`);
    throw error;
  }
}

/** API_CASES_CONFIG: a JSON cases config (`{"pointsValidityMonths":12,"standing":{"yellow":6,"red":12}}`, any key may be left out); API_CASES_CONFIG_FILE: a JSON file. */
function casesConfigOf(inline: string | undefined, file: string | undefined): CasesConfig {
  if (inline !== undefined && inline.trim() !== '' && file !== undefined) throw new ApiConfigError('set API_CASES_CONFIG or API_CASES_CONFIG_FILE, not both');
  let text = inline?.trim() ?? '';
  let source = 'API_CASES_CONFIG';
  if (file !== undefined) {
    source = `API_CASES_CONFIG_FILE ${file}`;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ApiConfigError(`API_CASES_CONFIG_FILE: cannot read ${file} (${(error as Error).message})`);
    }
  }
  if (text.trim() === '') return resolveCasesConfig({});
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ApiConfigError(`${source}: not JSON (${(error as Error).message}); e.g. {"pointsValidityMonths":12,"standing":{"yellow":6,"red":12}}`);
  }
  try {
    return resolveCasesConfig(json);
  } catch (error) {
    if (error instanceof CasesConfigError) throw new ApiConfigError(`${source}: ${error.message}`);
    throw error;
  }
}

/** API_COUNTIES_FILE: county boundaries, read and checked once at start (a bad file stops the API with its reason). */
function countiesOf(file: string): { counties: CountyIndex; countyBoundaries: string } {
  let text: string;
  let json: unknown;
  try {
    text = readFileSync(file, 'utf8');
    json = JSON.parse(text);
  } catch (error) {
    throw new ApiConfigError(`API_COUNTIES_FILE: cannot read ${file} as JSON (${(error as Error).message})`);
  }
  try {
    return { counties: new CountyIndex(json), countyBoundaries: text };
  } catch (error) {
    if (error instanceof CountyDataError) throw new ApiConfigError(`API_COUNTIES_FILE ${file}: ${error.message}`);
    throw error;
  }
}

/** API_ROADS_FILE: roads and places for the desk's map, checked once at start. */
function mapContextOf(file: string): { roads: DashboardRoad[]; places: DashboardPlace[] } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ApiConfigError(`API_ROADS_FILE: cannot read ${file} as JSON (${(error as Error).message})`);
  }
  try {
    return mapContextFromGeoJson(json);
  } catch (error) {
    throw new ApiConfigError(`API_ROADS_FILE ${file}: ${(error as Error).message}`);
  }
}

/** API_SAFETY_CODE_KEY: see parseSafetyCodeSecrets. */
function safetyCodeSecretsOf(text: string | undefined): SafetyCodeSecrets | null {
  try {
    return parseSafetyCodeSecrets(text);
  } catch (error) {
    if (error instanceof SafetyCodeKeyConfigError) throw new ApiConfigError(error.message);
    throw error;
  }
}

/** API_REPORT_LINK_SECRET: at least 32 random bytes, as hex or base64 (e.g. `openssl rand -base64 32`). */
function reportLinkSecret(text: string | undefined): Uint8Array | null {
  if (text === undefined || text.trim() === '') return null;
  const t = text.trim();
  const bytes = /^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0 ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/_-]+={0,2}$/.test(t) ? Buffer.from(t, 'base64') : null;
  if (bytes === null) throw new ApiConfigError('API_REPORT_LINK_SECRET: must be hex or base64 (e.g. openssl rand -base64 32)');
  if (bytes.length < 32) throw new ApiConfigError(`API_REPORT_LINK_SECRET: must be at least 32 bytes, got ${bytes.length}`);
  return new Uint8Array(bytes);
}

/** The only place the API reads the environment; throws a readable ApiConfigError. */
export function readApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ApiConfigError(`invalid API configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const e = parsed.data;
  const links = platformLinks(e.API_JT809_LINKS_URLS, e.API_JT809_LINKS_KEY, e.API_JT809_LINKS_TIMEOUT_MS);
  return {
    port: e.API_PORT,
    host: e.API_HOST,
    apiKeys: apiKeys(env.DGT_API_KEYS),
    eventStore: eventStoreConfigFromEnv(env),
    readModels: readModels(env),
    bus: readBusConfig(env),
    auditReportsKept: e.API_AUDIT_REPORTS_KEPT,
    reportLinks: { secret: reportLinkSecret(e.API_REPORT_LINK_SECRET), ttlMs: e.API_REPORT_LINK_TTL_S * 1000 },
    audits: { running: e.API_AUDITS_RUNNING, queued: e.API_AUDITS_QUEUED },
    rateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
    // Every API instance needs every alert: its own consumer group unless told otherwise.
    alerts: { groupId: e.API_ALERTS_GROUP_ID ?? `dgt-api-alerts-${hostname()}-${process.pid}`, ringSize: e.API_ALERTS_RING_SIZE, clientQueueMax: e.API_SSE_CLIENT_QUEUE_MAX, heartbeatMs: e.API_SSE_HEARTBEAT_MS },
    fleetCacheFreshMs: e.API_FLEET_CACHE_FRESH_MS,
    complianceRules: complianceRules(e.DGT_COMPLIANCE_RULES),
    dashboardTileUrl: e.DGT_DASHBOARD_TILE_URL ?? null,
    dashboardTileDatum: e.DGT_DASHBOARD_TILE_DATUM,
    ...(e.DGT_DASHBOARD_TILE_ATTRIBUTION === undefined ? {} : { dashboardTileAttribution: e.DGT_DASHBOARD_TILE_ATTRIBUTION }),
    ...(links === undefined ? {} : { platformLinks: links }),
    ...(e.API_CASES_CONTENT_DIR === undefined ? {} : { casesContentDir: e.API_CASES_CONTENT_DIR }),
    ...(e.API_CASES_DB_PATH === undefined ? {} : { casesDbPath: e.API_CASES_DB_PATH }),
    evidenceSigningKey: evidenceKey(e.DGT_EVIDENCE_SIGNING_KEY, e.DGT_EVIDENCE_SIGNING_KEY_FILE),
    safetyCodeSecrets: safetyCodeSecretsOf(e.API_SAFETY_CODE_KEY),
    ...(e.API_PUBLIC_BASE_URL === undefined ? {} : { publicBaseUrl: e.API_PUBLIC_BASE_URL.replace(/\/+$/, '') }),
    ...(e.API_LABEL_FONT === undefined ? {} : { labelFontFile: e.API_LABEL_FONT }),
    casePolicy: casePolicyOf(e.API_CASE_POLICY, e.API_CASE_POLICY_FILE),
    driverMessagePolicy: driverMessagePolicy(e.API_DRIVER_MESSAGE_POLICY),
    casesConfig: casesConfigOf(e.API_CASES_CONFIG, e.API_CASES_CONFIG_FILE),
    ...(e.API_COUNTIES_FILE === undefined ? {} : countiesOf(e.API_COUNTIES_FILE)),
    ...(e.API_ROADS_FILE === undefined ? {} : mapContextOf(e.API_ROADS_FILE)),
    logLevel: e.API_LOG_LEVEL,
  };
}
