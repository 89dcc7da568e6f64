import type { OutgoingHeaders } from '../port.ts';

/*
 * Headers as one BLOB column: per header a u16 name length, the UTF-8 name, a u32 value length and
 * the value bytes. Values are arbitrary bytes (Kafka has no header types), so JSON would need
 * base64; this is exact and copies each value once.
 */

export function encodeHeaders(headers: OutgoingHeaders | undefined): Buffer | null {
  if (headers === undefined) return null;
  const entries = Object.entries(headers);
  if (entries.length === 0) return null;
  let size = 0;
  for (const [name, value] of entries) size += 2 + Buffer.byteLength(name, 'utf8') + 4 + byteLength(value);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const [name, value] of entries) {
    at = out.writeUInt16BE(Buffer.byteLength(name, 'utf8'), at);
    at += out.write(name, at, 'utf8');
    at = out.writeUInt32BE(byteLength(value), at);
    at += typeof value === 'string' ? out.write(value, at, 'utf8') : value.copy(out, at);
  }
  return out;
}

/** Views into `blob`: each read returns a fresh blob, so a handler mutating one changes no redelivery. */
export function decodeHeaders(blob: Buffer | null): Record<string, Buffer> {
  const headers: Record<string, Buffer> = {};
  if (blob === null) return headers;
  let at = 0;
  while (at < blob.length) {
    const nameLength = blob.readUInt16BE(at);
    at += 2;
    const name = blob.toString('utf8', at, at + nameLength);
    at += nameLength;
    const valueLength = blob.readUInt32BE(at);
    at += 4;
    headers[name] = blob.subarray(at, at + valueLength);
    at += valueLength;
  }
  return headers;
}

function byteLength(value: string | Buffer): number {
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
}
