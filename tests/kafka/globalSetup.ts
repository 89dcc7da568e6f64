import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  jarsAlreadyFetched,
  startLocalBroker,
  stopLocalBroker,
  type LocalBrokerHandle,
} from './localBroker.ts';
import type { KafkaProvidedContext } from './providedContext.ts';

interface Acquired {
  readonly brokers: string;
  readonly source: 'env' | 'container' | 'local';
  readonly local: LocalBrokerHandle | null;
  teardown(): Promise<void>;
}

const CONTAINER_IMAGE = 'confluentinc/cp-kafka:7.9.0';
const RUNTIME_PROBE_MS = 5000;

/**
 * Gets a broker for the `kafka` project: KAFKA_BROKERS → testcontainers (if a container
 * runtime answers) → infra/kafka/kafka.sh (if java and mvn exist) → skip, which fails on CI.
 * KAFKA_HARNESS=local skips the container attempt (e.g. to test broker restarts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const skipped: string[] = [];
  const acquired = await acquire(skipped);
  if (acquired === undefined) {
    const reason = `no Kafka broker: ${skipped.join('; ')}`;
    if (process.env.CI === 'true')
      throw new Error(`[kafka] ${reason} (CI=true: Kafka tests must not be skipped)`);
    console.warn(`[kafka] Kafka tests will be skipped - ${reason}`);
    provide(project, {
      kafkaBrokers: '',
      kafkaSkipReason: reason,
      kafkaSource: 'none',
      kafkaLocalBroker: null,
    });
    return async () => {};
  }
  console.log(`[kafka] using ${acquired.source} broker at ${acquired.brokers}`);
  provide(project, {
    kafkaBrokers: acquired.brokers,
    kafkaSkipReason: '',
    kafkaSource: acquired.source,
    kafkaLocalBroker: acquired.local,
  });
  return () => acquired.teardown();
}

function provide(project: TestProject, context: KafkaProvidedContext): void {
  for (const key of Object.keys(context) as Array<keyof KafkaProvidedContext>)
    project.provide(key, context[key]);
}

async function acquire(skipped: string[]): Promise<Acquired | undefined> {
  const fromEnv = process.env.KAFKA_BROKERS?.trim();
  if (fromEnv) return { brokers: fromEnv, source: 'env', local: null, teardown: async () => {} };
  skipped.push('KAFKA_BROKERS is not set');

  if (process.env.KAFKA_HARNESS === 'local')
    skipped.push('containers not tried (KAFKA_HARNESS=local)');
  else {
    const runtime = await containerRuntime();
    if (runtime.ok) return startContainer();
    skipped.push(`no container runtime (${runtime.reason})`);
  }

  const missing = ['java', ...(jarsAlreadyFetched() ? [] : ['mvn'])].filter((cmd) => !onPath(cmd));
  if (missing.length === 0) return startLocal();
  skipped.push(`no local broker (${missing.join(' and ')} not on PATH)`);
  return undefined;
}

async function containerRuntime(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${RUNTIME_PROBE_MS} ms`)),
        RUNTIME_PROBE_MS,
      );
    });
    try {
      await Promise.race([getContainerRuntimeClient(), timeout]);
    } finally {
      clearTimeout(timer);
    }
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      reason: error instanceof Error ? (error.message.split('\n')[0] ?? 'unknown') : String(error),
    };
  }
}

async function startContainer(): Promise<Acquired> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const container = await new KafkaContainer(CONTAINER_IMAGE)
    .withKraft()
    .withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false', KAFKA_NUM_PARTITIONS: '3' })
    .start();
  return {
    brokers: `${container.getHost()}:${container.getMappedPort(9093)}`,
    source: 'container',
    local: null,
    teardown: async () => {
      await container.stop();
    },
  };
}

async function startLocal(): Promise<Acquired> {
  const dir = await mkdtemp(join(tmpdir(), 'dgt-kafka-'));
  const handle: LocalBrokerHandle = {
    dir,
    port: await freePort(),
    controllerPort: await freePort(),
    ownerPid: process.pid,
  };
  const started = Date.now();
  try {
    await startLocalBroker(handle);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  console.log(
    `[kafka] local broker (infra/kafka/kafka.sh) started in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return {
    brokers: `127.0.0.1:${handle.port}`,
    source: 'local',
    local: handle,
    teardown: async () => {
      try {
        await stopLocalBroker(handle);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
