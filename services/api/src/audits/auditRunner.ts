import { Worker } from 'node:worker_threads';
import type { EventStore, EventStoreConfig } from '@dgt/eventstore';
import { AppError } from '@dgt/http';
import { ReplayError, type ReplayErrorCode, storeSource } from '@dgt/replay';
import { type AuditJob, type AuditOutcome, runAuditJob } from './auditJob.ts';

/** Runs audits; `close` stops those still running (their requests fail). */
export interface AuditRunner {
  run(job: AuditJob): Promise<AuditOutcome>;
  close(): Promise<void>;
}

/** A store a worker thread can open on its own: a SQLite file or an EventStoreDB connection. */
export type AuditStore = Exclude<EventStoreConfig, { kind: 'memory' }>;

/** What a worker is started with (auditWorker.ts). */
export interface AuditWorkerData {
  readonly entry: string;
  readonly store: AuditStore;
  readonly job: AuditJob;
}

export type AuditWorkerReply = { ok: true; outcome: AuditOutcome } | { ok: false; name: string; message: string; code: string | undefined };

const bootUrl = new URL('./auditWorkerBoot.mjs', import.meta.url);
const entryUrl = new URL('./auditWorker.ts', import.meta.url);

/**
 * Each audit in a worker thread of its own, which opens its own connection to the store. A
 * whole-store replay (zone covers, every event through the engine, the report rendered) held
 * the API's event loop for seconds; in a worker the API thread only starts it and receives the
 * finished bytes. Reading on the API thread and passing the events over would cost that thread
 * about a third of the replay (parsing the store's pages, cloning every event), so the worker
 * reads the store itself. A worker per audit (~0.3 s to start, next to seconds of replay) gives
 * the memory of a large replay back when it ends.
 */
export function workerAuditRunner(store: AuditStore): AuditRunner {
  const running = new Set<Worker>();
  let closed = false;
  return {
    run: (job) =>
      new Promise<AuditOutcome>((resolve, reject) => {
        if (closed) return reject(shuttingDown());
        const workerData: AuditWorkerData = { entry: entryUrl.href, store, job };
        // No loader flags to inherit (see auditWorkerBoot.mjs).
        const worker = new Worker(bootUrl, { workerData, execArgv: [] });
        running.add(worker);
        let settled = false;
        const settle = (done: () => void): void => {
          if (settled) return;
          settled = true;
          done();
        };
        worker.once('message', (reply: AuditWorkerReply) => settle(() => (reply.ok ? resolve(reply.outcome) : reject(rebuilt(reply)))));
        worker.once('error', (error) => settle(() => reject(error)));
        worker.once('exit', (code) => {
          running.delete(worker);
          settle(() => reject(closed ? shuttingDown() : new Error(`the audit worker stopped (exit code ${code}) before it answered`)));
        });
      }),
    close: async () => {
      closed = true;
      await Promise.all([...running].map((w) => w.terminate()));
    },
  };
}

/**
 * On the calling thread: for a store only this process can read (the in-memory store of tests and
 * small demos), where a worker has nothing to open.
 */
export function inlineAuditRunner(store: EventStore): AuditRunner {
  return { run: (job) => runAuditJob(job, storeSource(store)), close: async () => undefined };
}

/** The runner for the API's store: a worker per audit unless the store lives only in this process. */
export function auditRunnerFor(config: EventStoreConfig, store: EventStore): AuditRunner {
  return config.kind === 'memory' ? inlineAuditRunner(store) : workerAuditRunner(config);
}

function shuttingDown(): AppError {
  return new AppError('UNAVAILABLE', 'the API is shutting down; run the audit again', undefined, { retryAfterSeconds: 10 });
}

/** A replay error keeps its class (the route answers it 400); anything else is an internal failure. */
function rebuilt(reply: AuditWorkerReply & { ok: false }): Error {
  if (reply.name === 'ReplayError' && reply.code !== undefined) return new ReplayError(reply.code as ReplayErrorCode, reply.message);
  return new Error(`the audit failed in its worker: ${reply.name}: ${reply.message}`);
}
