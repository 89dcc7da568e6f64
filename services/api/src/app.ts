import type { EventStore } from '@dgt/eventstore';
import { buildServiceApp, type ServiceApp } from '@dgt/http';
import { Registry } from 'prom-client';
import type { ApiConfig } from './env.ts';
import { ReportArchive } from './reportArchive.ts';
import { auditRoutes } from './routes/audits.ts';

export interface ApiAppOptions {
  readonly config: ApiConfig;
  /** Owned by the caller: the app never closes it. */
  readonly store: EventStore;
  readonly registry?: Registry;
  readonly defaultMetrics?: boolean;
  /** Wall clock for audit records (tests pin it). */
  readonly now?: () => Date;
}

/**
 * The query API as a fastify app, ready for `inject` or `listen`. Each area registers its routes
 * from its own plugin under routes/ (audits today; fleet, violations and dashboard to come).
 */
export async function buildApiApp({ config, store, registry = new Registry(), defaultMetrics, now = () => new Date() }: ApiAppOptions): Promise<ServiceApp> {
  const app = await buildServiceApp({
    name: 'api',
    apiKeys: config.apiKeys,
    registry,
    logLevel: config.logLevel,
    ready: async () => ({ eventStore: { ok: true } }),
    ...(defaultMetrics === undefined ? {} : { defaultMetrics }),
  });
  await app.register(auditRoutes, { store, archive: new ReportArchive(config.auditReportsKept), now });
  return app;
}
