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
    // kafkajs decodes each header into a view of the fetched batch, as it does the value, which
    // is handed on as it is: copying three headers per message was ~2 % of the recorder's loop.
    if (value !== undefined) headers[name] = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
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
