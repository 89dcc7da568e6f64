import { decodeGbk } from '@dgt/jt808';

/*
 * Plates arrive in every 0x1200 (21 GBK bytes) and a platform repeats the same few thousand all
 * day; GBK decoding is the most expensive step of a fix after the CRC. The text of recently seen
 * byte patterns is remembered (bounded; cleared when full): the answer never differs from
 * decoding, it only costs a hash and a compare.
 */
const PLATE_BYTES = 21;
const MAX_ENTRIES = 16_384;
const cache = new Map<number, { bytes: Uint8Array; text: string }>();

function same(a: Uint8Array, b: Uint8Array, at: number): boolean {
  for (let i = 0; i < PLATE_BYTES; i++) if (a[i] !== b[at + i]) return false;
  return true;
}

/** The plate text of the 21-byte field at bytes[at]. */
export function plateText(bytes: Uint8Array, at: number): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < PLATE_BYTES; i++) h = Math.imul(h ^ bytes[at + i]!, 0x01000193);
  const hit = cache.get(h);
  if (hit !== undefined && same(hit.bytes, bytes, at)) return hit.text;
  const text = decodeGbk(bytes, at, at + PLATE_BYTES);
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(h, { bytes: bytes.slice(at, at + PLATE_BYTES), text });
  return text;
}
