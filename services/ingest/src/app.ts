import { topicNames, topicSpecs, type Bus, type TopicNames, type TopicSpec } from '@dgt/bus';
import { openSqliteEventLookup } from '@dgt/eventstore';
import { bodyAdmissionPlugin, buildServiceApp, type ServiceApp } from '@dgt/http';
import { Registry } from 'prom-client';
import { busReadiness } from './busReadiness.ts';
import { IngestConfigError, type IngestConfig } from './env.ts';
import { ingestPipelinePlugin } from './ingestPipelinePlugin.ts';
import { IngestRateLimit } from './ingestRateLimit.ts';
import { ItemAuthorizer } from './itemAuthorization.ts';
import type { IdLookup } from './knownEvents.ts';
import { keysNeedRegistryView, openRegistryView, type RegistryView } from './registryView.ts';
import { postEventsRoute } from './routes/postEvents.ts';

export interface IngestAppOptions {
  readonly config: IngestConfig;
  /** Owned by the caller: the app closes its producer, never the bus. */
  readonly bus: Bus;
  readonly registry?: Registry;
  /** Default true; tests building many apps turn process metrics off. */
  readonly defaultMetrics?: boolean;
  /**
   * The receipt clock: how old or how far ahead an event may be dated is measured from it (and
   * `dgt-ingested-at` is stamped with it). Default the wall clock; tests with fixed dates set it.
   */
  readonly now?: () => Date;
  /**
   * Where recorded events are looked up by id, to answer `duplicate` / `conflict` for what is
   * recorded already (the embedded stack passes its store). Without it, and without
   * `config.eventStorePath`, only the ids this gateway accepted lately are known.
   */
  readonly lookup?: IdLookup;
  /**
   * Tests only: accept a bus that does not keep messages through a crash (the in-process bus).
   * A gateway answers 202 only for what is durable, so it refuses such a bus otherwise.
   */
  readonly allowNonDurableBusForTests?: boolean;
  /**
   * The register as the read models have it, for registry and carrier-scoped keys (the embedded
   * stack passes a view over its store). Without it the gateway opens `config.readModelsPath`.
   */
  readonly registryView?: RegistryView;
}

/** The topics the gateway publishes to (and checks for readiness). */
export function ingestTopics(config: IngestConfig): { names: TopicNames; specs: TopicSpec[] } {
  const names = topicNames(config.bus.topics);
  const wanted = new Set([names.positions, names.consignments, names.zones]);
  return { names, specs: topicSpecs(names).filter((s) => wanted.has(s.topic)) };
}

/** The ingest gateway as a fastify app, ready for `inject` or `listen`. */
export async function buildIngestApp(options: IngestAppOptions): Promise<ServiceApp> {
  const { config, bus, registry = new Registry(), defaultMetrics } = options;
  if (!bus.durable && options.allowNonDurableBusForTests !== true) {
    throw new IngestConfigError(
      'the ingest gateway needs a durable bus: this one (the in-process bus) loses what it holds when the process dies, and the gateway would have answered 202 for it. ' +
        'Set KAFKA_BROKERS, or run the embedded stack (`npm start`), whose bus is durable.',
    );
  }
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
    timeouts: config.timeouts,
  });
  const { maxBodies, maxBytes, maxPerConnection } = config.inFlight;
  await app.register(bodyAdmissionPlugin, { maxBodies, maxBytes, maxBodiesPerConnection: maxPerConnection, bodyLimit: config.bodyLimitBytes, registry });
  const lookup = options.lookup ?? ownLookup(app, config);
  await app.register(ingestPipelinePlugin, {
    bus,
    topics: names,
    registry,
    publishTimeoutMs: config.publishTimeoutMs,
    now: options.now ?? (() => new Date()),
    recentIds: config.recentIds,
    ...(lookup === undefined ? {} : { lookup }),
  });
  const rateLimit = new IngestRateLimit({ eventsPerS: config.rateLimit.eventsPerS, burst: config.rateLimit.burst });
  const registryView = options.registryView ?? (await ownRegistryView(app, config));
  const authorizer = new ItemAuthorizer({ maxFutureSkewS: config.time.maxFutureSkewS, ...(registryView === undefined ? {} : { view: registryView }) });
  await app.register(postEventsRoute, { maxBatch: config.maxBatch, time: config.time, rateLimit, authorizer });
  return app;
}

/** The configured read models (`DGT_READMODELS_PATH`), opened read-only when a key needs the register, closed with the app. */
async function ownRegistryView(app: ServiceApp, config: IngestConfig): Promise<RegistryView | undefined> {
  if (!keysNeedRegistryView(config.apiKeys)) return undefined;
  if (config.readModelsPath === undefined) {
    throw new IngestConfigError('registry and ingest:<carrierId> keys are checked against the register: give the gateway a registry view, or DGT_READMODELS_PATH');
  }
  const { view, close } = await openRegistryView(config.readModelsPath);
  app.addHook('onClose', close);
  return view;
}

/** The configured store (`INGEST_EVENTSTORE_PATH`), opened read-only and closed with the app. */
function ownLookup(app: ServiceApp, config: IngestConfig): IdLookup | undefined {
  if (config.eventStorePath === undefined) return undefined;
  const lookup = openSqliteEventLookup({ path: config.eventStorePath });
  app.addHook('onClose', () => lookup.close());
  return lookup;
}
