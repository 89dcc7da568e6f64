/**
 * The message-bus port. Delivery is at-least-once: a batch's offsets are committed only after
 * the handler resolved, so a consumer that fails or stops mid-batch gets the batch again.
 * Order is guaranteed per key (one key → one partition → one handler call at a time).
 */

/** Header values go out as text or bytes and always come back as bytes (Kafka has no header types). */
export type OutgoingHeaders = Readonly<Record<string, string | Buffer>>;

export interface OutgoingMessage {
  /** Partitioning key: all messages with one key keep their order. */
  readonly key: string;
  readonly value: Buffer | string;
  readonly headers?: OutgoingHeaders;
}

export interface ReceivedMessage {
  readonly topic: string;
  readonly partition: number;
  /** Decimal int64, increasing per partition. */
  readonly offset: string;
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, Buffer>>;
  /** Broker append time (ms since epoch) - for lag metrics, never for domain time. */
  readonly timestamp: number;
}

export interface Batch {
  readonly topic: string;
  readonly partition: number;
  /** Non-empty, in offset order. */
  readonly messages: readonly ReceivedMessage[];
  /** Keeps the group membership alive during long work; call between chunks. */
  heartbeat(): Promise<void>;
  /**
   * Commits progress inside the batch: everything up to and including `offset`. Optional -
   * resolving the handler commits the whole batch.
   */
  commit(offset: string): Promise<void>;
  /** True once the consumer is stopping or lost this partition; finish quickly, results may be redelivered. */
  isStale(): boolean;
}

/**
 * Resolve → the batch is committed. Throw → nothing after the last `commit` is committed; the
 * rest is redelivered after `retryBackoffMs` (or to the next consumer of the group).
 */
export type BatchHandler = (batch: Batch) => Promise<void>;

export interface ConsumerOptions {
  readonly groupId: string;
  /** Where a group without a committed offset starts. Default 'earliest'. */
  readonly startFrom?: 'earliest' | 'latest';
  /** Delay before a failed batch is redelivered. Default 1000 ms. */
  readonly retryBackoffMs?: number;
  /** Called for every handler failure (the batch will be redelivered). */
  readonly onError?: (
    error: unknown,
    where: { topic: string; partition: number; firstOffset: string },
  ) => void;
}

export interface RunOptions {
  readonly topics: readonly string[];
  readonly eachBatch: BatchHandler;
  /**
   * How many batches, each of another partition, may be in `eachBatch` at once (kafkajs's option
   * of that name). Default 1. A partition's batches still come one at a time, in offset order,
   * and each batch's commit is its own; a handler that awaits slow I/O (the recorder's appends on
   * the store's worker) can prepare the next partition's batch meanwhile.
   */
  readonly partitionsConsumedConcurrently?: number;
}

export interface BusConsumer {
  /** Joins the group and starts delivering; resolves once consuming has started. One run per consumer. */
  run(options: RunOptions): Promise<void>;
  /** Waits for the in-flight batch (its handler's outcome decides the commit), then leaves the group. */
  stop(): Promise<void>;
}

export interface BusProducer {
  /**
   * True when sends may overlap: each keeps its call order and no failure can make another send be
   * dropped (the SQLite bus). SerialProducer then lets them overlap, so concurrent requests share
   * one commit instead of queueing for one each.
   */
  readonly concurrentSendsSafe?: boolean;
  /**
   * Appends messages to one topic. Resolves only when every message is durable (acks=all) and
   * visible to consumers; rejects if any is not. Per-key order is the array order.
   */
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
}

export interface Bus {
  /**
   * True when a resolved `send` survives the process being killed: Kafka (acks=all), or the
   * embedded bus backed by a file. Gateways acknowledge only what is durable, so they refuse to
   * start on a bus without it (the memory-only in-process bus is for unit tests).
   */
  readonly durable: boolean;
  /** Creates missing topics (existing ones are left as they are). Topics are never auto-created. */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  producer(): BusProducer;
  consumer(options: ConsumerOptions): BusConsumer;
  /** Stops every consumer and closes every producer created from this bus. */
  close(): Promise<void>;
}

export interface BusLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
