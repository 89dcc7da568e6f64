import type { OutgoingMessage } from '@dgt/bus';
import type { DgtEvent } from '@dgt/events';
import { canonicalJson } from '@dgt/events';
import type { PositionEvent } from './positionEvent.ts';
import { positionJson } from './positionJson.ts';

/**
 * The bus message for an event, exactly as the other gateways publish it: canonical JSON bytes
 * and type / id / ingestion-time headers. Positions are keyed by vehicle (per-vehicle order on
 * the positions topic); a platform's alarms and mismatches by `platform:<id>`.
 */
export function eventMessage(event: DgtEvent, key: string, ingestedAtIso: string): OutgoingMessage {
  return {
    key,
    value: Buffer.from(canonicalJson(event), 'utf8'),
    headers: { 'dgt-event-type': event.type, 'dgt-event-id': event.eventId, 'dgt-ingested-at': ingestedAtIso },
  };
}

export const platformKey = (platformId: string): string => `platform:${platformId}`;

/** A position's message, its JSON written directly (see positionJson). */
export function positionMessage(event: PositionEvent, ingestedAtIso: string): OutgoingMessage {
  return {
    key: event.data.vehicleId,
    value: Buffer.from(positionJson(event), 'utf8'),
    headers: { 'dgt-event-type': event.type, 'dgt-event-id': event.eventId, 'dgt-ingested-at': ingestedAtIso },
  };
}
