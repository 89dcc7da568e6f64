import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { EventStoreError } from '../errors.ts';
import type { EventEnvelope, RecordedEvent } from '../port.ts';
import { positionOf } from '../sequencePosition.ts';
import { attachPageNdjson, type PageNdjson } from './pageNdjson.ts';

/** A keyset-paged query over the log, run by the worker (see readAheadWorker.mjs). */
export interface ReadAheadQuery {
  path: string;
  /** Parameters `(after, upto, ...params, limit)`; rows `position, stream_id, revision, recorded_at, json` in position order. */
  sql: string;
  params: readonly (string | number)[];
  after: number;
  upto: number;
  /** Events to deliver at most (may be Infinity). */
  maxCount: number;
  pageSize: number;
  /** Pages read ahead of the consumer at most, over all workers (memory bound: pageSize × pagesInFlight events). */
  pagesInFlight: number;
  /**
   * Worker threads sharing the read. One reads keyset pages; several take turns by windows of
   * `pageSize` positions (worker k reads windows k, k + n, …) and the consumer takes their pages
   * in the same turn, so the order is the log's.
   */
  workers: number;
  includeJson: boolean;
  /** With includeJson: the stored JSON as each page's NDJSON bytes (see pageNdjson.ts), `json` left off the events they cover. */
  ndjson?: boolean;
}

/** What a reader needs from its store: the closed check of every read, and shutdown on close. */
export interface ReadAheadHost {
  assertOpen(): void;
  /** Registers `stop` to be called when the store closes (it resolves once the reader's workers exited); returns the unregistration. */
  track(stop: () => Promise<void>): () => void;
}

interface PageMessage {
  type: 'page';
  positions: Float64Array;
  revisions: Float64Array;
  streamIndex: Int32Array;
  recordedIndex: Int32Array;
  streams: string[];
  recorded: string[];
  /** The stored JSON; null for a plain fix when the read does not include JSON, or has it in `ndjson`. */
  json: (string | null)[];
  fixes: PlainFixColumns;
  /** The page's NDJSON (reads with `ndjson`), else null. */
  ndjson: PageNdjson | null;
}

/** Plain fixes parsed by the worker (see `readFix` in readAheadWorker.mjs). */
interface PlainFixColumns {
  /** Per row: its index in these columns, or -1 when the row is not a plain fix. */
  index: Int32Array;
  /** Per fix: headingDeg (NaN when absent), lat, lon, speedKmh. */
  numbers: Float64Array;
  eventIds: string[];
  occurredIndex: Int32Array;
  vehicleIndex: Int32Array;
  occurred: string[];
  vehicles: string[];
}

interface Lane {
  control: Int32Array;
  pages: MessagePort;
  worker: Worker;
}

type Message = PageMessage | { type: 'end' } | { type: 'error'; name: string; message: string; code: string | undefined } | { type: 'crash'; error: unknown };

const CREDITS = 0;
const STOP = 1;
const workerUrl = new URL('./readAheadWorker.mjs', import.meta.url);
/** How long a stopped worker may take to finish its page and exit before it is terminated. */
const STOP_GRACE_MS = 30_000;
let running = 0;
let fixesParsedAhead = 0;

/** Read-ahead worker threads alive in this process (for tests and diagnostics). */
export function runningReadAheadWorkers(): number {
  return running;
}

/** Events handed out by read-ahead readers as plain fixes parsed on the worker (for tests and diagnostics). */
export function plainFixesParsedAhead(): number {
  return fixesParsedAhead;
}

/**
 * The event JSON.parse would give for a plain fix's stored JSON: same keys, same order, same
 * values (the worker checked the layout; finite numbers survive a Float64Array exactly). Its
 * strings were copied across the thread boundary, so no event keeps a page's text alive — what
 * sank the hand-written parser of the inline read (see sqliteEventStore.ts).
 */
function fixEvent(f: PlainFixColumns, k: number): EventEnvelope {
  const heading = f.numbers[4 * k] as number;
  const lat = f.numbers[4 * k + 1] as number;
  const lon = f.numbers[4 * k + 2] as number;
  const speedKmh = f.numbers[4 * k + 3] as number;
  const vehicleId = f.vehicles[f.vehicleIndex[k] as number] as string;
  const data = Number.isNaN(heading) ? { lat, lon, speedKmh, vehicleId } : { headingDeg: heading, lat, lon, speedKmh, vehicleId };
  return { eventId: f.eventIds[k] as string, type: 'VehiclePositionReported', occurredAt: f.occurred[f.occurredIndex[k] as number] as string, data };
}

function toRecords(p: PageMessage, includeJson: boolean): RecordedEvent[] {
  const out = recordsOf(p, includeJson);
  if (p.ndjson !== null) attachPageNdjson(out, p.ndjson);
  return out;
}

function recordsOf(p: PageMessage, includeJson: boolean): RecordedEvent[] {
  const n = p.positions.length;
  const out = new Array<RecordedEvent>(n);
  const fixes = p.fixes;
  fixesParsedAhead += fixes.eventIds.length;
  for (let i = 0; i < n; i++) {
    const json = p.json[i] as string | null;
    const k = fixes.index[i] as number;
    const event = k >= 0 ? fixEvent(fixes, k) : (JSON.parse(json as string) as EventEnvelope);
    const streamId = p.streams[p.streamIndex[i] as number] as string;
    const recordedAt = p.recorded[p.recordedIndex[i] as number] as string;
    const position = positionOf(p.positions[i] as number);
    const revision = p.revisions[i] as number;
    // Same shape (and key order) as the inline read's records; a fix whose line is in the page's NDJSON comes without json.
    out[i] = includeJson && json !== null ? { event, streamId, revision, position, recordedAt, json: json as string } : { event, streamId, revision, position, recordedAt };
  }
  return out;
}

/**
 * One read run ahead by worker threads on their own connections, so the SQLite work of the next
 * pages overlaps the consumer's work on this one. The workers start on the first `nextPage`;
 * `stop` (end of iteration, break, maxCount reached, or the store closing) terminates them.
 *
 * Pages wait on a port of their own, still serialized (off the JavaScript heap), and are taken
 * off it only when the consumer asks (`receiveMessageOnPort`): no event-loop turn per page, and
 * no burst of every page read ahead being deserialized into the heap at once whenever a busy
 * consumer lets the loop turn. A message on the worker's own channel rings when the consumer
 * waits.
 */
export class ReadAheadReader {
  readonly #query: ReadAheadQuery;
  readonly #host: ReadAheadHost;
  /** Per worker: its credits and the stop flag, its page port, the thread. */
  #lanes: Lane[] = [];
  /** Whose page comes next. */
  #turn = 0;
  /** Events handed out so far (several workers read whole windows: maxCount is enforced here). */
  #delivered = 0;
  /** A worker's crash or early exit, delivered when the pages due before it are exhausted. */
  #failure: Message | null = null;
  #wake: (() => void) | null = null;
  #untrack: (() => void) | null = null;
  #started = false;
  #stopped = false;
  #stoppedBy: 'consumer' | 'store-closed' = 'consumer';

  constructor(query: ReadAheadQuery, host: ReadAheadHost) {
    this.#query = query;
    this.#host = host;
  }

  async nextPage(): Promise<RecordedEvent[] | null> {
    this.#host.assertOpen();
    if (this.#stopped) return null;
    if (!this.#started) this.#start();
    let msg = this.#take();
    while (msg === undefined) {
      // Only a read being waited for keeps the process alive; an abandoned one does not.
      for (const lane of this.#lanes) lane.worker.ref();
      await new Promise<void>((resolve) => (this.#wake = resolve));
      for (const lane of this.#lanes) lane.worker.unref();
      if (this.#stoppedBy === 'store-closed') throw new EventStoreError('STORE_CLOSED', `the event store at ${this.#query.path} is closed`);
      if (this.#stopped) return null;
      msg = this.#take();
    }
    switch (msg.type) {
      case 'page': {
        const lane = this.#lanes[this.#turn] as Lane;
        Atomics.add(lane.control, CREDITS, 1);
        Atomics.notify(lane.control, CREDITS);
        this.#turn = (this.#turn + 1) % this.#lanes.length;
        return this.#counted(toRecords(msg, this.#query.includeJson));
      }
      case 'end':
        this.stop();
        return null;
      case 'error':
        this.stop();
        throw this.#rebuild(msg.name, msg.message, msg.code);
      case 'crash':
        this.stop();
        throw new EventStoreError('STORE_UNREADABLE', `${this.#query.path}: the read-ahead worker failed: ${(msg.error as Error)?.message ?? String(msg.error)}`, { cause: msg.error });
      default: {
        const never: never = msg;
        throw new Error(`unexpected read-ahead message ${JSON.stringify(never)}`);
      }
    }
  }

  /**
   * Ends the read and terminates the workers. A `nextPage` waiting meanwhile ends the read, or
   * fails with STORE_CLOSED when the store closed under it (as its next inline page would).
   */
  stop(by: 'consumer' | 'store-closed' = 'consumer'): Promise<void> {
    if (this.#stopped) return this.#exited;
    this.#stopped = true;
    this.#stoppedBy = by;
    // Tracked until its workers have exited, so a store closing meanwhile still waits for them.
    const untrack = this.#untrack;
    void this.#exited.then(() => untrack?.());
    for (const lane of this.#lanes) {
      Atomics.store(lane.control, STOP, 1);
      Atomics.notify(lane.control, CREDITS);
      lane.pages.close();
      // The STOP flag ends the worker at its next page: it closes its database and exits by itself.
      // Terminating it instead can catch it inside SQLite, and tearing a thread down in the middle
      // of better-sqlite3 can crash the whole process (seen under load: "Worker exited
      // unexpectedly" of a test process). Only a worker still running long after is terminated.
      const worker = lane.worker;
      const late = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
      late.unref();
      worker.once('exit', () => clearTimeout(late));
    }
    this.#lanes = [];
    this.#signal();
    return this.#exited;
  }

  /** The page due next: the current worker's next message, else a crash if one happened. */
  #take(): Message | undefined {
    const lane = this.#lanes[this.#turn];
    const received = lane === undefined ? undefined : receiveMessageOnPort(lane.pages);
    if (received !== undefined) return received.message as Message;
    return this.#failure ?? undefined;
  }

  /** Cuts the page at maxCount; the read then ends. */
  #counted(records: RecordedEvent[]): RecordedEvent[] {
    const left = this.#query.maxCount - this.#delivered;
    if (records.length >= left) {
      this.stop();
      records.length = Math.max(0, left);
    }
    this.#delivered += records.length;
    return records;
  }

  /** Resolves once every worker this read started has exited (a closing store waits for it: they hold its file open). */
  #exited: Promise<void> = Promise.resolve();

  #start(): void {
    const q = this.#query;
    this.#started = true;
    const n = q.workers;
    const credits = Math.max(2, Math.ceil(q.pagesInFlight / n));
    const exits: Promise<void>[] = [];
    for (let k = 0; k < n; k++) {
      const control = new Int32Array(new SharedArrayBuffer(8));
      Atomics.store(control, CREDITS, credits);
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(workerUrl, {
        // The worker is plain JavaScript: no loader flags (tsx, vitest) to inherit.
        execArgv: [],
        workerData: {
          path: q.path, sql: q.sql, params: q.params, after: q.after, upto: q.upto, remaining: q.maxCount, pageSize: q.pageSize, includeJson: q.includeJson, ndjson: q.ndjson === true,
          control: control.buffer, pages: port2, stride: n, offset: k,
        },
        transferList: [port2],
      });
      running++;
      worker.unref();
      // The doorbell: a worker rings after each message it puts on its page port.
      worker.on('message', () => this.#signal());
      worker.on('error', (error: unknown) => this.#fail({ type: 'crash', error }));
      worker.on('exit', (code) => {
        running--;
        // A worker that finished posted its end (or its error) first; only another exit is a crash.
        if (code !== 0) this.#fail({ type: 'crash', error: new Error(`exited with code ${code} before the end of the read`) });
      });
      this.#lanes.push({ control, pages: port1, worker });
      exits.push(new Promise<void>((resolve) => worker.once('exit', () => resolve())));
    }
    this.#exited = Promise.all(exits).then(() => undefined);
    this.#untrack = this.#host.track(() => this.stop('store-closed'));
  }

  #fail(msg: Message): void {
    if (this.#stopped || this.#failure !== null) return;
    this.#failure = msg;
    this.#signal();
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** The error the same query would have thrown on the main thread. */
  #rebuild(name: string, message: string, code: string | undefined): Error {
    if (name === 'SqliteError' && code !== undefined) return new Database.SqliteError(message, code);
    return new EventStoreError('STORE_UNREADABLE', `${this.#query.path}: the read-ahead worker failed: ${message}`);
  }
}
