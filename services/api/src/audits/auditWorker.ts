import { existsSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { type EventStore, openEsdbEventStore, openSqliteEventStore } from '@dgt/eventstore';
import { storeSource } from '@dgt/replay';
import { runAuditJob } from './auditJob.ts';
import type { AuditWorkerData, AuditWorkerReply } from './auditRunner.ts';

/*
 * One audit in a worker thread (started by auditRunner.ts through auditWorkerBoot.mjs): opens its
 * own connection to the store, runs the job, posts the outcome (its bytes transferred, not
 * copied) or the error, closes the connection and ends.
 */

function openStore(data: AuditWorkerData['store']): EventStore {
  if (data.kind === 'esdb') return openEsdbEventStore({ connectionString: data.connectionString });
  // Opening a SQLite path creates a missing file: an audit must never conjure an empty store.
  if (!existsSync(data.path)) throw new Error(`the event store ${data.path} does not exist`);
  return openSqliteEventStore({ path: data.path });
}

function describe(error: unknown): AuditWorkerReply & { ok: false } {
  const e = (error ?? {}) as { name?: unknown; message?: unknown; code?: unknown };
  return { ok: false, name: String(e.name ?? 'Error'), message: String(e.message ?? error), code: typeof e.code === 'string' ? e.code : undefined };
}

const { job, store: storeData } = workerData as AuditWorkerData;
const port = parentPort;
if (port === null) throw new Error('auditWorker.ts runs as a worker thread');
let store: EventStore | undefined;
try {
  store = openStore(storeData);
  const outcome = await runAuditJob(job, storeSource(store));
  const reply: AuditWorkerReply = { ok: true, outcome };
  port.postMessage(reply, [outcome.reportJson.buffer, outcome.html.buffer, outcome.reportFile.buffer, outcome.csv.buffer]);
} catch (error) {
  port.postMessage(describe(error));
} finally {
  await store?.close();
}
