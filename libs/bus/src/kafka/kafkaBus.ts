import {
  CompressionTypes,
  Kafka,
  logLevel,
  type Admin,
  type Producer,
} from 'kafkajs';
import { BusError } from '../errors.ts';
import { sendableHeaders, valueToBuffer } from '../headers.ts';
import type {
  Bus,
  BusConsumer,
  BusLogger,
  BusProducer,
  ConsumerOptions,
  OutgoingMessage,
  TopicSpec,
} from '../port.ts';
import { silentLogger } from '../silentLogger.ts';
import { assertMessages, assertTopicSpecs } from '../validate.ts';
import { KafkaConsumer, type KafkaConsumerTuning } from './kafkaConsumer.ts';
import { kafkajsLogCreator } from './kafkajsLogger.ts';
import { rememberingKeyPartitioner } from './keyPartitioner.ts';

export interface KafkaBusOptions {
  readonly brokers: readonly string[];
  readonly clientId?: string;
  /** Receives kafkajs logs at `kafkaLogLevel` and above, plus handler failures. Default: silent. */
  readonly logger?: BusLogger;
  /** Default 'warn'. kafkajs logs retriable conditions as errors, so 'error' is still chatty. */
  readonly kafkaLogLevel?: 'error' | 'warn' | 'info' | 'debug';
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  readonly consumer?: Partial<KafkaConsumerTuning>;
}

const kafkaLogLevels = {
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
} as const;

/**
 * Kafka through kafkajs. Producers are idempotent with acks=all and one request in flight, so a
 * retried send neither duplicates nor reorders; consumers commit explicitly after the handler.
 */
export function createKafkaBus(options: KafkaBusOptions): Bus {
  return new KafkaBus(options);
}

class KafkaBus implements Bus {
  // acks=all on an idempotent producer: a resolved send is on the brokers' logs.
  readonly durable = true;
  private readonly kafka: Kafka;
  private readonly logger: BusLogger;
  private readonly tuning: KafkaConsumerTuning;
  private readonly producers = new Set<KafkaProducer>();
  private readonly consumers = new Set<KafkaConsumer>();
  private closed = false;

  constructor(options: KafkaBusOptions) {
    if (options.brokers.length === 0) throw new BusError('ADMIN_FAILED', 'no Kafka brokers given');
    this.logger = options.logger ?? silentLogger;
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'dgt',
      brokers: [...options.brokers],
      connectionTimeout: options.connectionTimeoutMs ?? 3000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      // Rides out a broker restart of a few seconds (about 30 s in total) before giving up.
      retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: 10 },
      logLevel:
        options.logger === undefined
          ? logLevel.NOTHING
          : kafkaLogLevels[options.kafkaLogLevel ?? 'warn'],
      logCreator: kafkajsLogCreator(this.logger),
    });
    this.tuning = {
      sessionTimeoutMs: options.consumer?.sessionTimeoutMs ?? 10_000,
      heartbeatIntervalMs: options.consumer?.heartbeatIntervalMs ?? 1000,
      maxWaitTimeMs: options.consumer?.maxWaitTimeMs ?? 500,
    };
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    assertTopicSpecs(topics);
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await createMissingTopics(admin, topics);
    } catch (error) {
      throw new BusError('ADMIN_FAILED', `could not create topics: ${String(error)}`, {
        cause: error,
      });
    } finally {
      await admin.disconnect();
    }
  }

  producer(): BusProducer {
    this.assertOpen();
    const producer = new KafkaProducer(
      this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // The Java client's murmur2 partitioner: same key → same partition as other clients.
        createPartitioner: rememberingKeyPartitioner,
      }),
      (p) => this.producers.delete(p),
    );
    this.producers.add(producer);
    return producer;
  }

  consumer(options: ConsumerOptions): BusConsumer {
    this.assertOpen();
    const consumer = new KafkaConsumer(this.kafka, options, this.tuning, this.logger, (c) =>
      this.consumers.delete(c),
    );
    this.consumers.add(consumer);
    return consumer;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.consumers].map((c) => c.stop()));
    await Promise.all([...this.producers].map((p) => p.close()));
  }

  private assertOpen(): void {
    if (this.closed) throw new BusError('CLOSED', 'bus is closed');
  }
}

async function createMissingTopics(admin: Admin, topics: readonly TopicSpec[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.topic));
  if (missing.length === 0) return;
  // createTopics treats "already exists" (a concurrent creator) as success.
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((t) => ({
      topic: t.topic,
      numPartitions: t.partitions,
      replicationFactor: -1,
    })),
  });
}

class KafkaProducer implements BusProducer {
  private connecting: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly producer: Producer,
    private readonly onClosed: (p: KafkaProducer) => void,
  ) {}

  async send(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.closed) throw new BusError('CLOSED', 'producer is closed');
    assertMessages(topic, messages);
    if (messages.length === 0) return;
    this.connecting ??= this.producer.connect();
    try {
      await this.connecting;
      await this.producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.None,
        messages: messages.map((m) => ({
          key: m.key,
          // Strings go as they are (kafkajs writes them into the request itself; they cannot
          // change after send). Buffers are copied: a caller may reuse its buffer.
          value: typeof m.value === 'string' ? m.value : valueToBuffer(m.value),
          headers: sendableHeaders(m.headers),
        })),
      });
    } catch (error) {
      if (error instanceof BusError) throw error;
      // A failed connect must not poison later sends.
      this.connecting = undefined;
      throw new BusError('SEND_FAILED', `send to ${topic} failed: ${String(error)}`, {
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.connecting !== undefined) await this.producer.disconnect();
    } finally {
      this.onClosed(this);
    }
  }
}
