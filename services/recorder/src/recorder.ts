import {
  headerText,
  SerialProducer,
  silentLogger,
  type Batch,
  type Bus,
  type BusConsumer,
  type BusLogger,
  type OutgoingMessage,
  type ReceivedMessage,
} from '@dgt/bus';
import { canonicalJson, CLOCK_TICK_MS, clockTick, type DgtEvent, epochMs } from '@dgt/events';
import { streamFor, type EventStore } from '@dgt/eventstore';
import { deadLetterOf, type DeadLetterReason } from './deadLetter.ts';
import { decodeMessage } from './decode.ts';
import { RecorderError } from './errors.ts';
import type { RecorderMetrics } from './metrics.ts';
import { acceptedTypesByTopic, type RecorderTopics } from './topicRoutes.ts';

/** One stream's part of a bus batch: its events in message order, the messages they came from. */
interface StreamEntry {
  readonly events: DgtEvent[];
  readonly messages: ReceivedMessage[];
  readonly ingestedAtMs: number[];
}

/** Header the gateway stamps on every message: when it published it (ISO-8601 or epoch ms). */
export const ingestedAtHeader = 'dgt-ingested-at';

export interface RecorderOptions {
  readonly bus: Bus;
  readonly store: EventStore;
  readonly topics: RecorderTopics;
  readonly groupId: string;
  readonly metrics?: RecorderMetrics;
  readonly logger?: BusLogger;
  /** Delay before a failed batch is redelivered. Default 1000 ms. */
  readonly retryBackoffMs?: number;
  /** Streams per store transaction; the consumer heartbeats between them. Default 500. */
  readonly streamsPerAppend?: number;
  /**
   * Batches of different partitions recorded at once (the bus's partitionsConsumedConcurrently).
   * Default 1. With a store that appends on a worker thread, 2 lets the event loop decode and
   * prepare one partition's batch while the worker writes another's. Each key's events (a
   * vehicle's fixes, a waybill's events) keep their order; between partitions there never was one
   * (a single lane takes them round-robin by batch).
   */
  readonly partitionsConsumedConcurrently?: number;
  /** Wall clock in ms: latency metrics, and the time the recorder's ClockTicked events stand for. Default Date.now. */
  readonly now?: () => number;
  /**
   * How often the recorder appends ClockTicked (time in the record; see @dgt/events clock.ts), in
   * ms of wall clock; 0 turns ticking off (tests of other things). Default 60,000, on whole minutes.
   */
  readonly clockTickMs?: number;
}

/**
 * While the newest message just recorded was published longer ago than this, the recorder is
 * catching up a backlog: its ticks then stand for that message's time, not the wall clock, so
 * vehicles whose fixes are still in the backlog do not look silent.
 */
export const CLOCK_BACKLOG_MS = 120_000;

/**
 * The instant a tick stands for. Normally the wall clock. But the record's time is what its events
 * say: while a feed is flowing whose fixes run behind the wall clock — a backlog being recorded,
 * a platform back-filling, a replayed or simulated day — ticking at wall time would put every
 * vehicle with an active waybill offline at once. So while messages keep arriving (a batch within
 * two tick intervals), a tick stands for the earliest of the wall clock, the newest publish time
 * when the gateway published it more than CLOCK_BACKLOG_MS ago, and the newest fix time recorded
 * since the last tick (capped by the wall clock, so a terminal whose clock runs ahead moves
 * nothing). With no fix since the last tick, or no feed at all, the wall clock goes on.
 */
export function tickInstant(now: number, every: number, lastBatchAtMs: number, newestIngestedMs: number, newestFixMs: number): number {
  if (now - lastBatchAtMs > 2 * every) return now;
  let at = now;
  if (now - newestIngestedMs > CLOCK_BACKLOG_MS) at = Math.min(at, newestIngestedMs);
  if (Number.isFinite(newestFixMs)) at = Math.min(at, newestFixMs);
  return at;
}

export type RecorderState = 'new' | 'running' | 'stopping' | 'stopped';

export interface Recorder {
  /** Joins the consumer group; resolves once consuming has started. */
  start(): Promise<void>;
  /** Lets the in-flight batch finish (and commit), leaves the group, closes the dead-letter producer. The store stays open. */
  stop(): Promise<void>;
  state(): RecorderState;
}

/**
 * Kafka → event store. Per bus batch: decode every message, group the valid events by stream
 * (keeping their order), append them in one store transaction per few hundred streams, dead-letter the rest, and only then resolve
 * so the bus commits. Redelivered events are skipped by the store's eventId idempotency, so
 * the store holds each event exactly once even though delivery is at-least-once.
 */
export function createRecorder(options: RecorderOptions): Recorder {
  return new KafkaRecorder(options);
}

class KafkaRecorder implements Recorder {
  private readonly accepted: Map<string, ReadonlySet<string>>;
  private readonly logger: BusLogger;
  private readonly now: () => number;
  private readonly streamsPerAppend: number;
  private consumer: BusConsumer | undefined;
  private producer: SerialProducer | undefined;
  private current: RecorderState = 'new';
  private tickTimer: NodeJS.Timeout | undefined;
  private lastTickId = '';
  /** Wall time of the last batch handled, and the newest publish time (dgt-ingested-at) in it. */
  private lastBatchAtMs = -Infinity;
  private lastBatchNewestIngestedMs = -Infinity;
  /** The newest fix time (occurredAt) recorded since the last tick; −∞ when none. */
  private newestFixSinceTickMs = -Infinity;

  constructor(private readonly options: RecorderOptions) {
    this.accepted = acceptedTypesByTopic(options.topics);
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.streamsPerAppend = Math.max(1, options.streamsPerAppend ?? 500);
  }

  state(): RecorderState {
    return this.current;
  }

  async start(): Promise<void> {
    if (this.current !== 'new') {
      throw new RecorderError('ALREADY_STARTED', `recorder of group ${this.options.groupId} was already started`);
    }
    this.current = 'running';
    const { bus, topics, groupId } = this.options;
    // A redelivered batch re-sends its dead letters right after a failed send; on the same kafkajs
    // producer that send could reuse the failed one's sequence number and be dropped as a duplicate.
    this.producer = new SerialProducer(() => bus.producer());
    this.consumer = bus.consumer({
      groupId,
      startFrom: 'earliest',
      retryBackoffMs: this.options.retryBackoffMs ?? 1000,
      onError: (error, where) => {
        this.options.metrics?.failedBatches.inc({ topic: where.topic });
        this.logger.warn('recording a batch failed; it will be redelivered', { ...where, groupId, error: describe(error) });
      },
    });
    await this.consumer.run({
      topics: [topics.positions, topics.consignments, topics.zones],
      eachBatch: (batch) => this.handle(batch),
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
    });
    // Not at once: a recorder starting on a backlog learns of it from its first batches.
    this.scheduleTick();
  }

  /** The next tick, at the next whole interval of the wall clock. */
  private scheduleTick(): void {
    const every = this.options.clockTickMs ?? CLOCK_TICK_MS;
    if (every <= 0 || this.current !== 'running') return;
    const now = this.now();
    const wait = Math.max(1, every - (((now % every) + every) % every));
    this.tickTimer = setTimeout(() => {
      void this.tick().finally(() => this.scheduleTick());
    }, wait);
    this.tickTimer.unref();
  }

  /**
   * Appends the ClockTicked of the current minute (one id per minute: a second recorder's tick of
   * the same minute is a duplicate, not a second event). `tickInstant` says which time it stands
   * for; it never goes backwards.
   */
  private async tick(): Promise<void> {
    const now = this.now();
    const every = this.options.clockTickMs ?? CLOCK_TICK_MS;
    const event = clockTick(tickInstant(now, every, this.lastBatchAtMs, this.lastBatchNewestIngestedMs, this.newestFixSinceTickMs));
    this.newestFixSinceTickMs = -Infinity;
    if (event.eventId <= this.lastTickId) return;
    try {
      const [result] = await this.options.store.appendMany([{ streamId: streamFor(event), events: [event], expectedRevision: 'any' }]);
      this.lastTickId = event.eventId;
      this.options.metrics?.clockTicks.inc({ result: result !== undefined && result.written > 0 ? 'recorded' : 'duplicate' });
    } catch (error) {
      this.options.metrics?.clockTicks.inc({ result: 'failed' });
      this.logger.warn('appending the clock tick failed; the next tick retries', { at: event.data.at, error: describe(error) });
    }
  }

  async stop(): Promise<void> {
    if (this.current === 'stopped' || this.current === 'stopping') return;
    this.current = 'stopping';
    clearTimeout(this.tickTimer);
    try {
      await this.consumer?.stop();
    } finally {
      await this.producer?.close();
      this.current = 'stopped';
    }
  }

  private async handle(batch: Batch): Promise<void> {
    const { metrics, store } = this.options;
    const startedMs = this.now();
    const topic = batch.topic;
    metrics?.consumed.inc({ topic }, batch.messages.length);
    const accepted = this.accepted.get(topic) ?? new Set<string>();

    // Insertion order of the map = first appearance; each stream's array keeps message order.
    const streams = new Map<string, StreamEntry>();
    const deadLetters: OutgoingMessage[] = [];
    const reasons: DeadLetterReason[] = [];
    let batchNewestFixMs = -Infinity;
    for (const message of batch.messages) {
      const decoded = decodeMessage(message, accepted);
      if (!decoded.ok) {
        deadLetters.push(deadLetterOf(message, decoded.reason, decoded.detail));
        reasons.push(decoded.reason);
        continue;
      }
      const stream = streamFor(decoded.event);
      let entry = streams.get(stream);
      if (entry === undefined) {
        entry = { events: [], messages: [], ingestedAtMs: [] };
        streams.set(stream, entry);
      }
      entry.events.push(decoded.event);
      entry.messages.push(message);
      if (decoded.event.type === 'VehiclePositionReported') {
        const fixMs = epochMs(decoded.event.occurredAt);
        if (fixMs > batchNewestFixMs) batchNewestFixMs = fixMs;
      }
      const ingestedAt = parseInstant(headerText(message, ingestedAtHeader));
      if (ingestedAt !== undefined) entry.ingestedAtMs.push(ingestedAt);
    }

    // One store transaction per slice of streams, not per stream: a Kafka batch touches hundreds
    // of vehicles, and a commit each would make the recorder the pipeline's bottleneck.
    const entries = [...streams];
    for (let i = 0; i < entries.length; i += this.streamsPerAppend) {
      const slice = entries.slice(i, i + this.streamsPerAppend);
      const before = performance.now();
      const results = await store.appendMany(slice.map(([streamId, { events }]) => ({ streamId, events, expectedRevision: 'any' as const })));
      const appendedMs = performance.now();
      const conflicting: number[] = [];
      for (const [k, result] of results.entries()) {
        conflicting[k] = result.conflicts === undefined ? 0 : await this.conflicted(slice[k]![1], result.conflicts, deadLetters, reasons, topic);
      }
      if (metrics !== undefined) {
        metrics.appendSeconds.observe((appendedMs - before) / 1000);
        const recordedMs = this.now();
        results.forEach((result, k) => {
          if (result.written > 0) metrics.appended.inc({ topic }, result.written);
          const duplicates = result.skipped - (conflicting[k] ?? 0);
          if (duplicates > 0) metrics.duplicates.inc(duplicates);
          // Redelivered events were recorded earlier; their latency would be the redelivery delay.
          if (result.skipped === 0) for (const t of slice[k]![1].ingestedAtMs) metrics.ingestToRecordedSeconds.observe(Math.max(0, recordedMs - t) / 1000);
        });
      }
      if (i + this.streamsPerAppend < entries.length) await batch.heartbeat();
    }

    // Before resolving: a crash from here on redelivers the batch instead of losing the refusals.
    if (deadLetters.length > 0) {
      if (this.producer === undefined) throw new RecorderError('NOT_CONFIGURED', 'recorder has no dead-letter producer');
      await this.producer.send(this.options.topics.deadletter, deadLetters);
      for (const reason of reasons) metrics?.deadLettered.inc({ reason });
      this.logger.warn('messages dead-lettered', {
        topic,
        partition: batch.partition,
        count: deadLetters.length,
        reasons: [...new Set(reasons)],
      });
    }
    metrics?.batchSeconds.observe((this.now() - startedMs) / 1000);
    let newest = -Infinity;
    for (const [, entry] of entries) for (const t of entry.ingestedAtMs) if (t > newest) newest = t;
    this.lastBatchAtMs = this.now();
    // Messages without the gateway's stamp say nothing about a backlog: taken as caught up.
    this.lastBatchNewestIngestedMs = Number.isFinite(newest) ? newest : this.lastBatchAtMs;
    // Only once recorded: a tick must never stand for fixes the store does not hold yet.
    if (batchNewestFixMs > this.newestFixSinceTickMs) this.newestFixSinceTickMs = batchNewestFixMs;
  }

  /**
   * The store kept the first event under each of these ids and skipped the others: first writer
   * wins, but never silently. Every message whose event differs from the recorded one goes to
   * the dead-letter topic as it came, and is counted. Conflicts are rare, so the recorded bytes
   * are looked up only then. Returns how many messages it dead-lettered.
   */
  private async conflicted(entry: StreamEntry, ids: readonly string[], deadLetters: OutgoingMessage[], reasons: DeadLetterReason[], topic: string): Promise<number> {
    const conflicting = new Set(ids);
    const recorded = await this.options.store.recordedJson?.(ids);
    const seen = new Set<string>();
    let count = 0;
    entry.events.forEach((event, i) => {
      if (!conflicting.has(event.eventId)) return;
      const first = !seen.has(event.eventId);
      seen.add(event.eventId);
      // Without a lookup, the batch's first occurrence is taken to be the recorded one.
      const stands = recorded === undefined ? first : canonicalJson(event) === recorded.get(event.eventId);
      if (stands) return;
      deadLetters.push(deadLetterOf(entry.messages[i]!, 'conflict', `eventId ${event.eventId} is recorded already with other content; the recorded event stands and this one was not recorded`));
      reasons.push('conflict');
      this.options.metrics?.conflicts.inc({ topic });
      count++;
    });
    return count;
  }
}

/**
 * The gateway's timestamp, as ISO-8601 or epoch milliseconds; anything else is ignored (metrics
 * only). `epochMs` answers as `Date.parse` does, and a batch's messages share one text.
 */
function parseInstant(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = /^\d+$/.test(text) ? Number(text) : epochMs(text);
  return Number.isFinite(ms) ? ms : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
