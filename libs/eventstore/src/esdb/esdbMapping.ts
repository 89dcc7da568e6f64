import type { AllStreamResolvedEvent, ResolvedEvent } from '@eventstore/db-client';
import { jsonEvent } from '@eventstore/db-client';
import type { PreparedEvent } from '../envelope.ts';
import { EventStoreError } from '../errors.ts';
import type { EventEnvelope, RecordedEvent } from '../port.ts';
import { eventUuid } from './deterministicUuid.ts';
import { encodePosition } from './esdbPosition.ts';

/**
 * How our envelope sits in an EventStoreDB event: `type` and `data` as they are (so ESDB
 * projections and the UI can read them), the rest of the envelope plus `recordedAt` (from our
 * clock, like the other adapters) in the metadata under `dgt`.
 */
interface DgtMetadata {
  dgt: {
    eventId: string;
    occurredAt: string;
    schemaVersion?: number;
    meta?: Record<string, unknown>;
    recordedAt: string;
  };
}

export function toEsdbEvent(prepared: PreparedEvent, recordedAt: string) {
  // The canonical JSON is the source, so what ESDB stores is exactly what was validated.
  const envelope = JSON.parse(prepared.json) as EventEnvelope;
  const metadata: DgtMetadata = {
    dgt: {
      eventId: envelope.eventId,
      occurredAt: envelope.occurredAt,
      ...(envelope.schemaVersion !== undefined && { schemaVersion: envelope.schemaVersion }),
      ...(envelope.meta !== undefined && { meta: { ...envelope.meta } }),
      recordedAt,
    },
  };
  return jsonEvent({ id: eventUuid(prepared.eventId), type: prepared.type, data: { ...envelope.data }, metadata: { ...metadata } });
}

function isDgtMetadata(m: unknown): m is DgtMetadata {
  if (m === null || typeof m !== 'object' || !('dgt' in m)) return false;
  const dgt = (m as { dgt: unknown }).dgt;
  return dgt !== null && typeof dgt === 'object' && typeof (dgt as { eventId?: unknown }).eventId === 'string';
}

/** Our recorded event, or `undefined` for system events and events not written by this adapter. */
export function fromEsdbEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const e = resolved.event;
  if (!e || !e.isJson || e.type.startsWith('$') || e.streamId.startsWith('$')) return undefined;
  if (!isDgtMetadata(e.metadata)) return undefined;
  if (!e.position) throw new EventStoreError('STORE_UNREADABLE', `EventStoreDB returned ${e.streamId}@${e.revision} without its log position (server older than 22.6?)`);
  const { eventId, occurredAt, schemaVersion, meta, recordedAt } = e.metadata.dgt;
  const event: EventEnvelope = {
    eventId,
    type: e.type,
    ...(schemaVersion !== undefined && { schemaVersion }),
    occurredAt,
    data: e.data as Record<string, unknown>,
    ...(meta !== undefined && { meta }),
  };
  return { event, streamId: e.streamId, revision: Number(e.revision), position: encodePosition(e.position), recordedAt };
}
