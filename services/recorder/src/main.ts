import { startOpsServer } from '@dgt/http';
import { createKafkaBus, topicNames, topicSpecs } from '@dgt/bus';
import { openEventStore } from '@dgt/eventstore';
import { Registry } from 'prom-client';
import { readRecorderEnv } from './env.ts';
import { startConsumerLagPoller } from './kafka/consumerLag.ts';
import { jsonLogger } from './logger.ts';
import { createRecorderMetrics } from './metrics.ts';
import { createRecorder } from './recorder.ts';
import { retryUntil } from './retry.ts';

/** The recorder process: `tsx services/recorder/src/main.ts` (configuration: see env.ts / README). */
async function main(): Promise<void> {
  const config = readRecorderEnv();
  const logger = jsonLogger(config.logLevel);
  const bus = createKafkaBus({
    brokers: config.bus.brokers,
    clientId: config.bus.clientId,
    logger,
    kafkaLogLevel: 'error',
    consumer: {
      sessionTimeoutMs: config.sessionTimeoutMs,
      heartbeatIntervalMs: Math.min(1000, Math.floor(config.sessionTimeoutMs / 3)),
    },
  });
  const topics = topicNames(config.bus.topics);
  await retryUntil(() => bus.ensureTopics(topicSpecs(topics)), {
    deadlineMs: 60_000,
    onRetry: (error, delayMs) => logger.warn('Kafka not reachable yet; retrying', { error: String(error), delayMs }),
  });

  // SQLite checkpoints and appends on worker threads: the consuming thread fetches and decodes the
  // next batches while the last one is written.
  const store = openEventStore(config.store.kind === 'sqlite' ? { ...config.store, checkpoint: 'worker', append: 'worker' } : config.store);
  // Process metrics are added by @dgt/http's metrics plugin when the ops server runs.
  const registry = new Registry();
  const metrics = createRecorderMetrics(registry);
  const recorder = createRecorder({
    bus,
    store,
    topics,
    groupId: config.groupId,
    metrics,
    logger,
    retryBackoffMs: config.retryBackoffMs,
    partitionsConsumedConcurrently: config.partitionsConcurrently,
  });
  const consumed = [topics.positions, topics.consignments, topics.zones];
  const lag = startConsumerLagPoller({
    brokers: config.bus.brokers,
    clientId: config.bus.clientId,
    groupId: config.groupId,
    topics: consumed,
    gauge: metrics.consumerLag,
    intervalMs: config.lagIntervalMs,
    logger,
  });
  const ops =
    config.metricsPort === 0
      ? undefined
      : await startOpsServer({
          name: 'recorder',
          host: config.metricsHost,
          port: config.metricsPort,
          registry,
          apiKeys: config.apiKeys,
          logLevel: config.logLevel,
          // Ready = consuming; a stopping or not-yet-joined recorder answers 503.
          checks: () => ({ consumer: { ok: recorder.state() === 'running', detail: recorder.state() } }),
        });


  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string): Promise<void> =>
    (stopping ??= (async () => {
      logger.info('stopping', { signal });
      try {
        await recorder.stop();
        await lag.stop();
        await bus.close();
        await ops?.close();
        await store.close();
        logger.info('stopped', { signal });
      } catch (error) {
        logger.error('unclean stop', { error: String(error) });
        process.exitCode = 1;
      }
    })());
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await recorder.start();
  logger.info('recorder started', {
    groupId: config.groupId,
    topics: consumed,
    store: config.store.kind,
    metrics: ops?.address ?? 'disabled',
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`recorder failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
