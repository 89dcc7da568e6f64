import type { ReceivedMessage } from '@dgt/bus';
import { clientEventIdPattern, parsePositionBytes, safeParseClientEvent, type DgtEvent, type ParseResult } from '@dgt/events';
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
  let parsed = plainFix(message.value);
  if (parsed === undefined) {
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
    parsed = safeParseClientEvent(input);
  }
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

/**
 * A valid fix as the gateways publish it (canonical JSON), read from the bytes by
 * `parsePositionBytes` (what `dgt detect` reads a fleet's file with): the same event as decoding,
 * `JSON.parse` and `safeParseClientEvent` give, at half the cost — every recorded position passes
 * here. Anything else (another type, an invalid fix, an id against the client rule): undefined,
 * and the message takes the whole path, which words the errors.
 */
function plainFix(value: Buffer): ParseResult | undefined {
  const fix = parsePositionBytes(value, 0, value.length);
  return fix?.ok === true && clientEventIdPattern.test(fix.event.eventId) ? fix : undefined;
}

