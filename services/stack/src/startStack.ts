import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { buildApiApp, readApiConfig } from '@dgt/api';
import { createKafkaBus, createSqliteBus, topicNames, topicSpecs, type Bus, type BusLogger, type BusProducer, type BusSynchronous, type SqliteBus } from '@dgt/bus';
import { openEventStore, openSqliteEventStore, type EventStore } from '@dgt/eventstore';
import type { ApiKeyEntry, LogLevel, ServiceApp } from '@dgt/http';
import { buildIngestApp, readIngestConfig, readModelRegistryView } from '@dgt/ingest';
import type { Jt809Gateway, PlatformAccountEntry, VehicleEntry } from '@dgt/jt809-gateway';
import { busAlertsPublisher, createProjector, createProjectorMetrics, type Projector, type ProjectorConfig } from '@dgt/projector';
import { openReadModelStore, type ReadModelStore } from '@dgt/readmodels';
import { createRecorder, createRecorderMetrics, startConsumerLagPoller, type Recorder } from '@dgt/recorder';
import { Registry } from 'prom-client';
import { consoleLogger, type StackLogLevel } from './consoleLogger.ts';
import { lockDataDir } from './dataDirLock.ts';
import { registerEmbeddedBusMetrics } from './embeddedBusMetrics.ts';
import { loadOrCreateDemoEvidenceKey } from './demoEvidenceKey.ts';
import { loadOrCreateDemoSafetyCodeKey } from './demoSafetyCodeKey.ts';
import { startJt808, type HostedJt808, type Jt808StackOptions } from './jt808Stack.ts';
import { startJt809 } from './jt809Stack.ts';
import { waitForRecorder } from './waitForRecorder.ts';
import { StackError } from './stackError.ts';
import { defaultSeedsDir } from './seeds.ts';

const countiesFile = join(defaultSeedsDir, 'counties.json');
const roadsFile = join(defaultSeedsDir, 'roads.json');

export interface StackOptions {
  /** Holds bus.sqlite, events.sqlite, readmodels.sqlite (and the demo's keys and simulator state); locked by `dgt.lock` while the stack runs. */
  readonly dataDir: string;
  /** Interface both HTTP servers listen on. Default 127.0.0.1. */
  readonly host?: string;
  /** API and dashboard. Default 8080; 0 = any free port. */
  readonly apiPort?: number;
  /** Ingest gateway (POST /v1/events). Default 8081; 0 = any free port. */
  readonly ingestPort?: number;
  /** Empty or absent → the embedded bus, its log in `<dataDir>/bus.sqlite`. */
  readonly kafkaBrokers?: readonly string[];
  /**
   * SQLite `synchronous` of the embedded bus file and the SQLite event store. NORMAL (default): an
   * acknowledged event survives the process being killed; FULL: also an OS crash or power loss
   * (an fsync per commit).
   */
  readonly synchronous?: BusSynchronous;
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
  /**
   * The ingest gateway's receipt clock: fixes more than INGEST_MAX_FUTURE_SKEW_S after it, or
   * older than INGEST_BACKFILL_WINDOW_S before it, are refused. Default the wall clock; tests
   * posting fixed historical dates set it (or widen the window through `serviceEnv`).
   */
  readonly ingestNow?: () => Date;
  /**
   * How often the recorder appends ClockTicked (ms of its wall clock, on whole intervals; default a
   * minute). 0: never — for tests that write the record's clock themselves, at chosen points.
   */
  readonly clockTickMs?: number;
  /** More settings for the apps, as their environment variables (API_*, INGEST_*, DGT_DASHBOARD_TILE_URL, …). */
  readonly serviceEnv?: Readonly<Record<string, string>>;
  /** Projector tuning (tests shorten the flush interval). */
  readonly projector?: Partial<ProjectorConfig>;
  /** Process metrics (CPU, memory) on the API's /metrics. Default true. */
  readonly defaultMetrics?: boolean;
  /** Run the JT/T 809 gateway (subordinate platforms' links) on the stack's bus; absent = not at all. */
  readonly jt809?: Jt809StackOptions;
  /** Run the JT/T 808 gateway (BeiDou terminals' links) on the stack's bus; absent = not at all. */
  readonly jt808?: Jt808StackOptions;
}

export interface Jt809StackOptions {
  /** TCP port of the platforms' main links (the gateway's default 9809); 0 = any free port. */
  readonly port: number;
  /** The platforms it accepts (`JT809_PLATFORMS` entries: password hashes only). */
  readonly platforms: readonly PlatformAccountEntry[];
  /**
   * A fixed register (plates, carriers) the gateway checks every fix against; absent = the live
   * register, the stack's read models as the projector keeps them (a vehicle registered or
   * transferred while running is known within a refresh).
   */
  readonly vehicles?: readonly VehicleEntry[];
}

export interface Stack {
  /** e.g. http://127.0.0.1:8080 — the dashboard is at `/`. */
  readonly apiUrl: string;
  /** e.g. http://127.0.0.1:8081 — POST /v1/events with an ingest key. */
  readonly ingestUrl: string;
  /** The JT/T 809 gateway and where it listens (`host:port`), when `jt809` was given. */
  readonly jt809: { readonly gateway: Jt809Gateway; readonly host: string; readonly port: number } | undefined;
  /** The JT/T 808 gateway, where it listens (`host:port`) and how many terminal records it has, when `jt808` was given. */
  readonly jt808: Omit<HostedJt808, 'close'> | undefined;
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly bus: Bus;
  readonly projector: Projector;
  /** Each component's metrics (the apps serve their own on /metrics). */
  /** Metrics of the recorder, projector and API (served by the API's /metrics). */
  readonly registry: Registry;
  /** Where the stack runs, for banners: `embedded, SQLite …/bus.sqlite (synchronous NORMAL)` / `Kafka a:9092`, `SQLite …` / `EventStoreDB …`. */
  readonly describe: { readonly bus: string; readonly store: string; readonly readModels: string };
  /** Reverse of start; safe to call twice. */
  stop(): Promise<void>;
}

const DRAIN_TIMEOUT_MS = 15_000;
/**
 * Messages per recorder batch on the embedded bus (its default is 500). A batch is one event-store
 * transaction, and a transaction's cost is mostly the index pages it dirties — about one per
 * vehicle in it — so a recorder that fell behind catches up in fewer, fuller transactions
 * (measured: 16.7 µs of CPU per fix in appends of 500 over 333 vehicles, 9.6 µs in appends of 4,000).
 * While it keeps up its batches stay small, and so does the latency they add.
 */
const RECORDER_BATCH = 2000;
/** Bus batches (of different partitions) the stack's recorder has in hand at once. */
const RECORDER_PARTITIONS_CONCURRENTLY = 2;
/** How often the recorder's lag is measured on Kafka (the embedded bus answers at each scrape). */
const LAG_INTERVAL_MS = 5000;

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
  const synchronous = options.synchronous ?? 'NORMAL';
  const prefix = options.topicPrefix;
  const topics = topicNames(prefix === undefined ? {} : { prefix });
  const recorderGroup = `${prefix ?? 'dgt-'}stack-recorder`;
  // The topic names are the stack's: an app must never be told another prefix than the recorder uses.
  const { DGT_TOPIC_PREFIX: _ignored, ...passed } = options.serviceEnv ?? {};
  const serviceEnv = { ...passed, ...(prefix === undefined ? {} : { DGT_TOPIC_PREFIX: prefix }), KAFKA_BROKERS: brokers.join(',') };
  const appLevel = appLogLevel(level);
  const keysJson = JSON.stringify(options.apiKeys);
  // Both configs come from the apps' own parsers, so their defaults and checks stay in one place.
  // The gateway checks registry and carrier-scoped keys against the stack's own read models (passed as a view below).
  const ingestConfig = readIngestConfig({
    ...serviceEnv,
    DGT_API_KEYS: keysJson,
    DGT_READMODELS_PATH: join(options.dataDir, 'readmodels.sqlite'),
    INGEST_HOST: host,
    INGEST_PORT: String(options.ingestPort ?? 8081),
    INGEST_LOG_LEVEL: appLevel,
  });
  const apiConfig = readApiConfig({
    API_ALERTS_GROUP_ID: `${prefix ?? 'dgt-'}stack-api-alerts-${hostname()}-${process.pid}`,
    // Case files (photos, archived evidence) beside the store; cases open by the default policy.
    API_CASES_CONTENT_DIR: join(options.dataDir, 'case-files'),
    API_CASE_POLICY: 'default',
    // A driver stopped outside every lot is told the nearest dedicated one (over JT/T 808, when its terminal is connected).
    API_DRIVER_MESSAGE_POLICY: 'on',
    // Taizhou's county boundaries, so cases carry their county (seeds/README.md says where they come from).
    ...(existsSync(countiesFile) ? { API_COUNTIES_FILE: countiesFile } : {}),
    ...(existsSync(roadsFile) ? { API_ROADS_FILE: roadsFile } : {}),
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

    // 1. bus and topics. Without Kafka the bus keeps its log in the data directory: a 202 means the
    // events are in bus.sqlite, and what the recorder had not recorded before a crash it records
    // after the restart. Retention never deletes what the recorder has not committed.
    const recordedTopics = [topics.positions, topics.consignments, topics.zones];
    const busPath = join(options.dataDir, 'bus.sqlite');
    const embeddedBus: SqliteBus | undefined = kafka
      ? undefined
      : createSqliteBus({ path: busPath, synchronous, retain: [{ groupId: recorderGroup, topics: recordedTopics }], maxBatchSize: RECORDER_BATCH, logger: log('bus') });
    const bus: Bus = embeddedBus ?? createKafkaBus({ brokers, clientId: 'dgt-stack', logger: log('bus') });
    closers.push({ name: 'bus', close: () => bus.close() });
    await bus.ensureTopics(topicSpecs(topics));

    // 2. event store, 3. read models
    const storePath = join(options.dataDir, 'events.sqlite');
    // The recorder commits its bus offsets after its appends: with FULL on the bus, the store must
    // be FULL too, or a power loss could keep the commit and drop the events it stood for.
    // Its WAL checkpoints and its appends run on worker threads: inline, the recorder's appends
    // (with the checkpoints inside them) were a quarter of the work of the event loop that also
    // answers ingest and runs the projector (see walCheckpointer.ts and appendWorker.ts in @dgt/eventstore).
    const store =
      options.eventStoreUrl === undefined
        ? openSqliteEventStore({ path: storePath, synchronous, checkpoint: 'worker', append: 'worker' })
        : openEventStore({ kind: 'esdb', connectionString: options.eventStoreUrl });
    closers.push({ name: 'event store', close: () => store.close() });
    const readModelsPath = join(options.dataDir, 'readmodels.sqlite');
    const readModels = await openReadModelStore({ kind: 'sqlite', path: readModelsPath });
    closers.push({ name: 'read models', close: () => readModels.close() });

    // 4. recorder: bus → store. Recorder, projector and API share one registry, so the API's
    // /metrics shows the whole pipeline; ingest keeps its own (its HTTP metrics would collide with
    // the API's). The embedded bus answers the recorder's lag at each scrape: what the gateway
    // acknowledged and the store does not hold yet.
    const registry = new Registry();
    const recorderMetrics = createRecorderMetrics(registry, embeddedBus === undefined ? {} : { consumerLag: () => embeddedBus.lag(recorderGroup, recordedTopics) });
    if (embeddedBus !== undefined) registerEmbeddedBusMetrics(registry, embeddedBus);
    const recorder: Recorder = createRecorder({
      bus, store, topics, groupId: recorderGroup, metrics: recorderMetrics, logger: log('recorder'),
      // One store transaction per bus batch: the embedded bus needs no heartbeats between slices,
      // and each slice would be a round trip to the append worker.
      streamsPerAppend: RECORDER_BATCH,
      // Two partitions' batches at once: while the append worker writes one, the event loop
      // decodes and prepares the next, instead of waiting (alone, it kept the recorder ~30 %
      // behind the gateway under load, with the event loop idle during its catch-up).
      partitionsConsumedConcurrently: RECORDER_PARTITIONS_CONCURRENTLY,
      ...(options.clockTickMs === undefined ? {} : { clockTickMs: options.clockTickMs }),
    });
    closers.push({
      name: 'recorder',
      close: async () => {
        if (embeddedBus !== undefined) {
          const left = await waitForRecorder(() => embeddedBus.backlog(recorderGroup, recordedTopics), DRAIN_TIMEOUT_MS);
          if (left > 0) stackLog.warn('stopping before the recorder recorded everything the gateway acknowledged; the rest is kept in the bus file and recorded on the next start', { notRecorded: left, busPath });
        }
        await recorder.stop();
      },
    });
    await recorder.start();
    if (embeddedBus === undefined) {
      // On Kafka the lag is the group's committed offsets against the high watermarks, as the
      // recorder service measures it (admin API), every 5 s.
      const lag = startConsumerLagPoller({ brokers, clientId: 'dgt-stack', groupId: recorderGroup, topics: recordedTopics, gauge: recorderMetrics.consumerLag, intervalMs: LAG_INTERVAL_MS, logger: log('recorder') });
      closers.push({ name: 'recorder lag poller', close: () => lag.stop() });
    }

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
    // The store answers which ids are recorded, so a re-posted id is told duplicate or conflict.
    const ingest: ServiceApp = await buildIngestApp({
      config: ingestConfig,
      bus,
      defaultMetrics: false,
      lookup: store,
      // The register as projected: it lags the projector's flush by a moment (see the ingest README).
      registryView: readModelRegistryView(readModels),
      ...(options.ingestNow === undefined ? {} : { now: options.ingestNow }),
    });
    closers.push({ name: 'ingest', close: () => ingest.close() });
    const ingestUrl = await listen(ingest, ingestConfig.port, host, 'ingest gateway', '--ingest-port');

    // 6b. JT/T 809 gateway: platforms' fleets onto the same durable bus as ingest (it refuses a
    // bus that is not durable: it answers a heartbeat only once the data before it is on the bus).
    const jt809 = options.jt809 === undefined ? undefined : await startJt809(options.jt809, { bus, host, topics, registry, readModels, logger: consoleLogger('jt809', appLevel as StackLogLevel, out) });
    if (jt809 !== undefined) closers.push({ name: 'jt809 gateway', close: () => jt809.close() });

    // 6c. JT/T 808 gateway: BeiDou terminals onto the same durable bus (it acks a report only once
    // it is there); its dgt_jt808_* metrics on the API's /metrics.
    const ingestNow = options.ingestNow;
    const jt808 = options.jt808 === undefined ? undefined : await startJt808(options.jt808, {
      bus, host, topics, registry, logger: consoleLogger('jt808', appLevel as StackLogLevel, out),
      ...(ingestNow === undefined ? {} : { clock: () => ingestNow().getTime() }),
    });
    if (jt808 !== undefined) closers.push({ name: 'jt808 gateway', close: () => jt808.close() });

    // 7. query API and dashboard; evidence packs signed with the configured key, else the demo's own.
    const evidenceSigningKey = apiConfig.evidenceSigningKey ?? loadOrCreateDemoEvidenceKey(options.dataDir).key;
    // Safety codes (一企一品一码) signed with API_SAFETY_CODE_KEY, else the demo's own secret.
    const safetyCodeSecrets = apiConfig.safetyCodeSecrets ?? loadOrCreateDemoSafetyCodeKey(options.dataDir).secrets;
    const api: ServiceApp = await buildApiApp({
      evidenceSigningKey,
      safetyCodeSecrets,
      config: apiConfig,
      store,
      // Audit workers open this store themselves: the one opened above, not the API environment's default.
      auditStore: options.eventStoreUrl === undefined ? { kind: 'sqlite', path: storePath } : { kind: 'esdb', connectionString: options.eventStoreUrl },
      readModels,
      // Writable here (one process): the case list is kept in the same file and resumes from its checkpoint.
      caseReadModel: readModels,
      bus,
      registry,
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.defaultMetrics === undefined ? {} : { defaultMetrics: options.defaultMetrics }),
      // The desk's "Platform links" panel reads the in-process gateway directly.
      ...(jt809 === undefined ? {} : { platformLinks: async () => jt809.gateway.status() }),
    });
    closers.push({ name: 'api', close: () => api.close() });
    const apiUrl = await listen(api, apiConfig.port, host, 'API and dashboard', '--port');

    let stopping: Promise<void> | undefined;
    return {
      apiUrl,
      ingestUrl,
      jt809,
      jt808: jt808 === undefined ? undefined : { gateway: jt808.gateway, host: jt808.host, port: jt808.port, terminals: jt808.terminals },
      store,
      readModels,
      bus,
      projector,
      registry,
      describe: {
        bus: kafka ? `Kafka ${brokers.join(',')}` : `embedded, SQLite ${busPath} (synchronous ${synchronous})`,
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
 * Not quite the reverse of the start: the gateways stop accepting first, the recorder records
 * what it acknowledged (so the store a stopped stack leaves holds all of it; the embedded bus
 * file would keep the rest for the next start anyway), the projector flushes its last batch (and its alerts still reach the API's
 * open streams), then the API ends its streams, then the stores and the bus close, and last the
 * data directory is unlocked.
 */
const stopOrder = ['ingest', 'jt809 gateway', 'jt808 gateway', 'recorder lag poller', 'recorder', 'projector', 'alert producer', 'api', 'read models', 'event store', 'bus', 'data directory lock'] as const;
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
