import { ChangeSignal } from '../changeSignal.ts';
import { systemClock, type Clock } from '../clock.ts';
import { prepareStreamBatches, type PreparedEvent } from '../envelope.ts';
import { EventStoreError } from '../errors.ts';
import { conflict, revisionMatches } from '../expectedRevision.ts';
import type { CompiledFilter } from '../filter.ts';
import { splitFresh, withConflicts } from '../freshEvents.ts';
import { pagedIterable } from '../pagedIterable.ts';
import type {
  AppendOptions,
  AppendResult,
  EventEnvelope,
  EventStore,
  ExpectedRevision,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamBatch,
  SubscribeAllOptions,
  Subscription,
} from '../port.ts';
import { checkMaxCount, readAllFromLog, subscribeToLog, type SequencedLog } from '../sequencedLog.ts';
import { positionOf } from '../sequencePosition.ts';

interface PlannedAppend {
  streamId: string;
  events: PreparedEvent[];
  fresh: PreparedEvent[];
  conflicts: string[] | undefined;
  current: number | null;
}

interface Row {
  seq: number;
  streamId: string;
  revision: number;
  type: string;
  occurredMs: number;
  recordedAt: string;
  json: string;
}

export interface MemoryEventStoreOptions {
  clock?: Clock;
  /** Events per page for reads and subscriptions. */
  pageSize?: number;
}

function withJson(row: Row): RecordedEvent {
  const recorded = toRecorded(row);
  recorded.json = row.json;
  return recorded;
}

function toRecorded(row: Row): RecordedEvent {
  // Parsed on every read, like the durable adapters: callers get fresh objects and byte-stable envelopes.
  return {
    event: JSON.parse(row.json) as EventEnvelope,
    streamId: row.streamId,
    revision: row.revision,
    position: positionOf(row.seq),
    recordedAt: row.recordedAt,
  };
}

/** A real, in-process implementation of the port, for unit tests and dry runs. */
export class MemoryEventStore implements EventStore {
  readonly #clock: Clock;
  readonly #pageSize: number;
  readonly #log: Row[] = [];
  readonly #streams = new Map<string, Row[]>();
  readonly #seqByEventId = new Map<string, number>();
  readonly #signal = new ChangeSignal();
  readonly #subscriptions = new Set<Subscription>();
  #closed = false;

  readonly #view: SequencedLog = this.#viewWith(toRecorded);

  #viewWith(record: (row: Row) => RecordedEvent): SequencedLog {
    return {
      head: () => this.#log.length,
      page: (afterSeq: number, uptoSeq: number, filter: CompiledFilter | undefined, limit: number) => {
        const out: RecordedEvent[] = [];
        for (let seq = afterSeq + 1; seq <= uptoSeq && out.length < limit; seq++) {
          const row = this.#log[seq - 1] as Row;
          if (!filter || filter.matches(row.streamId, row.type, row.occurredMs)) out.push(record(row));
        }
        return out;
      },
    };
  }

  constructor(options: MemoryEventStoreOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#pageSize = options.pageSize ?? 500;
  }

  #assertOpen(): void {
    if (this.#closed) throw new EventStoreError('STORE_CLOSED', 'the memory event store is closed');
  }

  async append(streamId: string, events: readonly EventEnvelope[], options: AppendOptions = {}): Promise<AppendResult> {
    this.#assertOpen();
    const [batch] = prepareStreamBatches([{ streamId, events, expectedRevision: options.expectedRevision ?? 'any' }]);
    const planned = this.#plan(batch!);
    const [result] = this.#commit([planned]);
    return result!;
  }

  async appendMany(batches: readonly StreamBatch[]): Promise<AppendResult[]> {
    this.#assertOpen();
    // Every stream is checked before any is written: all or nothing, like one transaction.
    // Ids taken by an earlier stream of the same call count as known: as if appended in turn.
    const taken = new Map<string, string>();
    const planned = prepareStreamBatches(batches).map((b) => this.#plan(b, taken));
    return this.#commit(planned);
  }

  /** The events of one batch to write, after the revision check; throws before anything changes. */
  #plan(batch: { streamId: string; events: PreparedEvent[]; expected: ExpectedRevision }, taken = new Map<string, string>()): PlannedAppend {
    const { streamId, events, expected } = batch;
    const stream = this.#streams.get(streamId);
    const current = stream ? stream.length - 1 : null;
    const { fresh, conflicts } = splitFresh(events, (id) => this.#recordedJsonOf(id), taken);
    // Known events only (a retry) are acknowledged without a check; an empty batch is just the check.
    if ((fresh.length > 0 || events.length === 0) && !revisionMatches(expected, current)) throw conflict(streamId, expected, current);
    return { streamId, events, fresh, conflicts, current };
  }

  #recordedJsonOf(eventId: string): string | undefined {
    const seq = this.#seqByEventId.get(eventId);
    return seq === undefined ? undefined : this.#log[seq - 1]?.json;
  }

  async recordedJson(eventIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    this.#assertOpen();
    const found = new Map<string, string>();
    for (const id of eventIds) {
      const json = this.#recordedJsonOf(id);
      if (json !== undefined) found.set(id, json);
    }
    return found;
  }

  #commit(planned: readonly PlannedAppend[]): AppendResult[] {
    const recordedAt = this.#clock.now().toISOString();
    const results = planned.map(({ streamId, events, fresh, conflicts, current }) => {
      const existing = this.#streams.get(streamId);
      const rows = existing ?? [];
      let revision = current ?? -1;
      for (const e of fresh) {
        const row: Row = { seq: this.#log.length + 1, streamId, revision: ++revision, type: e.type, occurredMs: e.occurredMs, recordedAt, json: e.json };
        this.#log.push(row);
        rows.push(row);
        this.#seqByEventId.set(e.eventId, row.seq);
      }
      if (!existing && rows.length > 0) this.#streams.set(streamId, rows);
      const lastSeq = events.reduce((max, e) => Math.max(max, this.#seqByEventId.get(e.eventId) ?? 0), 0);
      const result: AppendResult = {
        nextExpectedRevision: revision >= 0 ? revision : 'no-stream',
        position: lastSeq > 0 ? positionOf(lastSeq) : null,
        written: fresh.length,
        skipped: events.length - fresh.length,
      };
      return withConflicts(result, conflicts);
    });
    if (results.some((r) => r.written > 0)) this.#signal.notify();
    return results;
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    let done = false;
    return pagedIterable(() => {
      if (done) return null;
      done = true;
      this.#assertOpen();
      const from = options.fromRevision ?? 0;
      if (!(Number.isSafeInteger(from) && from >= 0)) throw new EventStoreError('INVALID_ARGUMENT', `fromRevision must be a non-negative integer, got ${from}`);
      const max = checkMaxCount(options.maxCount);
      const rows = this.#streams.get(streamId) ?? [];
      return rows.slice(from, Math.min(rows.length, from + max)).map(toRecorded);
    });
  }

  async headPosition(): Promise<Position | null> {
    this.#assertOpen();
    return this.#log.length === 0 ? null : positionOf(this.#log.length);
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    this.#assertOpen();
    return readAllFromLog(this.#guardedView(options.includeJson === true ? this.#viewWith(withJson) : this.#view), options, this.#pageSize);
  }

  subscribeAll(options: SubscribeAllOptions = {}): Subscription {
    this.#assertOpen();
    const sub = subscribeToLog(this.#guardedView(), options, this.#pageSize, {
      signal: this.#signal,
      pollIntervalMs: undefined,
      onEnd: (s) => this.#subscriptions.delete(s),
    });
    this.#subscriptions.add(sub);
    return sub;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await Promise.all([...this.#subscriptions].map((s) => s.close()));
    this.#closed = true;
    this.#signal.notify();
  }

  /** The log as seen by readers, failing once the store is closed. */
  #guardedView(view: SequencedLog = this.#view): SequencedLog {
    return {
      head: () => {
        this.#assertOpen();
        return view.head();
      },
      page: (a, u, f, l) => view.page(a, u, f, l),
    };
  }
}

export function openMemoryEventStore(options: MemoryEventStoreOptions = {}): EventStore {
  return new MemoryEventStore(options);
}
