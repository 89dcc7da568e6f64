import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { preparePrivateSqliteFile } from '@dgt/datadir';
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { ChangeSignal } from '../changeSignal.ts';
import { readAheadFromEnv } from '../config.ts';
import { systemClock, type Clock } from '../clock.ts';
import { assertStreamId, prepareBatch, prepareStreamBatches } from '../envelope.ts';
import { EventStoreError } from '../errors.ts';
import { compileFilter, type CompiledFilter } from '../filter.ts';
import { assertExpectedRevision } from '../expectedRevision.ts';
import { pagedIterable } from '../pagedIterable.ts';
import type {
  AppendOptions,
  AppendResult,
  EventEnvelope,
  EventStore,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamBatch,
  SubscribeAllOptions,
  Subscription,
} from '../port.ts';
import { checkMaxCount, subscribeToLog, type SequencedLog } from '../sequencedLog.ts';
import { positionOf, seqAfter, seqUpTo } from '../sequencePosition.ts';
import { migrate } from './schema.ts';
import { ReadAheadReader, type ReadAheadHost } from './readAhead.ts';
import { readStreamsMerged, type EventRow } from './streamsMerged.ts';
import { AppendWorker } from './appendWorker.ts';
import { tuneConnection } from './tuneConnection.ts';
import { SqliteAppender } from './sqliteAppender.ts';
import { SQLITE_DEFAULT_AUTOCHECKPOINT, startWalCheckpointer, WORKER_SAFETY_NET_PAGES, type WalCheckpointer } from './walCheckpointer.ts';

export const DEFAULT_SQLITE_PATH = './data/events.sqlite';

export interface SqliteEventStoreOptions {
  /** Database file; its folder is created. Default `./data/events.sqlite`. */
  path?: string;
  clock?: Clock;
  /**
   * `NORMAL` (default): with WAL every append is atomic and survives a process crash; a power
   * loss may drop the last appends but never corrupts the file. `FULL` also fsyncs each append.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** How often subscriptions look for appends made by other processes. Default 200 ms. */
  pollIntervalMs?: number;
  /** Events per page for reads and subscriptions. Default 1000. */
  pageSize?: number;
  /** Run `PRAGMA quick_check` on open (reads the whole file). Default false. */
  verifyOnOpen?: boolean;
  /**
   * `worker` (default): a large `readAll` is read ahead by a worker thread on its own read-only
   * connection, so SQLite's work overlaps the consumer's (a second core). `inline`: every read
   * runs on the calling thread. Small reads are inline either way (a worker costs milliseconds to start).
   */
  readAhead?: ReadAheadMode;
  /** A read goes to the worker only when it may return at least this many events. Default 50,000. */
  readAheadMinEvents?: number;
  /** Events per page posted by the worker. Default 2048 (measured on 1.5M fixes: 360k events/s against 265k with 8,192-row pages). */
  readAheadPageSize?: number;
  /**
   * Worker threads per read-ahead read, taking turns by position window. Default 2 (1 on a
   * single core): one worker became the limit of a projector catch-up once the projector's own
   * work shrank; a second one takes the other half of the SQLite and parsing work.
   */
  readAheadWorkers?: number;
  /**
   * `inline` (default): SQLite's own WAL checkpoints, inside the commit that crosses 1,000 pages,
   * on the appending thread. `worker`: a worker thread on its own connection checkpoints every
   * `checkpointIntervalMs` (see walCheckpointer.ts) — for a writer whose thread also serves
   * requests (the stack). Same durability either way.
   */
  checkpoint?: 'inline' | 'worker';
  /** How often the checkpoint worker runs. Default 100 ms. */
  checkpointIntervalMs?: number;
  /**
   * `inline` (default): appends run on the calling thread. `worker`: on a worker thread with its
   * own connection (appendWorker.ts) — for a process whose event loop also serves requests (the
   * stack, where appending was a quarter of the loop's work under load). Same transactions,
   * results and durability; an append resolves after its commit either way.
   */
  append?: 'inline' | 'worker';
}

export type ReadAheadMode = 'worker' | 'inline';

type Row = EventRow;

const columns = 'position, stream_id, revision, recorded_at, json';


/*
 * Plain `JSON.parse`: a hand-written parser for stored fixes was ~20 % faster, but its ids and
 * timestamps were slices of the stored text, which kept every ~400-byte text alive as long as
 * its event; copying them out cost the gain back.
 */
function toRecorded(row: Row): RecordedEvent {
  return { event: JSON.parse(row[4]) as EventEnvelope, streamId: row[1], revision: row[2], position: positionOf(row[0]), recordedAt: row[3] };
}

function withJson(row: Row): RecordedEvent {
  return { event: JSON.parse(row[4]) as EventEnvelope, streamId: row[1], revision: row[2], position: positionOf(row[0]), recordedAt: row[3], json: row[4] };
}

function unreadable(path: string, err: unknown): EventStoreError {
  if (err instanceof EventStoreError) return err;
  return new EventStoreError('STORE_UNREADABLE', `cannot open the event store at ${path}: ${(err as Error).message}`, { cause: err });
}

function openDatabase(path: string, options: SqliteEventStoreOptions, clock: Clock): Db {
  let db: Db | undefined;
  try {
    // The record is evidence: owner-only before SQLite creates it (its -wal and -shm follow).
    preparePrivateSqliteFile(path);
    db = new Database(path);
    // Reading the header here turns "not a database" into an error now, not on first use.
    db.pragma('schema_version');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`cannot switch to WAL journal mode (got ${String(mode)})`);
    tuneConnection(db, options.synchronous ?? 'NORMAL');
    if (options.verifyOnOpen) {
      const result = db.pragma('quick_check', { simple: true });
      if (result !== 'ok') throw new Error(`integrity check failed: ${String(result)}`);
    }
    migrate(db, path, clock.now().toISOString());
    return db;
  } catch (err) {
    db?.close();
    throw unreadable(path, err);
  }
}

class SqliteEventStore implements EventStore {
  readonly #path: string;
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #pageSize: number;
  readonly #pollIntervalMs: number;
  readonly #signal = new ChangeSignal();
  readonly #subscriptions = new Set<Subscription>();
  readonly #pageStatements = new Map<string, Statement>();
  readonly #readAhead: ReadAheadMode;
  readonly #readAheadMinEvents: number;
  readonly #readAheadPageSize: number;
  readonly #readAheadWorkers: number;
  /** Stops of the read-ahead workers running, called on close. */
  readonly #readers = new Set<() => Promise<void>>();
  readonly #readAheadHost: ReadAheadHost = {
    assertOpen: () => this.#assertOpen(),
    track: (stop) => {
      this.#readers.add(stop);
      return () => this.#readers.delete(stop);
    },
  };
  #closed = false;
  readonly #checkpointer: WalCheckpointer | undefined;

  readonly #headStmt: Statement<[], number | null>;
  readonly #streamStmt: Statement;
  readonly #commitStartStmt: Statement<[number], number | null>;
  readonly #commitRangesStmt: Statement;
  readonly #prefixProbeStmt: Statement<[string, string, number], number>;
  /** Recorded-id lookups on this connection (and the appends, unless a worker does them). */
  readonly #appender: SqliteAppender;
  /** The appends on a worker thread's connection (`append: 'worker'`). */
  readonly #appendWorker: AppendWorker | undefined;

  constructor(path: string, db: Db, options: SqliteEventStoreOptions, clock: Clock) {
    this.#path = path;
    this.#db = db;
    this.#clock = clock;
    this.#pageSize = options.pageSize ?? 1000;
    this.#pollIntervalMs = options.pollIntervalMs ?? 200;
    this.#readAhead = options.readAhead ?? readAheadFromEnv() ?? 'worker';
    this.#readAheadMinEvents = options.readAheadMinEvents ?? 50_000;
    this.#readAheadPageSize = options.readAheadPageSize ?? 2048;
    this.#readAheadWorkers = options.readAheadWorkers ?? Math.min(2, availableParallelism());
    this.#headStmt = db.prepare<[], number | null>('SELECT max(position) FROM events').pluck();
    this.#streamStmt = db.prepare(`SELECT ${columns} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`).raw();
    this.#commitStartStmt = db.prepare<[number], number | null>('SELECT max(first_position) FROM commits WHERE first_position <= ?').pluck();
    this.#commitRangesStmt = db
      .prepare(
        'SELECT first_position, last_position FROM commits WHERE first_position >= ? AND first_position <= ? AND max_occurred_ms >= ? AND min_occurred_ms < ? ORDER BY first_position LIMIT ?',
      )
      .raw();
    this.#prefixProbeStmt = db
      .prepare<[string, string, number], number>('SELECT count(*) FROM (SELECT 1 FROM events INDEXED BY events_by_stream WHERE stream_id >= ? AND stream_id < ? LIMIT ?)')
      .pluck();
    this.#checkpointer =
      options.checkpoint === 'worker'
        ? startWalCheckpointer(path, db, { intervalMs: options.checkpointIntervalMs ?? 100, synchronous: options.synchronous ?? 'NORMAL' })
        : undefined;
    this.#appender = new SqliteAppender(path, db);
    this.#appendWorker =
      options.append === 'worker'
        ? new AppendWorker(path, {
            synchronous: options.synchronous ?? 'NORMAL',
            // The writer is the worker's connection: it gets the safety net the checkpoint worker sets (see walCheckpointer.ts).
            walAutocheckpointPages: options.checkpoint === 'worker' ? WORKER_SAFETY_NET_PAGES : SQLITE_DEFAULT_AUTOCHECKPOINT,
          })
        : undefined;
  }

  #assertOpen(): void {
    if (this.#closed) throw new EventStoreError('STORE_CLOSED', `the event store at ${this.#path} is closed`);
  }

  async append(streamId: string, events: readonly EventEnvelope[], options: AppendOptions = {}): Promise<AppendResult> {
    this.#assertOpen();
    assertStreamId(streamId);
    const expected = options.expectedRevision ?? 'any';
    assertExpectedRevision(expected);
    const prepared = prepareBatch(events);
    const recordedAt = this.#clock.now().toISOString();
    const result = this.#appendWorker === undefined ? this.#appender.append(streamId, prepared, expected, recordedAt) : await this.#appendWorker.append(streamId, prepared, expected, recordedAt);
    if (result.written > 0) this.#signal.notify();
    return result;
  }

  async appendMany(batches: readonly StreamBatch[]): Promise<AppendResult[]> {
    this.#assertOpen();
    const prepared = prepareStreamBatches(batches);
    const recordedAt = this.#clock.now().toISOString();
    const results = this.#appendWorker === undefined ? this.#appender.appendMany(prepared, recordedAt) : await this.#appendWorker.appendMany(prepared, recordedAt);
    if (results.some((r) => r.written > 0)) this.#signal.notify();
    return results;
  }

  async recordedJson(eventIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    this.#assertOpen();
    return this.#appender.recordedJson(eventIds);
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    let next: number | undefined;
    let remaining = 0;
    return pagedIterable(() => {
      this.#assertOpen();
      if (next === undefined) {
        next = options.fromRevision ?? 0;
        if (!(Number.isSafeInteger(next) && next >= 0)) throw new EventStoreError('INVALID_ARGUMENT', `fromRevision must be a non-negative integer, got ${next}`);
        remaining = checkMaxCount(options.maxCount);
      }
      if (remaining <= 0) return null;
      const limit = Math.min(this.#pageSize, remaining);
      const rows = this.#streamStmt.all(streamId, next, limit) as Row[];
      remaining = rows.length < limit ? 0 : remaining - rows.length;
      next += rows.length;
      return rows.length > 0 ? rows.map(toRecorded) : null;
    });
  }

  async headPosition(): Promise<Position | null> {
    this.#assertOpen();
    const head = this.#log.head();
    return head === 0 ? null : positionOf(head);
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    this.#assertOpen();
    const record = options.includeJson === true ? withJson : toRecorded;
    const streams = options.filter?.streams;
    if (streams !== undefined) {
      return readStreamsMerged({ ...options, filter: { ...options.filter, streams } }, this.#pageSize, {
        head: () => this.#log.head(),
        chunk: (streamId, fromRevision, after, upto, filter, limit) => {
          const { sql, params } = streamChunkQuery(filter);
          return this.#statement(sql).all(streamId, fromRevision, after, upto, ...params, limit) as Row[];
        },
        record,
      });
    }
    return this.#readAllPaged(options, record === withJson);
  }

  /**
   * The global read: keyset pages up to the head seen when iteration starts. A long read without
   * a time window (a projector catching up, a whole-store replay) is read ahead by a worker.
   */
  #readAllPaged(options: ReadAllOptions, includeJson: boolean): AsyncIterable<RecordedEvent> {
    const log = includeJson ? this.#logWithJson : this.#log;
    let started = false;
    let after = 0;
    let head = 0;
    let remaining = 0;
    let filter: CompiledFilter | undefined;
    let ahead: ReadAheadReader | null = null;
    return pagedIterable(
      () => {
        if (!started) {
          started = true;
          after = seqAfter(options.fromPosition);
          remaining = checkMaxCount(options.maxCount);
          filter = compileFilter(options.filter);
          head = seqUpTo(options.toPosition, log.head());
          ahead = this.#readAheadFor(after, head, remaining, filter, includeJson, includeJson && options.ndjsonPages === true);
        }
        if (ahead !== null) return ahead.nextPage();
        if (remaining <= 0 || after >= head) return null;
        const limit = Math.min(this.#pageSize, remaining);
        const page = log.page(after, head, filter, limit);
        remaining -= page.length;
        const last = page[page.length - 1];
        after = page.length < limit || last === undefined ? head : Number(last.position);
        return page.length > 0 ? page : null;
      },
      () => (ahead as ReadAheadReader | null)?.stop(),
    );
  }

  /** A worker for reads long enough to pay its start; time windows stay inline (they skip whole commits). */
  #readAheadFor(after: number, head: number, remaining: number, filter: CompiledFilter | undefined, includeJson: boolean, ndjson = false): ReadAheadReader | null {
    const min = this.#readAheadMinEvents;
    if (this.#readAhead !== 'worker' || head - after < min || remaining < min || after >= head || remaining <= 0) return null;
    if (filter?.fromMs !== undefined || filter?.toMs !== undefined) return null;
    const access = filter?.streamPrefixes ? this.#accessFor(filter.streamPrefixes) : 'scan';
    // Few matches found through the stream index: cheaper here than a worker start.
    if (access === 'stream-index') return null;
    const { sql, params } = pageQuery(filter, access);
    return new ReadAheadReader(
      { path: this.#path, sql, params, after, upto: head, maxCount: remaining, pageSize: this.#readAheadPageSize, pagesInFlight: READ_AHEAD_PAGES_IN_FLIGHT, workers: this.#readAheadWorkers, includeJson, ndjson },
      this.#readAheadHost,
    );
  }

  subscribeAll(options: SubscribeAllOptions = {}): Subscription {
    this.#assertOpen();
    if (this.#readAhead === 'worker') {
      // Validated here, as the live subscription does, so a bad checkpoint fails the call.
      const after = seqAfter(options.fromCheckpoint);
      const filter = compileFilter(options.filter);
      const head = this.#headStmt.get() ?? 0;
      const ahead = this.#readAheadFor(after, head, Number.POSITIVE_INFINITY, filter, false);
      if (ahead !== null) return this.#catchUpThenLive(ahead, head, options);
    }
    return this.#liveSubscription(options);
  }

  #liveSubscription(options: SubscribeAllOptions): Subscription {
    const sub = subscribeToLog(this.#log, options, this.#pageSize, {
      signal: this.#signal,
      pollIntervalMs: this.#pollIntervalMs,
      onEnd: (s) => this.#subscriptions.delete(s),
    });
    this.#subscriptions.add(sub);
    return sub;
  }

  /**
   * A subscription far behind the head: the recorded part (up to `head`) is read ahead by a
   * worker, then a live subscription continues strictly after `head` — no gap, no repeat.
   */
  #catchUpThenLive(ahead: ReadAheadReader, head: number, options: SubscribeAllOptions): Subscription {
    const done: IteratorResult<RecordedEvent> = { value: undefined, done: true };
    const recorded = pagedIterable(
      () => ahead.nextPage(),
      () => ahead.stop(),
    );
    let closed = false;
    let live: Subscription | null = null;
    const subscription: Subscription = {
      [Symbol.asyncIterator]: () => {
        const catchUp = recorded[Symbol.asyncIterator]();
        let following: AsyncIterator<RecordedEvent> | null = null;
        return {
          next: async () => {
            if (closed) return done;
            if (following === null) {
              const r = await catchUp.next();
              if (closed) return done;
              if (!r.done) return r;
              live = this.#liveSubscription({ ...options, fromCheckpoint: positionOf(head) });
              following = live[Symbol.asyncIterator]();
            }
            return following.next();
          },
          return: async () => {
            await subscription.close();
            return done;
          },
        };
      },
      close: async () => {
        closed = true;
        ahead.stop();
        this.#subscriptions.delete(subscription);
        await live?.close();
      },
    };
    this.#subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await Promise.all([...this.#subscriptions].map((s) => s.close()));
    this.#closed = true;
    // Read-ahead workers end at their next page and close their own connections: wait for them, so
    // nothing holds the file once close() has resolved (a caller may delete it next).
    await Promise.all([...this.#readers].map((stop) => stop()));
    // The append worker finishes what was sent to it first (appends run in order), then closes its connection.
    await this.#appendWorker?.stop();
    // Before the writer closes: as the file's last connection its close does the final checkpoint.
    await this.#checkpointer?.stop();
    this.#db.close();
  }

  /** A read statement (raw rows), prepared once per SQL text. */
  #statement(sql: string): Statement {
    let stmt = this.#pageStatements.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare(sql).raw();
      this.#pageStatements.set(sql, stmt);
    }
    return stmt;
  }

  #logOf(record: (row: Row) => RecordedEvent): SequencedLog {
    return {
      head: () => {
        this.#assertOpen();
        return this.#headStmt.get() ?? 0;
      },
      page: (afterSeq, uptoSeq, filter, limit) => {
        this.#assertOpen();
        const { sql, params } = pageQuery(filter, filter?.streamPrefixes ? this.#accessFor(filter.streamPrefixes) : 'scan');
        const query = this.#statement(sql);
        if (filter?.fromMs === undefined && filter?.toMs === undefined) return (query.all(afterSeq, uptoSeq, ...params, limit) as Row[]).map(record);
        return this.#windowPage(afterSeq, uptoSeq, filter, limit, (lo, hi, n) => query.all(lo, hi, ...params, n) as Row[], record);
      },
    };
  }

  readonly #log: SequencedLog = this.#logOf(toRecorded);
  readonly #logWithJson: SequencedLog = this.#logOf(withJson);

  readonly #prefixAccess = new Map<string, { access: 'stream-index' | 'scan'; head: number }>();

  /**
   * How to find the events of some stream prefixes: through the stream index when they are few
   * (`consignment-` among millions of fixes: a full scan would read everything), in log order
   * otherwise (`vehicle-`: nearly every row, where sorting index hits per page would be quadratic).
   * Probed by counting up to a threshold, again whenever the log has doubled since.
   */
  #accessFor(prefixes: readonly string[]): 'stream-index' | 'scan' {
    const key = prefixes.join('\u0000');
    const head = this.#headStmt.get() ?? 0;
    const known = this.#prefixAccess.get(key);
    if (known && head < known.head * 2) return known.access;
    let matches = 0;
    for (const p of prefixes) {
      const range = prefixRange(p);
      if (range === null) return 'scan';
      matches += this.#prefixProbeStmt.get(range[0], range[1], PREFIX_INDEX_LIMIT + 1) ?? 0;
    }
    const access = matches <= PREFIX_INDEX_LIMIT ? 'stream-index' : 'scan';
    this.#prefixAccess.set(key, { access, head: Math.max(head, 1) });
    return access;
  }

  /** A time-window page: visits only the commits whose occurredAt bounds overlap the window. */
  #windowPage(
    afterSeq: number,
    uptoSeq: number,
    filter: CompiledFilter,
    limit: number,
    rowsIn: (lo: number, hi: number, n: number) => Row[],
    record: (row: Row) => RecordedEvent,
  ): RecordedEvent[] {
    const out: RecordedEvent[] = [];
    const fromMs = filter.fromMs ?? Number.MIN_SAFE_INTEGER;
    const toMs = filter.toMs ?? Number.MAX_SAFE_INTEGER;
    let cursor = afterSeq;
    while (out.length < limit && cursor < uptoSeq) {
      const start = this.#commitStartStmt.get(cursor + 1) ?? 0;
      const ranges = this.#commitRangesStmt.all(start, uptoSeq, fromMs, toMs, 256) as [number, number][];
      if (ranges.length === 0) break;
      for (const [first, last] of ranges) {
        const lo = Math.max(first - 1, cursor);
        const hi = Math.min(last, uptoSeq);
        if (hi > lo) for (const row of rowsIn(lo, hi, limit - out.length)) out.push(record(row));
        if (out.length >= limit) return out;
        cursor = Math.max(cursor, hi);
      }
      if (ranges.length < 256) break;
    }
    return out;
  }
}

/**
 * Pages a read's workers may post ahead of the consumer, shared among them: 64 × 2,048 rows
 * (~15 MB of plain fixes, ~45 MB with their JSON, held serialized off the heap) cover a
 * projector's flush (a read-model commit of a few hundred ms), so the consumer finds the next
 * pages ready instead of waiting for the workers after every flush.
 */
const READ_AHEAD_PAGES_IN_FLIGHT = 64;

/** Above this many matching events, a stream-prefix read scans the log instead of the stream index. */
const PREFIX_INDEX_LIMIT = 20_000;

/** `[prefix, first string after every string starting with prefix)` under SQLite's binary collation. */
function prefixRange(prefix: string): [string, string] | null {
  const last = prefix.charCodeAt(prefix.length - 1);
  if (prefix.length === 0 || (last >= 0xd800 && last <= 0xdfff) || last === 0xffff) return null;
  return [prefix, prefix.slice(0, -1) + String.fromCharCode(last + 1)];
}

/** Keyset paging on the global position (never OFFSET), with the filter pushed into SQL. */
function pageQuery(filter: CompiledFilter | undefined, access: 'stream-index' | 'scan'): { sql: string; params: (string | number)[] } {
  const where = ['position > ?', 'position <= ?'];
  const params: (string | number)[] = [];
  if (filter) {
    if (filter.types) {
      where.push(`type IN (${[...filter.types].map(() => '?').join(', ') || 'NULL'})`);
      params.push(...filter.types);
    }
    if (filter.streams) {
      where.push(`stream_id IN (${[...filter.streams].map(() => '?').join(', ') || 'NULL'})`);
      params.push(...filter.streams);
    }
    if (filter.streamPrefixes) {
      const ranges = filter.streamPrefixes.map(prefixRange);
      if (access === 'stream-index' && ranges.every((r) => r !== null)) {
        where.push(`(${ranges.map(() => '(stream_id >= ? AND stream_id < ?)').join(' OR ') || '0'})`);
        for (const r of ranges) params.push(r![0], r![1]);
      } else {
        where.push(`(${filter.streamPrefixes.map(() => 'instr(stream_id, ?) = 1').join(' OR ') || '0'})`);
        params.push(...filter.streamPrefixes);
      }
    }
    if (filter.fromMs !== undefined) {
      where.push('occurred_ms >= ?');
      params.push(filter.fromMs);
    }
    if (filter.toMs !== undefined) {
      where.push('occurred_ms < ?');
      params.push(filter.toMs);
    }
  }
  // The planner has no statistics to choose by; the probe above has.
  const from = filter?.streamPrefixes && access === 'stream-index' && !filter.streams ? 'events INDEXED BY events_by_stream' : 'events';
  return { sql: `SELECT ${columns} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`, params };
}

/**
 * One stream's rows from a revision on, through the stream index in revision order (no sort);
 * the position bounds and the other conditions are checked on the way.
 */
function streamChunkQuery(filter: CompiledFilter | undefined): { sql: string; params: (string | number)[] } {
  const where = ['stream_id = ?', 'revision >= ?', 'position > ?', 'position <= ?'];
  const params: (string | number)[] = [];
  if (filter?.types) {
    where.push(`type IN (${[...filter.types].map(() => '?').join(', ') || 'NULL'})`);
    params.push(...filter.types);
  }
  if (filter?.fromMs !== undefined) {
    where.push('occurred_ms >= ?');
    params.push(filter.fromMs);
  }
  if (filter?.toMs !== undefined) {
    where.push('occurred_ms < ?');
    params.push(filter.toMs);
  }
  return { sql: `SELECT ${columns} FROM events INDEXED BY events_by_stream WHERE ${where.join(' AND ')} ORDER BY revision LIMIT ?`, params };
}

/**
 * Opens (creating if absent) the SQLite event store at `options.path`. A file that is not a
 * SQLite database, not a dgt event store, or unreadable gives `STORE_UNREADABLE` naming the path.
 */
export function openSqliteEventStore(options: SqliteEventStoreOptions = {}): EventStore {
  const path = resolve(options.path ?? DEFAULT_SQLITE_PATH);
  const clock = options.clock ?? systemClock;
  const workers = options.readAheadWorkers;
  // Checked before the file is opened: a read with no worker would wait forever.
  if (workers !== undefined && !(Number.isSafeInteger(workers) && workers >= 1))
    throw new EventStoreError('INVALID_ARGUMENT', `readAheadWorkers must be a positive integer, got ${workers}`);
  const db = openDatabase(path, options, clock);
  return new SqliteEventStore(path, db, options, clock);
}
