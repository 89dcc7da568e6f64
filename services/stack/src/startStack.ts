import { hostname } from 'node:os';
import { join } from 'node:path';
import { buildApiApp, readApiConfig } from '@dgt/api';
import { createBus, topicNames, topicSpecs, type Bus, type BusLogger, type BusProducer } from '@dgt/bus';
import { openEventStore, type EventStore } from '@dgt/eventstore';
import type { ApiKeyEntry, LogLevel, ServiceApp } from '@dgt/http';
import { buildIngestApp, readIngestConfig } from '@dgt/ingest';
import { busAlertsPublisher, createProjector, createProjectorMetrics, type Projector, type ProjectorConfig } from '@dgt/projector';
import { openReadModelStore, type ReadModelStore } from '@dgt/readmodels';
import { createRecorder, createRecorderMetrics, type Recorder } from '@dgt/recorder';
import { Registry } from 'prom-client';
import { consoleLogger, type StackLogLevel } from './consoleLogger.ts';
import { lockDataDir } from './dataDirLock.ts';
import { watchDrain, type DrainWatch } from './drainWatch.ts';
import { StackError } from './stackError.ts';

export interface StackOptions {
  /** Holds events.sqlite, readmodels.sqlite (and the demo's keys and simulator state); locked by `dgt.lock` while the stack runs. */
  readonly dataDir: string;
  /** Interface both HTTP servers listen on. Default 127.0.0.1. */
  readonly host?: string;
  /** API and dashboard. Default 8080; 0 = any free port. */
  readonly apiPort?: number;
  /** Ingest gateway (POST /v1/events). Default 8081; 0 = any free port. */
  readonly ingestPort?: number;
  /** Empty or absent → the in-process bus. */
  readonly kafkaBrokers?: readonly string[];
  /** Topic prefix (default `dg.`); a test on a shared broker isolates itself with its own. */
  readonly topicPrefix?: string;
  /** EventStoreDB connection string; absent → SQLite in the data directory. */
  readonly eventStoreUrl?: string;
  /** Hashed keys for both apps (ids, roles, SHA-256). */
  readonly apiKeys: readonly ApiKeyEntry[];
  /** Stack components' level; the apps' request logs stay one step quieter. Default info. */
  readonly logLevel?: StackLogLevel;
  /** Where the stack's own log lines go. Default stderr. */
  readonly logOut?: NodeJS.WritableStream;
  /** The API's wall clock (compliance windows, audit records). */
  readonly now?: () => Date;
  /** More settings for the apps, as their environment variables (API_*, INGEST_*, DGT_DASHBOARD_TILE_URL, …). */
  readonly serviceEnv?: Readonly<Record<string, string>>;
  /** Projector tuning (tests shorten the flush interval). */
  readonly projector?: Partial<ProjectorConfig>;
  /** Process metrics (CPU, memory) on the API's /metrics. Default true. */
  readonly defaultMetrics?: boolean;
}

export interface Stack {
  /** e.g. http://127.0.0.1:8080 — the dashboard is at `/`. */
  readonly apiUrl: string;
  /** e.g. http://127.0.0.1:8081 — POST /v1/events with an ingest key. */
  readonly ingestUrl: string;
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly bus: Bus;
  readonly projector: Projector;
  /** Each component's metrics (the apps serve their own on /metrics). */
  /** Metrics of the recorder, projector and API (served by the API's /metrics). */
  readonly registry: Registry;
  /** Where the stack runs, for banners: `in-process bus` / `Kafka a:9092`, `SQLite …` / `EventStoreDB …`. */
  readonly describe: { readonly bus: string; readonly store: string; readonly readModels: string };
  /** Reverse of start; safe to call twice. */
  stop(): Promise<void>;
}

const DRAIN_TIMEOUT_MS = 15_000;

/**
 * The whole system in one process: bus and topics → event store → read models → recorder →
 * projector → ingest gateway → query API and dashboard. Everything it opens it closes in
 * `stop()`, newest first. On the same data directory a new stack resumes: the store keeps the
 * events, the projector continues from its checkpoint.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const level = options.logLevel ?? 'info';
  const out = options.logOut ?? process.stderr;
  const log = (component: string): BusLogger => consoleLogger(component, level, out);
  const stackLog = log('stack');
  const host = options.host ?? '127.0.0.1';
  const brokers = [...(options.kafkaBrokers ?? [])];
  const kafka = brokers.length > 0;
  const prefix = options.topicPrefix;
  const topics = topicNames(prefix === undefined ? {} : { prefix });
  const recorderGroup = `${prefix ?? 'dgt-'}stack-recorder`;
  // The topic names are the stack's: an app must never be told another prefix than the recorder uses.
  const { DGT_TOPIC_PREFIX: _ignored, ...passed } = options.serviceEnv ?? {};
  const serviceEnv = { ...passed, ...(prefix === undefined ? {} : { DGT_TOPIC_PREFIX: prefix }), KAFKA_BROKERS: brokers.join(',') };
  const appLevel = appLogLevel(level);
  const keysJson = JSON.stringify(options.apiKeys);
  // Both configs come from the apps' own parsers, so their defaults and checks stay in one place.
  const ingestConfig = readIngestConfig({ ...serviceEnv, DGT_API_KEYS: keysJson, INGEST_HOST: host, INGEST_PORT: String(options.ingestPort ?? 8081), INGEST_LOG_LEVEL: appLevel });
  const apiConfig = readApiConfig({
    API_ALERTS_GROUP_ID: `${prefix ?? 'dgt-'}stack-api-alerts-${hostname()}-${process.pid}`,
    ...serviceEnv,
    DGT_API_KEYS: keysJson,
    API_HOST: host,
    API_PORT: String(options.apiPort ?? 8080),
    API_LOG_LEVEL: appLevel,
  });

  // Everything opened so far, with how to close it; a failed start closes them newest first.
  const closers: Closer[] = [];
  const closeAll = (order: readonly Closer[]): Promise<void> => closeInOrder(order, stackLog);

  try {
    // 0. the data directory, exclusively: two stacks must not write the same SQLite files or run two projectors
    const lock = lockDataDir(options.dataDir, {
      onStaleLock: (stale, path) =>
        stackLog.warn('taking over the lock of a dgt that no longer runs', { path, pid: stale?.pid, startedAt: stale?.startedAt }),
    });
    closers.push({ name: 'data directory lock', close: async () => lock.release() });

    // 1. bus and topics
    const rawBus = createBus({ brokers, clientId: 'dgt-stack', logger: log('bus') });
    closers.push({ name: 'bus', close: () => rawBus.close() });
    const drain: DrainWatch = watchDrain(rawBus, [topics.positions, topics.consignments, topics.zones], recorderGroup);
    const bus = drain.bus;
    await bus.ensureTopics(topicSpecs(topics));

    // 2. event store, 3. read models
    const storePath = join(options.dataDir, 'events.sqlite');
    const store = openEventStore(options.eventStoreUrl === undefined ? { kind: 'sqlite', path: storePath } : { kind: 'esdb', connectionString: options.eventStoreUrl });
    closers.push({ name: 'event store', close: () => store.close() });
    const readModelsPath = join(options.dataDir, 'readmodels.sqlite');
    const readModels = await openReadModelStore({ kind: 'sqlite', path: readModelsPath });
    closers.push({ name: 'read models', close: () => readModels.close() });

    // 4. recorder: bus → store. Recorder, projector and API share one registry, so the API's
    // /metrics shows the whole pipeline (lag included); ingest keeps its own (its HTTP metrics
    // would collide with the API's).
    const registry = new Registry();
    const recorder: Recorder = createRecorder({ bus, store, topics, groupId: recorderGroup, metrics: createRecorderMetrics(registry), logger: log('recorder') });
    closers.push({
      name: 'recorder',
      close: async () => {
        if (!kafka && !(await drain.drained(DRAIN_TIMEOUT_MS))) {
          stackLog.warn('the recorder did not record everything the gateway accepted before the stop', { notRecorded: drain.backlog() });
        }
        await recorder.stop();
      },
    });
    await recorder.start();

    // 5. projector: store → read models, detections, alerts
    const alertsProducer: BusProducer = bus.producer();
    closers.push({ name: 'alert producer', close: () => alertsProducer.close() });
    const projector = createProjector({
      store,
      readModels,
      alerts: busAlertsPublisher(alertsProducer, topics.alerts),
      metrics: createProjectorMetrics(registry),
      logger: log('projector'),
      ...(options.projector === undefined ? {} : { config: options.projector }),
    });
    closers.push({ name: 'projector', close: () => projector.stop() });
    await projector.start();
    projector.done().catch((error: unknown) => stackLog.error('the projector stopped; the dashboard no longer updates (restart resumes from its checkpoint)', { error: describe(error) }));

    // 6. ingest gateway
    const ingest: ServiceApp = await buildIngestApp({ config: ingestConfig, bus, defaultMetrics: false });
    closers.push({ name: 'ingest', close: () => ingest.close() });
    const ingestUrl = await listen(ingest, ingestConfig.port, host, 'ingest gateway', '--ingest-port');

    // 7. query API and dashboard
    const api: ServiceApp = await buildApiApp({
      config: apiConfig,
      store,
      readModels,
      bus,
      registry,
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.defaultMetrics === undefined ? {} : { defaultMetrics: options.defaultMetrics }),
    });
    closers.push({ name: 'api', close: () => api.close() });
    const apiUrl = await listen(api, apiConfig.port, host, 'API and dashboard', '--port');

    let stopping: Promise<void> | undefined;
    return {
      apiUrl,
      ingestUrl,
      store,
      readModels,
      bus,
      projector,
      registry,
      describe: {
        bus: kafka ? `Kafka ${brokers.join(',')}` : 'in-process bus',
        store: options.eventStoreUrl === undefined ? `SQLite ${storePath}` : `EventStoreDB ${redact(options.eventStoreUrl)}`,
        readModels: `SQLite ${readModelsPath}`,
      },
      // Newest first: the gateway stops accepting, the recorder records what it accepted, the
      // projector flushes its last batch, the API ends its streams, then the stores close.
      stop: () => (stopping ??= closeAll(inStopOrder(closers))),
    };
  } catch (error) {
    await closeAll([...closers].reverse()).catch(() => undefined);
    throw error;
  }
}

interface Closer {
  readonly name: CloserName;
  readonly close: () => Promise<void>;
}

/**
 * Not quite the reverse of the start: the gateway stops accepting first, the recorder records
 * what it accepted, the projector flushes its last batch (and its alerts still reach the API's
 * open streams), then the API ends its streams, then the stores and the bus close, and last the
 * data directory is unlocked.
 */
const stopOrder = ['ingest', 'recorder', 'projector', 'alert producer', 'api', 'read models', 'event store', 'bus', 'data directory lock'] as const;
type CloserName = (typeof stopOrder)[number];

function inStopOrder(closers: readonly Closer[]): Closer[] {
  return [...closers].sort((a, b) => stopOrder.indexOf(a.name) - stopOrder.indexOf(b.name));
}

async function closeInOrder(closers: readonly Closer[], log: BusLogger): Promise<void> {
  const failures: string[] = [];
  for (const { name, close } of closers) {
    try {
      await close();
    } catch (error) {
      failures.push(`${name}: ${describe(error)}`);
      log.error(`closing ${name} failed`, { error: describe(error) });
    }
  }
  if (failures.length > 0) throw new StackError('STOP_FAILED', `the stack did not stop cleanly:\n  ${failures.join('\n  ')}`);
}

async function listen(app: ServiceApp, port: number, host: string, what: string, flag: string): Promise<string> {
  try {
    return await app.listen({ port, host });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new StackError('PORT_IN_USE', `port ${port} on ${host} (${what}) is already in use: stop the program using it, or choose another port with ${flag} <n>`, { cause: error });
    }
    if (code === 'EACCES') {
      throw new StackError('PORT_IN_USE', `no permission to listen on port ${port} (${what}): choose a port above 1023 with ${flag} <n>`, { cause: error });
    }
    if (code === 'EADDRNOTAVAIL') throw new StackError('START_FAILED', `cannot listen on ${host}: no such local address (${what})`, { cause: error });
    throw error;
  }
}

function appLogLevel(level: StackLogLevel): LogLevel {
  switch (level) {
    case 'debug':
      return 'info';
    case 'info':
      return 'warn';
    case 'warn':
    case 'error':
    case 'silent':
      return level;
    default: {
      const unknownLevel: never = level;
      throw new StackError('START_FAILED', `unknown log level ${String(unknownLevel)}`);
    }
  }
}

/** Connection strings may carry a password. */
function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
