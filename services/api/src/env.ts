import { eventStoreConfigFromEnv, type EventStoreConfig } from '@dgt/eventstore';
import { ApiKeyConfigError, parseApiKeys, type ApiKeyEntry, type LogLevel } from '@dgt/http';
import { z } from 'zod';

export interface ApiConfig {
  readonly port: number;
  readonly host: string;
  readonly apiKeys: readonly ApiKeyEntry[];
  readonly eventStore: EventStoreConfig;
  /** Audit reports kept in memory for GET /v1/audits/:id/report.html. */
  readonly auditReportsKept: number;
  readonly logLevel: LogLevel;
}

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const schema = z.object({
  API_PORT: int(8080, 0, 65_535),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_AUDIT_REPORTS_KEPT: int(200, 1, 100_000),
  API_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export class ApiConfigError extends Error {
  override readonly name = 'ApiConfigError';
  readonly code = 'CONFIG_INVALID';
}

/** The only place the API reads the environment; throws a readable ApiConfigError. */
export function readApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ApiConfigError(`invalid API configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  if (!env.DGT_API_KEYS) throw new ApiConfigError('DGT_API_KEYS is required: a JSON array of {"id","role","sha256"} (see libs/http/README.md)');
  let apiKeys: ApiKeyEntry[];
  try {
    apiKeys = parseApiKeys(env.DGT_API_KEYS);
  } catch (error) {
    if (error instanceof ApiKeyConfigError) throw new ApiConfigError(error.message);
    throw error;
  }
  const e = parsed.data;
  return { port: e.API_PORT, host: e.API_HOST, apiKeys, eventStore: eventStoreConfigFromEnv(env), auditReportsKept: e.API_AUDIT_REPORTS_KEPT, logLevel: e.API_LOG_LEVEL };
}
