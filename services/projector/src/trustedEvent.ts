import { type DgtEvent, eventCatalog, isEventType, safeParseEvent } from '@dgt/events';
import type { EventEnvelope } from '@dgt/eventstore';
import { ProjectorError } from './errors.ts';

export type TrustedResult = { ok: true; event: DgtEvent } | { ok: false; reason: 'unknown-type' | 'unreadable' };

/**
 * Events read back from the store were validated by the recorder before they were appended, so
 * the current schema version is taken as is (no zod per event on the hot path). Older versions
 * go through the full parse, which upcasts them; a newer version stops the projector, since an
 * old build cannot know what the new fields mean. Types outside the catalog (audit records, …)
 * are not the projector's business.
 */
export function trustedEvent(envelope: EventEnvelope): TrustedResult {
  const type = envelope.type;
  if (!isEventType(type)) return { ok: false, reason: 'unknown-type' };
  const current = eventCatalog[type].version;
  const version = envelope.schemaVersion ?? 1;
  if (version === current) return { ok: true, event: envelope as DgtEvent };
  if (version > current) {
    throw new ProjectorError('EVENT_TOO_NEW', `event ${envelope.eventId} is ${type} v${version}; this build reads up to v${current}`);
  }
  const parsed = safeParseEvent(envelope);
  return parsed.ok ? { ok: true, event: parsed.event } : { ok: false, reason: 'unreadable' };
}
