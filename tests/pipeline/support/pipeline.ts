import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testApiKeys } from './keys.ts';
import { answers200, freePort, startService, type ServiceProcess } from './services.ts';

export const ingestScript = 'services/ingest/src/main.ts';
export const recorderScript = 'services/recorder/src/main.ts';

/** One isolated pipeline: its own topic prefix, consumer group, SQLite file and keys on a shared broker. */
export interface PipelineEnv {
  readonly runId: string;
  readonly brokers: readonly string[];
  readonly topicPrefix: string;
  readonly groupId: string;
  readonly dir: string;
  readonly storePath: string;
  readonly keys: ReturnType<typeof testApiKeys>;
  dispose(): Promise<void>;
}

export async function pipelineEnv(brokers: readonly string[], name: string): Promise<PipelineEnv> {
  const runId = `${name}-${randomUUID().slice(0, 8)}`;
  const dir = await mkdtemp(join(tmpdir(), `dgt-pipeline-${name}-`));
  return {
    runId,
    brokers,
    topicPrefix: `${runId}.dg.`,
    groupId: `recorder-${runId}`,
    dir,
    storePath: join(dir, 'events.sqlite'),
    keys: testApiKeys(),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

function commonEnv(p: PipelineEnv): Record<string, string> {
  return { KAFKA_BROKERS: p.brokers.join(','), DGT_TOPIC_PREFIX: p.topicPrefix, DGT_API_KEYS: p.keys.json };
}

export interface RunningIngest {
  readonly proc: ServiceProcess;
  readonly url: string;
}

export async function startIngest(p: PipelineEnv, env: Record<string, string> = {}): Promise<RunningIngest> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = await startService({
    name: 'ingest',
    script: ingestScript,
    env: {
      ...commonEnv(p),
      INGEST_PORT: String(port),
      INGEST_HOST: '127.0.0.1',
      INGEST_LOG_LEVEL: 'warn',
      // The fleet is dated 2026-03-01 (fixed, so runs compare): the operator's way to load history
      // is a back-fill window that covers it (a process cannot be handed a clock).
      INGEST_BACKFILL_WINDOW_S: String(36_500 * 86_400),
      ...env,
    },
    ready: () => answers200(`${url}/readyz`, p.keys.metrics),
  });
  return { proc, url };
}

export interface RunningRecorder {
  readonly proc: ServiceProcess;
  readonly metricsUrl: string;
}

export async function startRecorder(p: PipelineEnv, env: Record<string, string> = {}): Promise<RunningRecorder> {
  const port = await freePort();
  const proc = await startService({
    name: 'recorder',
    script: recorderScript,
    env: {
      ...commonEnv(p),
      RECORDER_GROUP_ID: p.groupId,
      DGT_EVENTSTORE: 'sqlite',
      DGT_EVENTSTORE_PATH: p.storePath,
      RECORDER_METRICS_PORT: String(port),
      RECORDER_RETRY_BACKOFF_MS: '200',
      RECORDER_LAG_INTERVAL_MS: '1000',
      LOG_LEVEL: 'warn',
      ...env,
    },
    ready: () => answers200(`http://127.0.0.1:${port}/readyz`, p.keys.metrics),
  });
  return { proc, metricsUrl: `http://127.0.0.1:${port}/metrics` };
}
