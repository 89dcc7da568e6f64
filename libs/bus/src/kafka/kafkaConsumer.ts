import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { abortableSleep } from '../abortableSleep.ts';
import { BusError } from '../errors.ts';
import { partitionsConcurrently } from '../partitionsConcurrently.ts';
import type {
  Batch,
  BatchHandler,
  BusConsumer,
  BusLogger,
  ConsumerOptions,
  RunOptions,
} from '../port.ts';
import { nextOffset } from '../validate.ts';
import { toReceivedMessage } from './receivedMessage.ts';

export interface KafkaConsumerTuning {
  /** How long a member that died without leaving keeps its partitions. */
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** Fetch long-poll; also bounds how long `stop` waits for an idle fetch. */
  readonly maxWaitTimeMs: number;
}

export class KafkaConsumer implements BusConsumer {
  private consumer: Consumer | undefined;
  private stopped = false;
  private readonly stopSignal = new AbortController();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: ConsumerOptions,
    private readonly tuning: KafkaConsumerTuning,
    private readonly logger: BusLogger,
    private readonly onStopped: (consumer: KafkaConsumer) => void,
  ) {}

  async run(options: RunOptions): Promise<void> {
    const { topics, eachBatch } = options;
    const concurrently = partitionsConcurrently(options);
    if (this.consumer !== undefined || this.stopped) {
      throw new BusError(
        'ALREADY_RUNNING',
        `consumer of group ${this.options.groupId} was already run`,
      );
    }
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.tuning.sessionTimeoutMs,
      heartbeatInterval: this.tuning.heartbeatIntervalMs,
      maxWaitTimeInMs: this.tuning.maxWaitTimeMs,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({
      topics: [...topics],
      fromBeginning: (this.options.startFrom ?? 'earliest') === 'earliest',
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: concurrently,
      eachBatch: (payload) => this.handleBatch(eachBatch, payload),
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopSignal.abort();
    try {
      // Waits for the in-flight batch (whose handler decides its commit), then leaves the group.
      await this.consumer?.disconnect();
    } finally {
      this.onStopped(this);
    }
  }

  private async handleBatch(handler: BatchHandler, payload: EachBatchPayload): Promise<void> {
    const {
      batch: raw,
      resolveOffset,
      heartbeat,
      isRunning,
      isStale,
      commitOffsetsIfNecessary,
    } = payload;
    if (raw.messages.length === 0) return;
    const { topic, partition } = raw;
    const messages = raw.messages.map((m) => toReceivedMessage(topic, partition, m));
    const first = messages[0]?.offset ?? raw.firstOffset() ?? '0';
    const last = messages[messages.length - 1]?.offset ?? first;
    const commitThrough = async (offset: string): Promise<void> => {
      if (BigInt(offset) < BigInt(first) || BigInt(offset) > BigInt(last)) {
        throw new BusError(
          'INVALID_MESSAGE',
          `commit(${offset}) is outside the batch ${first}..${last}`,
        );
      }
      // Resolving moves kafkajs's fetch position; committing makes it survive this consumer.
      // Not consumer.commitOffsets: it silently drops commits once stop() has begun, which would
      // redeliver the last batch after every clean shutdown.
      resolveOffset(offset);
      await commitOffsetsIfNecessary({
        topics: [{ topic, partitions: [{ partition, offset: nextOffset(offset) }] }],
      });
    };
    const batch: Batch = {
      topic,
      partition,
      messages,
      heartbeat,
      commit: commitThrough,
      isStale: () => !isRunning() || isStale(),
    };
    try {
      await handler(batch);
    } catch (error) {
      this.reportFailure(error, topic, partition, first);
      // Nothing resolved past the last commit, so the next fetch starts there: redelivery.
      await this.backoff(heartbeat, isRunning);
      return;
    }
    await commitThrough(last);
  }

  private async backoff(heartbeat: () => Promise<void>, isRunning: () => boolean): Promise<void> {
    const until = Date.now() + (this.options.retryBackoffMs ?? 1000);
    while (isRunning() && !this.stopSignal.signal.aborted && Date.now() < until) {
      await abortableSleep(
        Math.min(until - Date.now(), this.tuning.heartbeatIntervalMs),
        this.stopSignal.signal,
      );
      await heartbeat();
    }
  }

  private reportFailure(
    error: unknown,
    topic: string,
    partition: number,
    firstOffset: string,
  ): void {
    const where = { topic, partition, firstOffset };
    if (this.options.onError !== undefined) this.options.onError(error, where);
    else
      this.logger.warn('batch handler failed; the batch will be redelivered', {
        ...where,
        groupId: this.options.groupId,
        error,
      });
  }
}
