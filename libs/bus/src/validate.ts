import { BusError } from './errors.ts';
import type { OutgoingMessage, TopicSpec } from './port.ts';

export function assertTopicSpecs(specs: readonly TopicSpec[]): void {
  for (const spec of specs) {
    if (typeof spec.topic !== 'string' || !/^[A-Za-z0-9._-]{1,249}$/.test(spec.topic)) {
      throw new BusError('INVALID_TOPIC_SPEC', `invalid topic name ${JSON.stringify(spec.topic)}`);
    }
    if (!Number.isInteger(spec.partitions) || spec.partitions < 1) {
      throw new BusError(
        'INVALID_TOPIC_SPEC',
        `topic ${spec.topic}: partitions must be a positive integer, got ${spec.partitions}`,
      );
    }
  }
}

export function assertMessages(topic: string, messages: readonly OutgoingMessage[]): void {
  messages.forEach((m, i) => {
    if (typeof m.key !== 'string')
      throw new BusError('INVALID_MESSAGE', `${topic}[${i}]: key must be a string`);
    if (typeof m.value !== 'string' && !Buffer.isBuffer(m.value)) {
      throw new BusError('INVALID_MESSAGE', `${topic}[${i}]: value must be a Buffer or a string`);
    }
  });
}

/** The offset after `offset` (offsets are decimal int64 strings). */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
