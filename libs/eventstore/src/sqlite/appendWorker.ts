import { Worker } from 'node:worker_threads';
import type { PreparedEvent } from '../envelope.ts';
import { EventStoreError, WrongExpectedRevisionError, type EventStoreErrorCode } from '../errors.ts';
import type { AppendResult, ExpectedRevision } from '../port.ts';
import { packBatches, unpackResults, type PackedResults } from './appendWire.ts';
import type { AppendRequest, AppendWorkerData, ErrorData } from './appendWorkerThread.ts';
import type { PreparedStreamBatch } from './sqliteAppender.ts';

const workerUrl = new URL('./appendWorker.mjs', import.meta.url);
/** How long a stopping worker may take to finish its queue and close before it is terminated. */
const STOP_GRACE_MS = 30_000;

type Answer = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ErrorData };

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

const storeCodes = new Set<string>(['WRONG_EXPECTED_REVISION', 'INVALID_EVENT', 'INVALID_ARGUMENT', 'INVALID_POSITION', 'STORE_UNREADABLE', 'SCHEMA_TOO_NEW', 'STORE_CLOSED']);

/** The error the inline path would have thrown, rebuilt from what crossed the thread boundary. */
function rebuild(data: ErrorData): Error {
  if (data.name === 'WrongExpectedRevisionError' && data.streamId !== undefined && data.expected !== undefined && data.actual !== undefined)
    return new WrongExpectedRevisionError(data.streamId, data.expected, data.actual);
  if (data.code !== undefined && storeCodes.has(data.code) && data.name === 'EventStoreError') return new EventStoreError(data.code as EventStoreErrorCode, data.message);
  const error = new Error(data.message) as Error & { code?: string };
  error.name = data.name;
  if (data.code !== undefined) error.code = data.code;
  return error;
}

/**
 * The store's appends on a worker thread (`append: 'worker'`): the worker owns the writing
 * connection and runs SqliteAppender there, so SQLite's share of an append — the id and
 * revision lookups, the inserts, the commit — leaves the caller's event loop. The caller pays
 * for copying the prepared events across (`appendMany` packed: appendWire.ts) and waits for the
 * commit as before: an append resolves only after its transaction committed.
 *
 * The worker is referenced only while an append is in flight: an idle store does not keep the
 * process alive, and a pending append does. If the worker dies, every pending and later append
 * fails with STORE_UNREADABLE; the store's reads go on.
 */
export class AppendWorker {
  readonly #path: string;
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #exited: Promise<void>;
  #nextId = 1;
  #failure: Error | undefined;
  #stopping = false;

  constructor(path: string, data: Omit<AppendWorkerData, 'path'>) {
    this.#path = path;
    // No inherited node options: the entry loads its TypeScript itself, and options such as
    // --input-type of a `node -e` parent would stop a worker from starting at all.
    this.#worker = new Worker(workerUrl, { workerData: { path, ...data } satisfies AppendWorkerData, execArgv: [] });
    this.#worker.unref();
    this.#worker.on('message', (answer: Answer) => this.#answer(answer));
    this.#worker.once('error', (err) => this.#fail(err));
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', (code) => {
        if (!this.#stopping || this.#pending.size > 0) this.#fail(new Error(`the append worker exited (code ${code})`));
        resolve();
      });
    });
  }

  append(streamId: string, events: PreparedEvent[], expected: ExpectedRevision, recordedAt: string): Promise<AppendResult> {
    return this.#request({ op: 'append', streamId, events, expected, recordedAt }) as Promise<AppendResult>;
  }

  /** Packed both ways (see appendWire.ts): a recorder batch is thousands of small objects. */
  async appendMany(batches: PreparedStreamBatch[], recordedAt: string): Promise<AppendResult[]> {
    const packed = packBatches(batches);
    const answer = (await this.#request({ op: 'appendMany', text: packed.text, nums: packed.nums, recordedAt }, [packed.nums.buffer as ArrayBuffer])) as PackedResults;
    return unpackResults(answer);
  }

  /** Lets the worker finish the appends sent before, close its connection and exit. */
  async stop(): Promise<void> {
    // Referenced until it has exited: a caller awaiting close() in a process with nothing else
    // left to do must get its close, not a process that quietly ends under it.
    this.#worker.ref();
    if (!this.#stopping && this.#failure === undefined) {
      this.#stopping = true;
      const stopped = this.#request({ op: 'stop' }).catch(() => undefined);
      const timer = setTimeout(() => void this.#worker.terminate(), STOP_GRACE_MS);
      await stopped;
      clearTimeout(timer);
    }
    this.#stopping = true;
    if (this.#failure !== undefined) await this.#worker.terminate();
    await this.#exited;
  }

  #request(request: DistributiveOmit<AppendRequest, 'id'>, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    const answered = new Promise<unknown>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    if (this.#pending.size === 1) this.#worker.ref();
    this.#worker.postMessage({ ...request, id }, transfer);
    return answered;
  }

  #answer(answer: Answer): void {
    const pending = this.#pending.get(answer.id);
    if (pending === undefined) return; // id 0: the worker is ready
    this.#pending.delete(answer.id);
    if (this.#pending.size === 0 && !this.#stopping) this.#worker.unref();
    if (answer.ok) pending.resolve(answer.result);
    else pending.reject(rebuild(answer.error));
  }

  #fail(cause: unknown): void {
    this.#failure ??= new EventStoreError('STORE_UNREADABLE', `${this.#path}: the append worker failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    for (const pending of this.#pending.values()) pending.reject(this.#failure);
    this.#pending.clear();
    if (!this.#stopping) this.#worker.unref();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
