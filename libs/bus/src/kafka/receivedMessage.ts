import type { KafkaMessage } from 'kafkajs';
import type { ReceivedMessage } from '../port.ts';

export function toReceivedMessage(
  topic: string,
  partition: number,
  m: KafkaMessage,
): ReceivedMessage {
  const headers: Record<string, Buffer> = {};
  for (const [name, raw] of Object.entries(m.headers ?? {})) {
    // Kafka allows repeated header names (kafkajs gives an array); the last one wins, as with
    // the Java client's lastHeader().
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) headers[name] = Buffer.from(value);
  }
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key?.toString('utf8') ?? '',
    value: m.value ?? Buffer.alloc(0),
    headers,
    timestamp: Number(m.timestamp),
  };
}
