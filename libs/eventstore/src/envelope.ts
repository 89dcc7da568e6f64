import { canonicalJson, epochMs } from '@dgt/events';
import { EventStoreError } from './errors.ts';
import { assertExpectedRevision } from './expectedRevision.ts';
import type { EventEnvelope, ExpectedRevision, StreamBatch } from './port.ts';

/** An envelope checked and serialised once, ready to be recorded by any adapter. */
export interface PreparedEvent {
  eventId: string;
  type: string;
  occurredMs: number;
  /** Canonical JSON of the whole envelope: what is stored and what reads parse. */
  json: string;
}

const offsetSuffix = /(?:Z|[+-]\d{2}:\d{2})$/i;
const MAX_EVENT_ID = 512;
const MAX_TYPE = 256;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function invalid(index: number, message: string): EventStoreError {
  return new EventStoreError('INVALID_EVENT', `event #${index}: ${message}`);
}

/**
 * Parses an ISO-8601 instant with an explicit offset to epoch ms; NaN if it is not one. Through
 * `epochMs` (what `Date.parse` answers, the common shapes parsed by hand): every appended event
 * passes here, and `Date.parse` was a few per cent of the recorder's event loop.
 */
export function instantMs(iso: string): number {
  return typeof iso === 'string' && offsetSuffix.test(iso) ? epochMs(iso) : Number.NaN;
}

/**
 * Checks the envelope shape (not the catalog: any type is accepted) and serialises it
 * canonically. Throws `INVALID_EVENT` naming the offending event.
 */
export function prepareEvent(e: EventEnvelope, index: number): PreparedEvent {
  if (!isPlainObject(e)) throw invalid(index, 'must be an object');
  const { eventId, type, occurredAt, data, meta, schemaVersion } = e;
  if (typeof eventId !== 'string' || eventId.length === 0 || eventId.length > MAX_EVENT_ID)
    throw invalid(index, `eventId must be a non-empty string of at most ${MAX_EVENT_ID} characters`);
  if (typeof type !== 'string' || type.length === 0 || type.length > MAX_TYPE || type.startsWith('$'))
    throw invalid(index, `type must be a non-empty string not starting with "$" (${eventId})`);
  const occurredMs = instantMs(occurredAt);
  if (!Number.isFinite(occurredMs)) throw invalid(index, `occurredAt must be an ISO-8601 date-time with offset (${eventId})`);
  if (!isPlainObject(data)) throw invalid(index, `data must be an object (${eventId})`);
  if (meta !== undefined && !isPlainObject(meta)) throw invalid(index, `meta must be an object (${eventId})`);
  if (schemaVersion !== undefined && !(Number.isSafeInteger(schemaVersion) && schemaVersion >= 1))
    throw invalid(index, `schemaVersion must be a positive integer (${eventId})`);
  let json: string;
  try {
    json = canonicalJson(e);
  } catch (err) {
    throw new EventStoreError('INVALID_EVENT', `event #${index}: not serialisable as JSON (${eventId}): ${(err as Error).message}`, { cause: err });
  }
  return { eventId, type, occurredMs, json };
}

export function prepareBatch(events: readonly EventEnvelope[]): PreparedEvent[] {
  if (!Array.isArray(events)) throw new EventStoreError('INVALID_ARGUMENT', 'events must be an array');
  return events.map(prepareEvent);
}

const MAX_STREAM_ID = 512;

export function assertStreamId(streamId: string): void {
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.length > MAX_STREAM_ID || streamId.startsWith('$'))
    throw new EventStoreError('INVALID_ARGUMENT', `stream id must be a non-empty string of at most ${MAX_STREAM_ID} characters not starting with "$", got ${JSON.stringify(streamId)}`);
}

/** Validates and prepares the batches of an `appendMany` call: each stream once, every envelope well-formed. */
export function prepareStreamBatches(batches: readonly StreamBatch[]): { streamId: string; events: PreparedEvent[]; expected: ExpectedRevision }[] {
  if (!Array.isArray(batches)) throw new EventStoreError('INVALID_ARGUMENT', 'batches must be an array');
  const seen = new Set<string>();
  return batches.map((b) => {
    assertStreamId(b.streamId);
    if (seen.has(b.streamId)) throw new EventStoreError('INVALID_ARGUMENT', `stream ${b.streamId} appears more than once in one appendMany call`);
    seen.add(b.streamId);
    const expected = b.expectedRevision ?? 'any';
    assertExpectedRevision(expected);
    return { streamId: b.streamId, events: prepareBatch(b.events), expected };
  });
}
