import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { holdStoreWriteLock } from './storeWriteLock.ts';
import { storedIdCounts } from './storedIds.ts';
import { demoKey, freePortPair, startStackProcess, untilBanner, type StackProcess } from './stackProcess.ts';

export interface KillScenarioOptions {
  readonly dataDir: string;
  /** More `npm start` arguments (e.g. `--kafka <brokers>`). */
  readonly extraArgs?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly kills: number;
  /** Loader threads, one request in flight each. */
  readonly workers: number;
  /** Load time before the store is locked, drawn from this range (ms after the banner). */
  readonly loadMs: readonly [number, number];
  /** Acknowledged positions each run must reach before the store is locked. */
  readonly minAckedPerRun: number;
  /** Each start (seeds, Kafka group join) must print its banner within this. */
  readonly startTimeoutMs: number;
  /** After the load, how long the recorder may take to record everything acknowledged. */
  readonly drainTimeoutMs: number;
  readonly log: (line: string) => void;
}

export interface KillRecord {
  /** Acknowledged so far (every run up to this kill). */
  readonly acknowledged: number;
  /** Of those, in the event store right after the kill; the rest was only in the bus. */
  readonly recordedAtKill: number;
  readonly afterMs: number;
}

export interface KillReport {
  readonly kills: readonly KillRecord[];
  readonly acknowledged: number;
  readonly stored: number;
  readonly missing: readonly string[];
  readonly duplicated: readonly string[];
  /** Stored but never seen acknowledged: answered by a process that was killed before the 202 arrived. */
  readonly storedNotAcknowledged: number;
  readonly failedRequests: number;
}

/**
 * Starts the real `npm start`, drives a multi-threaded load of position batches at its ingest
 * gateway, SIGKILLs it `kills` times at random moments during the load and restarts it on the
 * same data directory, then stops the load, waits for the recorder and counts: every id a 202
 * acknowledged must be in the event store exactly once. Before each kill the store's write lock
 * is taken (see storeWriteLock.ts), and the kill comes right after the first 202 for a batch sent
 * after that: at least that batch is acknowledged and only in the bus.
 */
export async function killUnderLoad(options: KillScenarioOptions): Promise<KillReport> {
  const runTag = randomBytes(4).toString('hex');
  const prefix = `crash-${runTag}-`;
  const port = await freePortPair();
  // A fixed port leaves the JT/T 808 default (6808) shared by every crash test running at once: not what they test.
  const args = ['--no-sim', '--data', options.dataDir, '--port', String(port), '--jt808-port', 'off', '--log-level', 'warn', ...(options.extraArgs ?? [])];
  const env = { ...options.env };
  const acked = new Set<string>();
  let failedRequests = 0;
  const kills: KillRecord[] = [];
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  /** Set while a kill waits for its moment: called on every acknowledgement with its request's send time. */
  let onAck: ((sentAt: number) => void) | undefined;
  const workers: Worker[] = [];
  let stack: StackProcess | undefined;
  const started = Date.now();

  try {
    stack = startStackProcess(args, env);
    await untilBanner(stack, options.startTimeoutMs);
    const workerData = { ingestUrl: `http://127.0.0.1:${port + 1}`, apiKey: demoKey(options.dataDir, 'ingest'), runTag, minBatch: 500, maxBatch: 2000 };
    const stopped: Promise<void>[] = [];
    for (let worker = 0; worker < options.workers; worker++) {
      const w = new Worker(new URL('./postBatches.worker.mjs', import.meta.url), { workerData: { ...workerData, worker } });
      workers.push(w);
      stopped.push(
        new Promise<void>((resolve, reject) => {
          w.on('message', (m: { kind: string; ids?: string[]; sentAt?: number }) => {
            if (m.kind === 'acked') {
              for (const id of m.ids ?? []) acked.add(id);
              onAck?.(m.sentAt ?? 0);
            }
            else if (m.kind === 'failed' || m.kind === 'refused') failedRequests++;
            else if (m.kind === 'stopped') resolve();
          });
          w.once('error', reject);
        }),
      );
    }

    for (let k = 1; k <= options.kills; k++) {
      options.log(`run ${k} up at ${elapsed()}`);
      await ackedAtLeast(acked, options.minAckedPerRun, options.loadMs, `run ${k}`);
      const lock = holdStoreWriteLock(options.dataDir);
      const lockedAt = Date.now();
      const running = stack;
      try {
        // SIGKILL from inside the acknowledgement handler: nothing else runs in between.
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`run ${k}: no batch sent after the store was locked was acknowledged within 20 s:\n${running.output()}`)), 20_000);
          onAck = (sentAt) => {
            if (sentAt <= lockedAt) return;
            running.child.kill('SIGKILL');
            onAck = undefined;
            clearTimeout(timer);
            resolve();
          };
        });
      } finally {
        onAck = undefined;
        lock.release();
      }
      for (const w of workers) w.postMessage('pause');
      const { signal } = await stack.exited;
      if (signal !== 'SIGKILL') throw new Error(`npm start ended (${signal}) before it was killed:\n${stack.output()}`);
      const acknowledged = acked.size;
      const stored = storedIdCounts(options.dataDir, prefix);
      const recordedAtKill = [...acked].filter((id) => stored.has(id)).length;
      kills.push({ acknowledged, recordedAtKill, afterMs: Date.now() - started });
      options.log(`kill ${k} at ${elapsed()}: ${acknowledged} positions acknowledged so far, ${recordedAtKill} of them in the event store, ${acknowledged - recordedAtKill} acknowledged but not yet recorded (only in the bus)`);
      stack = startStackProcess(args, env);
      await untilBanner(stack, options.startTimeoutMs);
      for (const w of workers) w.postMessage('resume');
    }

    // The last run under load for a moment, then the load stops and the recorder catches up.
    options.log(`run ${options.kills + 1} up at ${elapsed()}`);
    await ackedAtLeast(acked, options.minAckedPerRun, options.loadMs, `run ${options.kills + 1}`);
    for (const w of workers) w.postMessage('stop');
    await Promise.all(stopped);
    options.log(`load stopped at ${elapsed()}`);
    const drainDeadline = Date.now() + options.drainTimeoutMs;
    for (;;) {
      const stored = storedIdCounts(options.dataDir, prefix);
      if ([...acked].every((id) => stored.has(id)) || Date.now() > drainDeadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    options.log(`recorder caught up at ${elapsed()}`);
    stack.child.kill('SIGINT');
    const { code } = await stack.exited;
    options.log(`stopped cleanly at ${elapsed()}`);
    if (code !== 0) throw new Error(`npm start did not stop cleanly (exit ${code}):\n${stack.output()}`);

    const stored = storedIdCounts(options.dataDir, prefix);
    return {
      kills,
      acknowledged: acked.size,
      stored: stored.size,
      missing: [...acked].filter((id) => !stored.has(id)),
      duplicated: [...stored].filter(([, n]) => n !== 1).map(([id]) => id),
      storedNotAcknowledged: [...stored.keys()].filter((id) => !acked.has(id)).length,
      failedRequests,
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
    if (stack !== undefined && stack.child.exitCode === null && stack.child.signalCode === null) {
      stack.child.kill('SIGKILL');
      await stack.exited;
    }
  }
}

/** Waits a random time from `range` and until `count` more positions were acknowledged. */
async function ackedAtLeast(acked: ReadonlySet<string>, count: number, range: readonly [number, number], what: string): Promise<void> {
  const from = acked.size;
  const wait = range[0] + Math.random() * (range[1] - range[0]);
  const since = Date.now();
  while (Date.now() - since < wait || acked.size - from < count) {
    if (Date.now() - since > 60_000) throw new Error(`${what}: only ${acked.size - from} positions acknowledged in 60 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
