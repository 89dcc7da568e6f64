import type { OutgoingMessage, ReceivedMessage } from '@dgt/bus';

/**
 * Why a message was not recorded. A closed set: it is a metric label. `conflict`: its eventId is
 * recorded already with other content (the first recorded event stands; this one is kept here).
 */
export const deadLetterReasons = ['malformed-json', 'invalid-event', 'wrong-topic', 'conflict'] as const;
export type DeadLetterReason = (typeof deadLetterReasons)[number];

export const deadLetterHeaders = {
  reason: 'dgt-dlq-reason',
  detail: 'dgt-dlq-detail',
  topic: 'dgt-dlq-topic',
  partition: 'dgt-dlq-partition',
  offset: 'dgt-dlq-offset',
} as const;

/** Long enough to name every issue of a real event, short enough to keep headers small. */
const MAX_DETAIL_CHARS = 2000;

/**
 * The dead letter keeps the original bytes, key and headers, so the message can be inspected
 * and re-published as it was; where it came from and why it was refused travel in headers.
 */
export function deadLetterOf(
  message: ReceivedMessage,
  reason: DeadLetterReason,
  detail: string,
): OutgoingMessage {
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      [deadLetterHeaders.reason]: reason,
      [deadLetterHeaders.detail]: detail.slice(0, MAX_DETAIL_CHARS),
      [deadLetterHeaders.topic]: message.topic,
      [deadLetterHeaders.partition]: String(message.partition),
      [deadLetterHeaders.offset]: message.offset,
    },
  };
}
