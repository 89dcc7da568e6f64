import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { PreparedEvent } from '../envelope.ts';
import type { ExpectedRevision } from '../port.ts';
import { packResults, unpackBatches } from './appendWire.ts';
import { SqliteAppender } from './sqliteAppender.ts';
import { tuneConnection } from './tuneConnection.ts';

/** What the store sends the worker; `id` pairs each request with its answer. */
export type AppendRequest =
  | { readonly id: number; readonly op: 'append'; readonly streamId: string; readonly events: PreparedEvent[]; readonly expected: ExpectedRevision; readonly recordedAt: string }
  /** The batches packed (appendWire.ts); answered with the results packed. */
  | { readonly id: number; readonly op: 'appendMany'; readonly text: string; readonly nums: Float64Array; readonly recordedAt: string }
  | { readonly id: number; readonly op: 'stop' };

/** An error as it crosses the thread boundary; the store turns it back into the error the inline path throws. */
export interface ErrorData {
  readonly name: string;
  readonly message: string;
  readonly code: string | undefined;
  /** WrongExpectedRevisionError's fields. */
  readonly streamId?: string;
  readonly expected?: ExpectedRevision;
  readonly actual?: number | 'no-stream';
}

export interface AppendWorkerData {
  readonly path: string;
  readonly synchronous: 'NORMAL' | 'FULL';
  readonly walAutocheckpointPages: number;
}

function errorData(err: unknown): ErrorData {
  const e = (err ?? {}) as { name?: unknown; message?: unknown; code?: unknown; streamId?: unknown; expected?: unknown; actual?: unknown };
  const base = { name: String(e.name ?? 'Error'), message: String(e.message ?? err), code: typeof e.code === 'string' ? e.code : undefined };
  return typeof e.streamId === 'string' ? { ...base, streamId: e.streamId, expected: e.expected as ExpectedRevision, actual: e.actual as number | 'no-stream' } : base;
}

/**
 * The worker's side: one connection, one SqliteAppender, requests answered in the order they
 * came (the store's appends keep their order). The store created the file and its schema
 * before starting the worker.
 */
export function runAppendWorker(data: AppendWorkerData): void {
  const port = parentPort;
  if (port === null) throw new Error('appendWorkerThread runs on a worker thread');
  const db = new Database(data.path, { fileMustExist: true });
  tuneConnection(db, data.synchronous);
  db.pragma(`wal_autocheckpoint = ${data.walAutocheckpointPages}`);
  const appender = new SqliteAppender(data.path, db);
  port.on('message', (request: AppendRequest) => {
    if (request.op === 'stop') {
      db.close();
      port.postMessage({ id: request.id, ok: true, result: null });
      port.close();
      return;
    }
    try {
      if (request.op === 'append') {
        port.postMessage({ id: request.id, ok: true, result: appender.append(request.streamId, request.events, request.expected, request.recordedAt) });
      } else {
        const result = packResults(appender.appendMany(unpackBatches(request), request.recordedAt));
        port.postMessage({ id: request.id, ok: true, result }, [result.nums.buffer as ArrayBuffer]);
      }
    } catch (err) {
      port.postMessage({ id: request.id, ok: false, error: errorData(err) });
    }
  });
  port.postMessage({ id: 0, ok: true, result: 'ready' });
}
