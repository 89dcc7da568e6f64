import { randomUUID } from 'node:crypto';
import type { EventOf } from '@dgt/events';
import { canonicalJson, safeParseClientEvent } from '@dgt/events';
import type { OutboxEntry } from './terminalStateStore.ts';

/** The key both terminal events are published under on the consignments topic. */
export const terminalEventKey = (phone: string): string => `terminal:${phone}`;

/** An event the outbox refuses to hold: it would be dead-lettered by the recorder. */
export class TerminalEventError extends Error {
  override readonly name = 'TerminalEventError';
}

function entryOf(event: EventOf<'TerminalRegistered'> | EventOf<'TerminalRegistrationReset'>): OutboxEntry {
  // Validated here, where the caller can still refuse, rather than found invalid by the recorder.
  const parsed = safeParseClientEvent(event);
  if (!parsed.ok) throw new TerminalEventError(`${event.type} for terminal ${event.data.phone} is invalid: ${parsed.error.message}`);
  return { eventId: event.eventId, type: event.type, key: terminalEventKey(event.data.phone), json: canonicalJson(event) };
}

/** `TerminalRegistered`: the body matched the record. Never carries the auth code or its hash. */
export function terminalRegisteredEntry(
  data: EventOf<'TerminalRegistered'>['data'],
  registrationId: string,
  atIso: string,
): OutboxEntry {
  return entryOf({ eventId: `jt808:${data.phone}:registered:${registrationId}`, type: 'TerminalRegistered', occurredAt: atIso, data, meta: { source: 'jt808-gateway' } });
}

/** `TerminalRegistrationReset`: an operator cleared the registration (`dgt terminals reset`). */
export function terminalResetEntry(data: EventOf<'TerminalRegistrationReset'>['data'], atIso: string): OutboxEntry {
  return entryOf({ eventId: `jt808:${data.phone}:reset:${randomUUID()}`, type: 'TerminalRegistrationReset', occurredAt: atIso, data, meta: { source: 'dgt terminals reset' } });
}
