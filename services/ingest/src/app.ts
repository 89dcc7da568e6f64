import { topicNames, topicSpecs, type Bus, type TopicNames, type TopicSpec } from '@dgt/bus';
import { buildServiceApp, type ServiceApp } from '@dgt/http';
import { Registry } from 'prom-client';
import { busReadiness } from './busReadiness.ts';
import type { IngestConfig } from './env.ts';
import { ingestPipelinePlugin } from './ingestPipelinePlugin.ts';
import { postEventsRoute } from './routes/postEvents.ts';

export interface IngestAppOptions {
  readonly config: IngestConfig;
  /** Owned by the caller: the app closes its producer, never the bus. */
  readonly bus: Bus;
  readonly registry?: Registry;
  /** Default true; tests building many apps turn process metrics off. */
  readonly defaultMetrics?: boolean;
}

/** The topics the gateway publishes to (and checks for readiness). */
export function ingestTopics(config: IngestConfig): { names: TopicNames; specs: TopicSpec[] } {
  const names = topicNames(config.bus.topics);
  const wanted = new Set([names.positions, names.consignments, names.zones]);
  return { names, specs: topicSpecs(names).filter((s) => wanted.has(s.topic)) };
}

/** The ingest gateway as a fastify app, ready for `inject` or `listen`. */
export async function buildIngestApp({ config, bus, registry = new Registry(), defaultMetrics }: IngestAppOptions): Promise<ServiceApp> {
  const { names, specs } = ingestTopics(config);
  const app = await buildServiceApp({
    name: 'ingest',
    apiKeys: config.apiKeys,
    registry,
    logLevel: config.logLevel,
    bodyLimit: config.bodyLimitBytes,
    ready: busReadiness(bus, specs),
    readyTimeoutMs: config.readyTimeoutMs,
    ...(defaultMetrics === undefined ? {} : { defaultMetrics }),
  });
  await app.register(ingestPipelinePlugin, { bus, topics: names, registry, publishTimeoutMs: config.publishTimeoutMs });
  await app.register(postEventsRoute, { maxBatch: config.maxBatch });
  return app;
}
