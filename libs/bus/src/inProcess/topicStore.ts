import { BusError } from '../errors.ts';
import { headersToBuffers, valueToBuffer } from '../headers.ts';
import { partitionForKey } from '../partitioner.ts';
import type { OutgoingMessage, ReceivedMessage, TopicSpec } from '../port.ts';
import type { PartitionLog, TopicPartition } from './partitionLog.ts';

interface StoredMessage {
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, Buffer>>;
  readonly timestamp: number;
}

/** Append-only partition logs in memory, partitioned like Kafka so per-key order holds the same way. */
export class TopicStore implements PartitionLog {
  private readonly topics = new Map<string, StoredMessage[][]>();

  constructor(private readonly now: () => number) {}

  ensure(spec: TopicSpec): void {
    if (this.topics.has(spec.topic)) return;
    this.topics.set(
      spec.topic,
      Array.from({ length: spec.partitions }, () => []),
    );
  }

  has(topic: string): boolean {
    return this.topics.has(topic);
  }

  partitionCount(topic: string): number {
    return this.partitionsOf(topic).length;
  }

  /** All-or-nothing: validation happens before the first append. */
  append(topic: string, messages: readonly OutgoingMessage[]): void {
    const partitions = this.partitionsOf(topic);
    const timestamp = this.now();
    const stored = messages.map((m) => ({
      partition: partitionForKey(m.key, partitions.length),
      message: {
        key: m.key,
        value: valueToBuffer(m.value),
        headers: headersToBuffers(m.headers),
        timestamp,
      },
    }));
    for (const { partition, message } of stored) partitions[partition]?.push(message);
  }

  /** Nothing is ever deleted from memory (the memory bus is for tests). */
  startOffset(): number {
    return 0;
  }

  endOffset(tp: TopicPartition): number {
    return this.logOf(tp).length;
  }

  read(tp: TopicPartition, from: number, max: number): ReceivedMessage[] {
    return this.logOf(tp)
      .slice(from, from + max)
      .map((m, i) => ({
        topic: tp.topic,
        partition: tp.partition,
        offset: String(from + i),
        key: m.key,
        // Copies: a handler mutating its buffers must not change what a redelivery sees.
        value: Buffer.from(m.value),
        headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, Buffer.from(v)])),
        timestamp: m.timestamp,
      }));
  }

  private partitionsOf(topic: string): StoredMessage[][] {
    const partitions = this.topics.get(topic);
    if (partitions === undefined)
      throw new BusError(
        'UNKNOWN_TOPIC',
        `topic ${topic} does not exist (create it with ensureTopics)`,
      );
    return partitions;
  }

  private logOf(tp: TopicPartition): StoredMessage[] {
    const log = this.partitionsOf(tp.topic)[tp.partition];
    if (log === undefined)
      throw new BusError('UNKNOWN_TOPIC', `topic ${tp.topic} has no partition ${tp.partition}`);
    return log;
  }
}
