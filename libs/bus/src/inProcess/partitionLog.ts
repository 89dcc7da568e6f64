import type { ReceivedMessage } from '../port.ts';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export const tpKey = (tp: TopicPartition): string => `${tp.topic}\u0000${tp.partition}`;

/**
 * What a consumer reads from: the memory bus's arrays and the SQLite bus's tables both offer it,
 * so both adapters share one consumer and one group implementation.
 */
export interface PartitionLog {
  has(topic: string): boolean;
  partitionCount(topic: string): number;
  /** The oldest offset still held: retention deletes below it (always 0 in memory). */
  startOffset(tp: TopicPartition): number;
  /** Log end offset: the offset the next appended message will get. */
  endOffset(tp: TopicPartition): number;
  /** Up to `max` messages from `from` (at least the start offset), in offset order, as fresh copies. */
  read(tp: TopicPartition, from: number, max: number): ReceivedMessage[];
}
