import { createHash } from 'node:crypto';

/** Namespace of dgt event ids (a fixed random UUID). */
const DGT_EVENT_NAMESPACE = Buffer.from('6f1c2b7e9d4a4c5e8b3f0a1d2e3c4b5a', 'hex');

/**
 * RFC 4122 version-5 (SHA-1, name-based) UUID of our `eventId`. EventStoreDB needs UUID event
 * ids and deduplicates retries on them, so the same eventId must always give the same UUID.
 */
export function eventUuid(eventId: string): string {
  const hash = createHash('sha1').update(DGT_EVENT_NAMESPACE).update(eventId, 'utf8').digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
