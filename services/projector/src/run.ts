import { dirname } from 'node:path';
import { createBus, topicNames, topicSpecs } from '@dgt/bus';
import { lockDataDir } from '@dgt/datadir';
import { openEventStore } from '@dgt/eventstore';
import { startOpsServer } from '@dgt/http';
import { openReadModelStore } from '@dgt/readmodels';
import { Registry } from 'prom-client';
import { busAlertsPublisher } from './alertsPublisher.ts';
import type { ProjectorEnv } from './env.ts';
import { jsonLogger } from './logger.ts';
import { createProjectorMetrics } from './metrics.ts';
import { createProjector, type Progress } from './projector.ts';

export interface RunOptions {
  /** Reset the read models and project the whole store again before following it. */
  readonly rebuild: boolean;
  /** Project what is recorded now, then exit (no live following, no ops server). */
  readonly once: boolean;
  /** Where progress lines go (stderr). */
  readonly progress: NodeJS.WritableStream;
  /** Resolves when the process should stop (signals). */
  readonly stopSignal: Promise<string>;
}

/**
 * Opens everything from the environment and runs the projector until stopped; returns an exit code.
 * Holds the lock of the read models' directory (`dgt.lock`, as `npm start` does) while it runs:
 * two projectors over one read-model store would interleave checkpoints and repeat alerts.
 * Throws DataDirLockError when another process holds it.
 */
export async function runProjector(config: ProjectorEnv, options: RunOptions): Promise<number> {
  const lock = config.readModels.kind === 'sqlite' ? lockDataDir(dirname(config.readModels.path), { otherDirHint: 'point DGT_READMODELS_PATH into another directory' }) : null;
  try {
    return await runUnlocked(config, options);
  } finally {
    lock?.release();
  }
}

async function runUnlocked(config: ProjectorEnv, options: RunOptions): Promise<number> {
  const logger = jsonLogger(config.logLevel, options.once ? process.stderr : process.stdout);
  const store = openEventStore(config.store);
  const readModels = await openReadModelStore(config.readModels);
  const bus = createBus({ brokers: config.bus.brokers, clientId: config.bus.clientId, logger });
  const topics = topicNames(config.bus.topics);
  await bus.ensureTopics(topicSpecs(topics).filter((t) => t.topic === topics.alerts));
  const producer = bus.producer();
  const registry = new Registry();
  const projector = createProjector({
    store,
    readModels,
    alerts: busAlertsPublisher(producer, topics.alerts),
    metrics: createProjectorMetrics(registry),
    logger,
    config: {
      maxBatchEvents: config.maxBatchEvents,
      flushIntervalMs: config.flushIntervalMs,
      catchUpFlushIntervalMs: config.catchUpFlushIntervalMs,
    },
  });
  const onProgress = (p: Progress) =>
    options.progress.write(`projected ${p.events} events (${Math.round(p.eventsPerSecond)}/s), checkpoint ${p.checkpoint ?? '-'}\n`);
  const close = async () => {
    await producer.close();
    await bus.close();
    await readModels.close();
    await store.close();
  };
  try {
    if (options.rebuild) {
      await projector.rebuild({ onProgress });
      options.progress.write(`rebuild done at checkpoint ${projector.checkpoint() ?? '-'}\n`);
    }
    if (options.once) {
      if (!options.rebuild) await projector.catchUp({ onProgress });
      return 0;
    }
    const ops =
      config.metricsPort === 0
        ? undefined
        : await startOpsServer({
            name: 'projector',
            host: config.metricsHost,
            port: config.metricsPort,
            registry,
            apiKeys: config.apiKeys,
            logLevel: config.logLevel,
            checks: () => ({ projector: { ok: projector.state() === 'running', detail: projector.state() } }),
          });
    await projector.start();
    const outcome = await Promise.race([options.stopSignal.then((signal) => ({ signal })), projector.done().then(() => ({ signal: 'end' }))]);
    logger.info('stopping', outcome);
    await projector.stop();
    await ops?.close();
    return 0;
  } catch (error) {
    logger.error('projector stopped on an error', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    return 1;
  } finally {
    await close();
  }
}
