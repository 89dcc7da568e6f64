import { BusError } from '../errors.ts';
import { silentLogger } from '../silentLogger.ts';
import type {
  Bus,
  BusConsumer,
  BusLogger,
  BusProducer,
  ConsumerOptions,
  OutgoingMessage,
  TopicSpec,
} from '../port.ts';
import { assertMessages, assertTopicSpecs } from '../validate.ts';
import { ConsumerGroup } from './consumerGroup.ts';
import { InProcessConsumer } from './inProcessConsumer.ts';
import { Notifier } from './notifier.ts';
import { TopicStore } from './topicStore.ts';

export interface InProcessBusOptions {
  /** Clock for message timestamps. Default Date.now. */
  readonly now?: () => number;
  /** Most messages handed to one handler call. Default 500. */
  readonly maxBatchSize?: number;
  readonly logger?: BusLogger;
}

/**
 * The memory-only bus, for tests: Kafka's semantics (keyed partitions, consumer groups, committed
 * offsets, at-least-once redelivery) inside one process, without durability across restarts and
 * keeping every message forever. The embedded stack runs on the SQLite bus (`createSqliteBus`).
 */
export function createInProcessBus(options: InProcessBusOptions = {}): Bus {
  return new InProcessBus(options);
}

class InProcessBus implements Bus {
  // Memory only: a kill loses whatever the consumers had not handled yet.
  readonly durable = false;
  private readonly store: TopicStore;
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly changes = new Notifier();
  private readonly consumers = new Set<InProcessConsumer>();
  private nextMemberId = 1;
  private closed = false;

  constructor(private readonly options: InProcessBusOptions) {
    this.store = new TopicStore(options.now ?? Date.now);
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    assertTopicSpecs(topics);
    for (const spec of topics) this.store.ensure(spec);
  }

  producer(): BusProducer {
    let producerClosed = false;
    return {
      send: async (topic: string, messages: readonly OutgoingMessage[]) => {
        if (producerClosed) throw new BusError('CLOSED', 'producer is closed');
        this.assertOpen();
        assertMessages(topic, messages);
        this.store.append(topic, messages);
        this.changes.notify();
      },
      close: async () => {
        producerClosed = true;
      },
    };
  }

  consumer(options: ConsumerOptions): BusConsumer {
    this.assertOpen();
    const consumer = new InProcessConsumer(options, {
      memberId: this.nextMemberId++,
      store: this.store,
      group: this.groupOf(options.groupId),
      changes: this.changes,
      maxBatchSize: this.options.maxBatchSize ?? 500,
      logger: this.options.logger ?? silentLogger,
      onStopped: (c) => this.consumers.delete(c),
    });
    this.consumers.add(consumer);
    return consumer;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.consumers].map((c) => c.stop()));
  }

  private groupOf(groupId: string): ConsumerGroup {
    let group = this.groups.get(groupId);
    if (group === undefined) {
      group = new ConsumerGroup((topic) => this.store.partitionCount(topic));
      this.groups.set(groupId, group);
    }
    return group;
  }

  private assertOpen(): void {
    if (this.closed) throw new BusError('CLOSED', 'bus is closed');
  }
}
