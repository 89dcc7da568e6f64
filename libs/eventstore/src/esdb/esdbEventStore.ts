import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type Filter,
} from '@eventstore/db-client';
import { canonicalJson } from '@dgt/events';
import { systemClock, type Clock } from '../clock.ts';
import { assertStreamId, prepareBatch, prepareStreamBatches } from '../envelope.ts';
import { EventStoreError } from '../errors.ts';
import { assertExpectedRevision, conflict } from '../expectedRevision.ts';
import { compileFilter, type CompiledFilter } from '../filter.ts';
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
  SubscribeAllOptions,
  StreamBatch,
  Subscription,
} from '../port.ts';
import { checkMaxCount } from '../sequencedLog.ts';
import { eventUuid } from './deterministicUuid.ts';
import { fromEsdbEvent, toEsdbEvent } from './esdbMapping.ts';
import { decodePosition, encodePosition, isAfter, samePosition } from './esdbPosition.ts';

export interface EsdbEventStoreOptions {
  /** e.g. `esdb://localhost:2113?tls=false`. */
  connectionString: string;
  clock?: Clock;
  /** How far back a rejected retry is looked for in the stream (see `append`). Default 4096. */
  retryLookback?: number;
}

function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  if (typeof expected === 'number') return BigInt(expected);
  switch (expected) {
    case 'any':
      return ANY;
    case 'no-stream':
      return NO_STREAM;
    case 'stream-exists':
      return STREAM_EXISTS;
    default: {
      const never: never = expected;
      throw new EventStoreError('INVALID_ARGUMENT', `unknown expectedRevision ${String(never)}`);
    }
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The part of our filter the server can apply; the full filter is always re-applied client-side. */
function serverFilter(filter: CompiledFilter | undefined): Filter {
  if (filter?.streamPrefixes && filter.streamPrefixes.length > 0) return streamNameFilter({ prefixes: [...filter.streamPrefixes] });
  if (filter?.streams && filter.streams.size > 0) return streamNameFilter({ regex: `^(?:${[...filter.streams].map(escapeRegex).join('|')})$` });
  if (filter?.types && filter.types.size > 0) return eventTypeFilter({ regex: `^(?:${[...filter.types].map(escapeRegex).join('|')})$` });
  return excludeSystemEvents();
}

function matches(filter: CompiledFilter | undefined, e: RecordedEvent): boolean {
  return !filter || filter.matches(e.streamId, e.event.type, Date.parse(e.event.occurredAt));
}

/**
 * EventStoreDB adapter (`@eventstore/db-client`; all client use is in this folder so moving to
 * `@kurrent/kurrentdb-client` stays local). Differences from the SQLite adapter, by nature of
 * the server:
 * - eventId idempotency is EventStoreDB's: per stream, on the UUID derived from our eventId.
 *   The same eventId appended to another stream is recorded again.
 * - `written`/`skipped` come from the stream revision before and after the append.
 * - Time-window and type filters on `readAll` are applied client-side over `$all`.
 */
class EsdbEventStore implements EventStore {
  readonly #client: EventStoreDBClient;
  readonly #clock: Clock;
  readonly #retryLookback: number;
  readonly #subscriptions = new Set<AllStreamSubscription>();
  #closed = false;

  constructor(options: EsdbEventStoreOptions) {
    this.#client = EventStoreDBClient.connectionString(options.connectionString);
    this.#clock = options.clock ?? systemClock;
    this.#retryLookback = options.retryLookback ?? 4096;
  }

  #assertOpen(): void {
    if (this.#closed) throw new EventStoreError('STORE_CLOSED', 'the EventStoreDB event store is closed');
  }

  async #lastRevision(streamId: string): Promise<number | null> {
    try {
      for await (const e of this.#client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        if (e.event) return Number(e.event.revision);
      }
      return null;
    } catch (err) {
      if (err instanceof StreamNotFoundError) return null;
      throw err;
    }
  }

  /** Positions of the given event UUIDs among the stream's last `retryLookback` events. */
  async #recentPositions(streamId: string, uuids: ReadonlySet<string>): Promise<Map<string, RecordedEvent>> {
    const found = new Map<string, RecordedEvent>();
    try {
      for await (const resolved of this.#client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: this.#retryLookback })) {
        const id = resolved.event?.id;
        const recorded = fromEsdbEvent(resolved);
        if (id && recorded && uuids.has(id)) found.set(id, recorded);
        if (found.size === uuids.size) break;
      }
    } catch (err) {
      if (!(err instanceof StreamNotFoundError)) throw err;
    }
    return found;
  }

  /** Stream by stream: EventStoreDB has no multi-stream transaction (see the port). */
  async appendMany(batches: readonly StreamBatch[]): Promise<AppendResult[]> {
    prepareStreamBatches(batches);
    const results: AppendResult[] = [];
    for (const b of batches) results.push(await this.append(b.streamId, b.events, { expectedRevision: b.expectedRevision ?? 'any' }));
    return results;
  }

  async append(streamId: string, events: readonly EventEnvelope[], options: AppendOptions = {}): Promise<AppendResult> {
    this.#assertOpen();
    assertStreamId(streamId);
    const expected = options.expectedRevision ?? 'any';
    assertExpectedRevision(expected);
    const prepared = prepareBatch(events);
    const seen = new Set<string>();
    const unique = prepared.filter((e) => !seen.has(e.eventId) && seen.add(e.eventId));
    const before = await this.#lastRevision(streamId);
    if (unique.length === 0) {
      if (expected !== 'any' && !(expected === 'no-stream' ? before === null : expected === 'stream-exists' ? before !== null : before === expected))
        throw conflict(streamId, expected, before);
      return { nextExpectedRevision: before ?? 'no-stream', position: null, written: 0, skipped: 0 };
    }
    const recordedAt = this.#clock.now().toISOString();
    try {
      const result = await this.#client.appendToStream(
        streamId,
        unique.map((e) => toEsdbEvent(e, recordedAt)),
        { expectedRevision: toEsdbExpected(expected) },
      );
      const next = Number(result.nextExpectedRevision);
      const written = Math.max(0, Math.min(unique.length, next - (before ?? -1)));
      return {
        nextExpectedRevision: next >= 0 ? next : 'no-stream',
        position: result.position ? encodePosition(result.position) : null,
        written,
        skipped: prepared.length - written,
      };
    } catch (err) {
      if (!(err instanceof WrongExpectedVersionError)) throw err;
      const actual = typeof err.actualVersion === 'bigint' ? Number(err.actualVersion) : null;
      // A retry of a batch already recorded is acknowledged, as on the other adapters.
      const uuids = new Set(unique.map((e) => eventUuid(e.eventId)));
      const found = await this.#recentPositions(streamId, uuids);
      if (found.size < uuids.size) throw conflict(streamId, expected, actual);
      const last = [...found.values()].reduce((a, b) => (a.revision > b.revision ? a : b));
      return { nextExpectedRevision: actual ?? 'no-stream', position: last.position, written: 0, skipped: prepared.length };
    }
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const client = this.#client;
    const assertOpen = () => this.#assertOpen();
    return (async function* () {
      assertOpen();
      const from = options.fromRevision ?? 0;
      if (!(Number.isSafeInteger(from) && from >= 0)) throw new EventStoreError('INVALID_ARGUMENT', `fromRevision must be a non-negative integer, got ${from}`);
      const max = checkMaxCount(options.maxCount);
      if (max === 0) return;
      try {
        const reading = client.readStream(streamId, {
          direction: FORWARDS,
          fromRevision: BigInt(from),
          ...(Number.isFinite(max) && { maxCount: max }),
        });
        for await (const resolved of reading) {
          const e = fromEsdbEvent(resolved);
          if (e) yield e;
        }
      } catch (err) {
        if (!(err instanceof StreamNotFoundError)) throw err;
      }
    })();
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const client = this.#client;
    const assertOpen = () => this.#assertOpen();
    return (async function* () {
      assertOpen();
      const from = options.fromPosition === undefined ? undefined : decodePosition(options.fromPosition);
      const upTo = options.toPosition === undefined ? undefined : decodePosition(options.toPosition);
      let remaining = checkMaxCount(options.maxCount);
      const filter = compileFilter(options.filter);
      if (remaining === 0) return;
      const reading = client.readAll({ direction: FORWARDS, fromPosition: from ?? START });
      try {
        for await (const resolved of reading) {
          // ESDB's readAll includes the event at fromPosition; ours is exclusive.
          if (from && resolved.event && samePosition(resolved.event.position, from)) continue;
          // $all is in log order: past the pinned position nothing more can belong to the read.
          if (upTo && resolved.event?.position && isAfter(resolved.event.position, upTo)) break;
          const e = fromEsdbEvent(resolved);
          if (!e || !matches(filter, e)) continue;
          if (options.includeJson === true) e.json = canonicalJson(e.event);
          yield e;
          if (--remaining <= 0) break;
        }
      } finally {
        await reading.cancel().catch(() => undefined);
      }
    })();
  }

  async headPosition(): Promise<Position | null> {
    this.#assertOpen();
    // The last entry of $all, system events included: a bound on positions, not an event to read.
    for await (const resolved of this.#client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
      if (resolved.event?.position) return encodePosition(resolved.event.position);
    }
    return null;
  }

  subscribeAll(options: SubscribeAllOptions = {}): Subscription {
    this.#assertOpen();
    const filter = compileFilter(options.filter);
    const from = options.fromCheckpoint === undefined ? START : decodePosition(options.fromCheckpoint);
    // subscribeToAll starts strictly after fromPosition, as our checkpoints do.
    const esdbSub = this.#client.subscribeToAll({ fromPosition: from, filter: serverFilter(filter) });
    this.#subscriptions.add(esdbSub);
    const forget = async () => {
      this.#subscriptions.delete(esdbSub);
      await esdbSub.unsubscribe().catch(() => undefined);
    };
    return {
      [Symbol.asyncIterator]: () =>
        (async function* () {
          try {
            for await (const resolved of esdbSub) {
              const e = fromEsdbEvent(resolved);
              if (e && matches(filter, e)) yield e;
            }
          } finally {
            await forget();
          }
        })(),
      close: forget,
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#subscriptions].map((s) => s.unsubscribe().catch(() => undefined)));
    this.#subscriptions.clear();
    await this.#client.dispose();
  }
}

export function openEsdbEventStore(options: EsdbEventStoreOptions): EventStore {
  return new EsdbEventStore(options);
}
