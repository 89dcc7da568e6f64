/**
 * The event store port: the system of record. Recorder, projector and audit replay all read
 * from it, so its semantics are the same on every adapter (memory, SQLite, EventStoreDB) and
 * are pinned down by one contract suite (`test/contract.ts`).
 */

/**
 * Any well-formed event envelope. The store does not validate `data` against the catalog
 * (it will grow: audit events, …) — that is the caller's job at the boundary — but it does
 * check the envelope shape and stores the canonical JSON, so reads are byte-stable.
 * Every `DgtEvent` is an `EventEnvelope`.
 */
export type EventEnvelope = {
  /** Unique across the whole store; re-appending a known id is a no-op (see `append`). */
  eventId: string;
  type: string;
  /** ISO-8601 with offset; time-window reads compare it as an instant (millisecond precision). */
  occurredAt: string;
  schemaVersion?: number;
  data: Readonly<Record<string, unknown>>;
  meta?: Readonly<Record<string, unknown>>;
};

/**
 * Where an event sits in the global commit order. Opaque: only compare positions the store
 * gave you by passing them back; persist them as strings. Positions from one adapter are
 * meaningless to another.
 */
export type Position = string & { readonly __brand: 'EventStorePosition' };

/** An event as recorded: its envelope plus store metadata. */
export interface RecordedEvent {
  event: EventEnvelope;
  streamId: string;
  /** 0-based index of the event in its stream. */
  revision: number;
  position: Position;
  /** When the store committed it (ISO-8601 UTC), from the store's injected clock. */
  recordedAt: string;
  /**
   * `canonicalJson(event)`, byte for byte: set only when the read asked for it (`includeJson`).
   * SQLite and memory hand out the text they stored (no re-serialisation); EventStoreDB renders it.
   */
  json?: string;
}

/**
 * Optimistic concurrency for `append`:
 * - `'any'`: no check;
 * - `'no-stream'`: the stream must have no events yet;
 * - `'stream-exists'`: the stream must have at least one event;
 * - a number: the revision of the stream's last event must be exactly this.
 */
export type ExpectedRevision = 'any' | 'no-stream' | 'stream-exists' | number;

export interface AppendOptions {
  /** Default `'any'`. */
  expectedRevision?: ExpectedRevision;
}

export interface StreamBatch {
  streamId: string;
  events: readonly EventEnvelope[];
  /** Default `'any'`. */
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Pass this as `expectedRevision` on the next append to the same stream. */
  nextExpectedRevision: number | 'no-stream';
  /**
   * Position of the batch's last event in the global log (for events skipped as duplicates,
   * where they were first recorded); `null` only for an empty batch.
   */
  position: Position | null;
  /** Events newly recorded by this call. */
  written: number;
  /** Events skipped because their `eventId` was already recorded (duplicate delivery). */
  skipped: number;
  /**
   * Ids among the skipped whose recorded canonical JSON differs from the one offered: the first
   * writer still wins, but a different event under a known id is reported, never silently
   * dropped (the recorder dead-letters it). Present only when there are some; adapters that
   * cannot compare payloads (EventStoreDB) never set it.
   */
  conflicts?: readonly string[];
}

/**
 * Which events a global read or subscription returns. Every condition given must hold
 * (AND); an empty list matches nothing.
 */
export interface ReadFilter {
  /** Event type is one of these. */
  types?: readonly string[];
  /** Stream id starts with one of these, e.g. `['vehicle-']`. */
  streamPrefixes?: readonly string[];
  /** Stream id is exactly one of these. */
  streams?: readonly string[];
  /** `occurredAt` at or after this instant (inclusive). ISO-8601 with offset. */
  occurredFrom?: string;
  /** `occurredAt` strictly before this instant (exclusive). ISO-8601 with offset. */
  occurredTo?: string;
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive). Default 0. */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /**
   * Return events strictly AFTER this position (exclusive), so the position of the last
   * event you processed continues where you left off. Omit to start at the beginning.
   */
  fromPosition?: Position;
  /**
   * Return only events at or before this position (inclusive): the store as it stood when that
   * position was its head (`headPosition`). A replay pinned to it reads the same events however many
   * arrive later — late fixes of the same vehicles and window included — so frozen evidence stays
   * reproducible byte for byte.
   */
  toPosition?: Position;
  maxCount?: number;
  filter?: ReadFilter;
  /** Also return each event's canonical JSON in `json` (for digests and exports that need the exact bytes). Default false. */
  includeJson?: boolean;
  /**
   * With `includeJson`, for a whole-store digest: the adapter may hand a page's stored JSON as one
   * UTF-8 NDJSON buffer (`pageNdjson(page)` of a page from `pagesOf`) and leave `json` off the
   * events that buffer covers, instead of a string per event. Only the SQLite adapter's read-ahead
   * does; everything else ignores it. Default false.
   */
  ndjsonPages?: boolean;
}

export interface SubscribeAllOptions {
  /** A position previously delivered to the subscriber; delivery resumes strictly after it. */
  fromCheckpoint?: Position;
  filter?: ReadFilter;
}

/**
 * A catch-up subscription: yields every matching event already recorded, then follows new
 * ones live, in global order. Checkpoint = `position` of the last event handled; resuming
 * from it yields no gaps and no repeats. Iterate once; `close()` (or breaking out of the
 * loop) ends it.
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

/**
 * What is recorded under some event ids, as canonical JSON (`RecordedEvent.json`): a gateway
 * tells a retry (same bytes: a duplicate) from a different event under a known id (a conflict)
 * before publishing. Ids not recorded are absent from the map.
 */
export interface RecordedEventLookup {
  recordedJson(eventIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

export interface EventStore {
  /**
   * The lookup by event id (see `RecordedEventLookup`). Memory and SQLite have it (SQLite through
   * its unique `event_id` index); EventStoreDB has no store-wide index by id, so it leaves it out.
   */
  recordedJson?(eventIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /**
   * Appends `events` to `streamId` atomically: all of them or none.
   * - Throws `WrongExpectedRevisionError` (code `WRONG_EXPECTED_REVISION`) when the stream is
   *   not at `expectedRevision`; nothing is written then.
   * - Idempotent on `eventId`: an event whose id is already recorded (in any stream, or
   *   earlier in the same batch) is skipped as a duplicate delivery and counted in `skipped`;
   *   a skipped event whose canonical JSON differs from the recorded one is also listed in
   *   `conflicts` (memory, SQLite).
   *   A batch made only of known events is acknowledged without a revision check, so a
   *   retried append never fails. An empty batch writes nothing but is checked, so it can
   *   assert a stream's revision.
   * - Throws `EventStoreError` code `INVALID_EVENT` for a malformed envelope (nothing written).
   */
  append(streamId: string, events: readonly EventEnvelope[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * Appends to several streams at once, with `append`'s rules per stream; results in the same
   * order. Memory and SQLite commit all of it or none of it (one transaction — a consumer
   * recording a Kafka batch that touches hundreds of vehicles pays one commit, not hundreds).
   * EventStoreDB has no multi-stream transaction: it appends stream by stream, so a failure
   * part-way leaves the earlier streams written; retrying is safe because appends are idempotent.
   * A stream may appear only once per call (`INVALID_ARGUMENT`).
   */
  appendMany(batches: readonly StreamBatch[]): Promise<AppendResult[]>;
  /** One stream in revision order; a stream without events yields nothing. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** Events committed when iteration starts, in global commit order (follow later ones with `subscribeAll`). */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** The position of the last event committed, or null while the store is empty: what `toPosition` pins a read to. */
  headPosition(): Promise<Position | null>;
  subscribeAll(options?: SubscribeAllOptions): Subscription;
  /** Ends open subscriptions and releases the store; further calls throw `STORE_CLOSED`. */
  close(): Promise<void>;
}
