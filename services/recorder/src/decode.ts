import type { ReceivedMessage } from '@dgt/bus';
import { safeParseClientEvent, type DgtEvent } from '@dgt/events';
import type { DeadLetterReason } from './deadLetter.ts';

export type Decoded =
  | { readonly ok: true; readonly event: DgtEvent }
  | { readonly ok: false; readonly reason: DeadLetterReason; readonly detail: string };

/**
 * A message is recorded only if it is a catalog-valid event of a type its topic carries: a
 * detection or a zone edit arriving on the positions topic is refused, not filed somewhere.
 * Its id must follow the client id rule (no `/`): the gateways check it already, and anything
 * else that can write to the topics must not squat an id dgt derives for a detection.
 */
export function decodeMessage(
  message: ReceivedMessage,
  acceptedTypes: ReadonlySet<string>,
): Decoded {
  let input: unknown;
  try {
    input = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    return {
      ok: false,
      reason: 'malformed-json',
      detail: error instanceof Error ? error.message : String(error),
    };
  }
  const parsed = safeParseClientEvent(input);
  if (!parsed.ok) {
    return { ok: false, reason: 'invalid-event', detail: parsed.error.message };
  }
  if (!acceptedTypes.has(parsed.event.type)) {
    return {
      ok: false,
      reason: 'wrong-topic',
      detail: `${parsed.event.type} does not belong on ${message.topic}`,
    };
  }
  return { ok: true, event: parsed.event };
}
