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
import type { ConsumerGroup, GroupMember } from './consumerGroup.ts';
import type { Notifier } from './notifier.ts';
import { tpKey, type PartitionLog, type TopicPartition } from './partitionLog.ts';

export interface InProcessConsumerDeps {
  readonly memberId: number;
  readonly store: PartitionLog;
  readonly group: ConsumerGroup;
  readonly changes: Notifier;
  readonly maxBatchSize: number;
  readonly logger: BusLogger;
  readonly onStopped: (consumer: InProcessConsumer) => void;
}

type State = 'new' | 'running' | 'stopping' | 'stopped';

/**
 * One group member: delivers its partitions' batches round-robin across partitions, one batch per
 * partition at a time, up to `partitionsConsumedConcurrently` partitions at once (one lane each).
 */
export class InProcessConsumer implements BusConsumer, GroupMember {
  readonly memberId: number;
  topics: readonly string[] = [];
  private state: State = 'new';
  private assignment: readonly TopicPartition[] = [];
  private generation = 0;
  private readonly positions = new Map<string, number>();
  private cursor = 0;
  /** Partitions (tpKey) with a batch in a lane now. */
  private readonly busy = new Set<string>();
  private loop: Promise<void> | undefined;
  private readonly stopSignal = new AbortController();

  constructor(
    private readonly options: ConsumerOptions,
    private readonly deps: InProcessConsumerDeps,
  ) {
    this.memberId = deps.memberId;
  }

  async run(options: RunOptions): Promise<void> {
    const { topics, eachBatch } = options;
    if (this.state !== 'new')
      throw new BusError(
        'ALREADY_RUNNING',
        `consumer of group ${this.options.groupId} was already run`,
      );
    for (const topic of topics) {
      if (!this.deps.store.has(topic))
        throw new BusError(
          'UNKNOWN_TOPIC',
          `topic ${topic} does not exist (create it with ensureTopics)`,
        );
    }
    const lanes = partitionsConcurrently(options);
    this.topics = [...topics];
    this.state = 'running';
    this.deps.group.join(this);
    this.loop = this.consume(eachBatch, lanes);
  }

  async stop(): Promise<void> {
    if (this.state === 'new') this.state = 'stopped';
    if (this.state === 'stopped') return;
    if (this.state === 'running') {
      this.state = 'stopping';
      this.stopSignal.abort();
      this.deps.changes.notify();
    }
    await this.loop;
  }

  assign(partitions: readonly TopicPartition[], generation: number): void {
    this.assignment = partitions;
    this.generation = generation;
    this.positions.clear();
    for (const tp of partitions) {
      const committed = this.deps.group.committedOffset(tp);
      // Like Kafka's auto.offset.reset, also for a committed offset retention has deleted past.
      const held = committed !== undefined && committed >= this.deps.store.startOffset(tp);
      this.positions.set(tpKey(tp), held ? committed : this.resetOffset(tp));
    }
    this.deps.changes.notify();
  }

  private resetOffset(tp: TopicPartition): number {
    return this.options.startFrom === 'latest' ? this.deps.store.endOffset(tp) : this.deps.store.startOffset(tp);
  }

  private async consume(handler: BatchHandler, lanes: number): Promise<void> {
    try {
      // The first lane takes any batch; the others only full ones (a backlog): while the handler
      // keeps up, batches stay whole rather than split thinner across lanes.
      await Promise.all(Array.from({ length: lanes }, (_, i) => this.lane(handler, lanes > 1, i === 0 ? 1 : this.deps.maxBatchSize)));
    } finally {
      this.state = 'stopped';
      this.deps.group.leave(this);
      this.deps.onStopped(this);
    }
  }

  /** Delivers batches of partitions no other lane holds, until the consumer stops. */
  private async lane(handler: BatchHandler, shared: boolean, minMessages: number): Promise<void> {
    while (this.state === 'running') {
      const next = this.nextPartitionWithData(minMessages);
      if (next === undefined) {
        await this.deps.changes.wait();
        continue;
      }
      const key = tpKey(next.tp);
      this.busy.add(key);
      try {
        await this.deliver(handler, next.tp, next.from);
      } finally {
        this.busy.delete(key);
      }
      // A lane that found every partition with data held waits for a change: this is one.
      if (shared) this.deps.changes.notify();
    }
  }

  private nextPartitionWithData(minMessages: number): { tp: TopicPartition; from: number } | undefined {
    const n = this.assignment.length;
    for (let i = 0; i < n; i++) {
      const tp = this.assignment[(this.cursor + i) % n];
      if (tp === undefined || this.busy.has(tpKey(tp))) continue;
      // A position below the log's start (deleted by retention) reads on from the start.
      const from = Math.max(this.positions.get(tpKey(tp)) ?? 0, this.deps.store.startOffset(tp));
      if (this.deps.store.endOffset(tp) - from >= minMessages) {
        this.cursor = (this.cursor + i + 1) % n;
        return { tp, from };
      }
    }
    return undefined;
  }

  private async deliver(handler: BatchHandler, tp: TopicPartition, position: number): Promise<void> {
    const generation = this.generation;
    const messages = this.deps.store.read(tp, position, this.deps.maxBatchSize);
    const first = messages[0];
    if (first === undefined) return;
    // The log's own offsets, not the position: retention may have deleted past it.
    const from = Number(first.offset);
    const last = from + messages.length - 1;
    let committedNext = from;
    const commitThrough = (offset: number): void => {
      if (this.deps.group.commit(tp, offset + 1, generation))
        committedNext = Math.max(committedNext, offset + 1);
    };
    const batch: Batch = {
      topic: tp.topic,
      partition: tp.partition,
      messages,
      heartbeat: async () => {},
      commit: async (offset) => {
        const n = Number(offset);
        if (!Number.isInteger(n) || n < from || n > last) {
          throw new BusError(
            'INVALID_MESSAGE',
            `commit(${offset}) is outside the batch ${from}..${last}`,
          );
        }
        commitThrough(n);
      },
      isStale: () => this.state !== 'running' || this.generation !== generation,
    };
    try {
      await handler(batch);
      commitThrough(last);
    } catch (error) {
      this.reportFailure(error, tp, from);
      if (this.generation === generation) this.positions.set(tpKey(tp), committedNext);
      await abortableSleep(this.options.retryBackoffMs ?? 1000, this.stopSignal.signal);
      return;
    }
    if (this.generation === generation) this.positions.set(tpKey(tp), committedNext);
  }

  private reportFailure(error: unknown, tp: TopicPartition, from: number): void {
    const where = { topic: tp.topic, partition: tp.partition, firstOffset: String(from) };
    if (this.options.onError !== undefined) this.options.onError(error, where);
    else
      this.deps.logger.warn('batch handler failed; the batch will be redelivered', {
        ...where,
        groupId: this.options.groupId,
        error,
      });
  }
}
