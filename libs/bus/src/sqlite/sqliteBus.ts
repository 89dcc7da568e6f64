import { BusError } from '../errors.ts';
import { ConsumerGroup } from '../inProcess/consumerGroup.ts';
import { InProcessConsumer } from '../inProcess/inProcessConsumer.ts';
import { Notifier } from '../inProcess/notifier.ts';
import { silentLogger } from '../silentLogger.ts';
import type { Bus, BusConsumer, BusLogger, BusProducer, ConsumerOptions, OutgoingMessage, TopicSpec } from '../port.ts';
import { assertMessages, assertTopicSpecs } from '../validate.ts';
import { CommittedOffsets } from './committedOffsets.ts';
import { assertTailBytes, DEFAULT_TAIL_BYTES, type CommittedTailStats } from './committedTail.ts';
import type { GroupCommit } from './groupCommit.ts';
import { openLogWriter } from './logWriter.ts';
import { openBusDatabase, type BusSynchronous, type Db } from './openBusDatabase.ts';
import { prune, type PruneResult, type RetainedGroup, type RetentionPolicy } from './retention.ts';
import { SqliteLog } from './sqliteLog.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface SqliteBusOptions {
  /** The bus file (created with mode 0600); `<dataDir>/bus.sqlite` in the stack. */
  readonly path: string;
  /** Default NORMAL: survives a killed process; FULL also survives power loss (see BusSynchronous). */
  readonly synchronous?: BusSynchronous;
  /** How long the first send of a transaction waits for others. Default 0: sends of one event-loop turn share a commit. */
  readonly groupCommitWindowMs?: number;
  /** Sends join a transaction until it holds this many messages (it blocks the event loop while it runs). Default 16,384. */
  readonly maxMessagesPerTransaction?: number;
  /** Groups whose uncommitted messages are never deleted, running or not (the stack's recorder). */
  readonly retain?: readonly RetainedGroup[];
  /** Messages no group pins are deleted after this. Default 7 days (Kafka's log.retention.hours). */
  readonly retentionMs?: number;
  /** Offsets of a stopped, not retained group are deleted this long after its last commit. Default 7 days. */
  readonly offsetsRetentionMs?: number;
  /** How often retention runs. Default 5 s; 0: only when `prune()` is called. */
  readonly pruneIntervalMs?: number;
  /** Most messages one retention transaction deletes per partition. Default 20,000. */
  readonly maxDeletesPerPartition?: number;
  /** Clock for message timestamps and offsets retention. Default Date.now. */
  readonly now?: () => number;
  /**
   * Budget of the in-memory tail of committed messages that recent reads are answered from (key,
   * value and header bytes plus 64 per message, across partitions; the oldest go first). Default
   * 32 MiB; 0 turns it off (every read goes to the file).
   */
  readonly tailBytes?: number;
  /** Most messages handed to one handler call. Default 500. */
  readonly maxBatchSize?: number;
  readonly logger?: BusLogger;
}

/** Messages of one partition a group has not committed yet. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

export interface SqliteBusStats {
  /** Transactions committed (sends, offsets and retention share them). */
  readonly transactions: number;
  /** Messages appended. */
  readonly messages: number;
  /** The in-memory tail of committed messages: its size, and reads it answered or left to the file. */
  readonly tail: CommittedTailStats;
}

/** The embedded bus with its log in a file: what the stack runs on without Kafka. */
export interface SqliteBus extends Bus {
  readonly durable: true;
  readonly path: string;
  /** Messages of `topics` that `groupId` has not committed yet (a clean stop waits for the recorder's to reach 0). */
  backlog(groupId: string, topics: readonly string[]): number;
  /** The same per partition (every partition of `topics`, 0 included): what a consumer-lag gauge shows. */
  lag(groupId: string, topics: readonly string[]): PartitionLag[];
  /** Runs retention now (it also runs every `pruneIntervalMs`). */
  prune(): Promise<PruneResult>;
  stats(): SqliteBusStats;
}

/**
 * The in-process bus's semantics (keyed partitions with Kafka's partitioner, consumer groups,
 * committed offsets, at-least-once redelivery) with the log and the committed offsets in one
 * SQLite file (WAL). `send` resolves only after the transaction holding its messages committed,
 * so a 202 given after it survives the process being killed; sends arriving together share that
 * transaction (group commit). Consumers read recent messages from a bounded in-memory tail of
 * committed ones (committedTail.ts) and older ones from the file, so memory does not grow with the log;
 * retention deletes what every group that matters has committed (see retention.ts).
 * One process per file: a second one opening it fails.
 */
export function createSqliteBus(options: SqliteBusOptions): SqliteBus {
  return new SqliteFileBus(options);
}

class SqliteFileBus implements SqliteBus {
  readonly durable = true;
  readonly path: string;
  private readonly db: Db;
  private readonly log: SqliteLog;
  private readonly offsets: CommittedOffsets;
  private readonly writer: GroupCommit;
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly changes = new Notifier();
  private readonly consumers = new Set<InProcessConsumer>();
  private readonly now: () => number;
  private readonly logger: BusLogger;
  private readonly pruneTimer: NodeJS.Timeout | undefined;
  private nextMemberId = 1;
  private messages = 0;
  private appended = 0;
  /** No new consumers or producers; set when close() starts. */
  private closing = false;
  /** No more sends; set once the consumers have stopped. */
  private closed = false;
  private closeDone: Promise<void> | undefined;

  constructor(private readonly options: SqliteBusOptions) {
    this.path = options.path;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    // Checked before the file is opened: a refused option must not leave it open.
    assertTailBytes(options.tailBytes ?? DEFAULT_TAIL_BYTES);
    this.db = openBusDatabase(options.path, options.synchronous ?? 'NORMAL');
    this.log = new SqliteLog(this.db, { tailBytes: options.tailBytes });
    this.offsets = new CommittedOffsets(this.db, this.now);
    this.writer = openLogWriter(this.db, this.log, this.offsets, {
      windowMs: options.groupCommitWindowMs ?? 0,
      maxMessagesPerTransaction: options.maxMessagesPerTransaction ?? 16_384,
      afterCommit: () => {
        this.messages += this.appended;
        this.appended = 0;
        this.changes.notify();
      },
      afterRollback: (error) => {
        this.appended = 0;
        this.logger.error('a bus transaction failed; its sends were refused', { path: this.path, error: error instanceof Error ? error.message : String(error) });
      },
    });
    const every = options.pruneIntervalMs ?? 5000;
    this.pruneTimer = every > 0 ? setInterval(() => this.pruneInBackground(), every).unref() : undefined;
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    assertTopicSpecs(topics);
    this.log.ensure(topics);
  }

  producer(): BusProducer {
    this.assertOpen();
    let producerClosed = false;
    const inFlight = new Set<Promise<void>>();
    return {
      concurrentSendsSafe: true,
      send: async (topic: string, messages: readonly OutgoingMessage[]) => {
        if (producerClosed) throw new BusError('CLOSED', 'producer is closed');
        if (this.closed) throw new BusError('CLOSED', 'bus is closed');
        assertMessages(topic, messages);
        const rows = this.log.prepare(topic, messages);
        if (messages.length === 0) return;
        const sent = this.writer.submit(() => {
          this.log.append(rows, this.now());
          this.appended += messages.length;
        }, messages.length);
        inFlight.add(sent);
        try {
          await sent;
        } finally {
          inFlight.delete(sent);
        }
      },
      close: async () => {
        producerClosed = true;
        await Promise.allSettled([...inFlight]);
      },
    };
  }

  consumer(options: ConsumerOptions): BusConsumer {
    this.assertOpen();
    const consumer = new InProcessConsumer(options, {
      memberId: this.nextMemberId++,
      store: this.log,
      group: this.groupOf(options.groupId),
      changes: this.changes,
      maxBatchSize: this.options.maxBatchSize ?? 500,
      logger: this.logger,
      onStopped: (c) => this.consumers.delete(c),
    });
    this.consumers.add(consumer);
    return consumer;
  }

  backlog(groupId: string, topics: readonly string[]): number {
    return this.lag(groupId, topics).reduce((sum, p) => sum + p.lag, 0);
  }

  lag(groupId: string, topics: readonly string[]): PartitionLag[] {
    const group = this.groupOf(groupId);
    const lags: PartitionLag[] = [];
    for (const topic of topics) {
      for (let partition = 0; partition < this.log.partitionCount(topic); partition++) {
        const tp = { topic, partition };
        const start = this.log.startOffset(tp);
        lags.push({ topic, partition, lag: this.log.endOffset(tp) - Math.max(group.committedOffset(tp) ?? start, start) });
      }
    }
    return lags;
  }

  prune(): Promise<PruneResult> {
    if (this.closed) return Promise.reject(new BusError('CLOSED', 'bus is closed'));
    let result: PruneResult = { deletedMessages: 0, expiredGroups: [], more: false };
    return this.writer
      .submit(() => {
        result = prune(this.db, this.log, this.offsets, this.retentionPolicy(), this.runningGroups(), this.now());
      })
      .then(() => {
        // A stopped group whose offsets expired starts afresh if it comes back, as in Kafka.
        for (const groupId of result.expiredGroups) if (this.groups.get(groupId)?.subscribedTopics().length === 0) this.groups.delete(groupId);
        return result;
      });
  }

  stats(): SqliteBusStats {
    return { transactions: this.writer.transactions(), messages: this.messages, tail: this.log.tailStats() };
  }

  close(): Promise<void> {
    this.closeDone ??= this.closeNow();
    return this.closeDone;
  }

  private async closeNow(): Promise<void> {
    this.closing = true;
    if (this.pruneTimer !== undefined) clearInterval(this.pruneTimer);
    // Consumers first: a handler finishing its batch may still send (the recorder's dead letters).
    await Promise.all([...this.consumers].map((c) => c.stop()));
    this.closed = true;
    this.writer.close();
    // What was sent before the close, and the consumers' last commits.
    this.writer.flush(true);
    this.db.close();
  }

  private groupOf(groupId: string): ConsumerGroup {
    let group = this.groups.get(groupId);
    if (group === undefined) {
      group = new ConsumerGroup((topic) => this.log.partitionCount(topic), {
        committed: this.offsets.load(groupId),
        onCommit: (tp, next) => {
          this.offsets.queue(groupId, tp, next);
          this.writer.schedule();
        },
      });
      this.groups.set(groupId, group);
    }
    return group;
  }

  private retentionPolicy(): RetentionPolicy {
    return {
      retain: this.options.retain ?? [],
      retentionMs: this.options.retentionMs ?? 7 * DAY_MS,
      offsetsRetentionMs: this.options.offsetsRetentionMs ?? 7 * DAY_MS,
      maxDeletesPerPartition: this.options.maxDeletesPerPartition ?? 20_000,
    };
  }

  private runningGroups(): Map<string, Set<string>> {
    const running = new Map<string, Set<string>>();
    for (const [groupId, group] of this.groups) {
      const topics = group.subscribedTopics();
      if (topics.length > 0) running.set(groupId, new Set(topics));
    }
    return running;
  }

  private pruneInBackground(): void {
    if (this.closed) return;
    this.prune().then(
      (result) => {
        if (result.more) setImmediate(() => this.pruneInBackground());
      },
      (error: unknown) => this.logger.warn('bus retention failed; it runs again later', { path: this.path, error: error instanceof Error ? error.message : String(error) }),
    );
  }

  private assertOpen(): void {
    if (this.closing) throw new BusError('CLOSED', 'bus is closed');
  }
}
