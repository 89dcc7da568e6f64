import type { OutgoingMessage } from '@dgt/bus';
import type { PositionEvent } from './positionEvent.ts';
import { positionJson } from './positionJson.ts';

/**
 * The bus message for a position, exactly as the HTTP gateway publishes it: keyed by vehicle,
 * canonical JSON bytes, type / id / ingestion-time headers.
 */
export function positionMessage(event: PositionEvent, ingestedAtIso: string): OutgoingMessage {
  return {
    key: event.data.vehicleId,
    value: Buffer.from(positionJson(event), 'utf8'),
    headers: { 'dgt-event-type': event.type, 'dgt-event-id': event.eventId, 'dgt-ingested-at': ingestedAtIso },
  };
}
