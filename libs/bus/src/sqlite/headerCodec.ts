import type { OutgoingHeaders } from '../port.ts';

/*
 * Headers as one BLOB column: per header a u16 name length, the UTF-8 name, a u32 value length and
 * the value bytes. Values are arbitrary bytes (Kafka has no header types), so JSON would need
 * base64; this is exact and copies each value once.
 *
 * Every message carries a few headers with the same names (`dgt-event-type`, `dgt-event-id`,
 * `dgt-ingested-at`) and ASCII values: those are written and read byte by byte in JavaScript, and
 * names are remembered, instead of a native call per name and value (Buffer.byteLength, write,
 * toString) — which made encoding and decoding ~3 and ~1.8 µs per message, a tenth of the embedded
 * stack's event loop at 20,000 messages/s. Anything else takes the native calls as before.
 */

/** Names remembered, each with its UTF-8 bytes; a bounded set (names come from code, not clients). */
const MAX_NAMES = 64;
const names: { readonly name: string; readonly bytes: Uint8Array }[] = [];
const nameBytesByName = new Map<string, Uint8Array>();

function remember(name: string, bytes: Uint8Array): void {
  if (names.length >= MAX_NAMES) return;
  names.push({ name, bytes });
  nameBytesByName.set(name, bytes);
}

const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * The UTF-8 bytes of a header name, remembered when the set has room and the name is what its
 * bytes decode to (a lone surrogate is written as U+FFFD, and read back as that).
 */
function nameBytes(name: string): Uint8Array {
  const known = nameBytesByName.get(name);
  if (known !== undefined) return known;
  const bytes = Buffer.from(name, 'utf8');
  if (wellFormed(name)) remember(name, bytes);
  return bytes;
}

/** The length of `s` if every unit is ASCII (its UTF-8 bytes are its units), -1 otherwise. */
function asciiLength(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return -1;
  return s.length;
}

export function encodeHeaders(headers: OutgoingHeaders | undefined): Buffer | null {
  if (headers === undefined) return null;
  const keys = Object.keys(headers);
  if (keys.length === 0) return null;
  let size = 0;
  for (let k = 0; k < keys.length; k++) {
    const name = keys[k] as string;
    const value = headers[name] as string | Buffer;
    const ascii = typeof value === 'string' ? asciiLength(value) : -1;
    size += 2 + nameBytes(name).length + 4 + (ascii >= 0 ? ascii : byteLength(value));
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let k = 0; k < keys.length; k++) {
    const name = keys[k] as string;
    const value = headers[name] as string | Buffer;
    const n = nameBytes(name);
    out[at] = n.length >>> 8;
    out[at + 1] = n.length & 0xff;
    at += 2;
    for (let i = 0; i < n.length; i++) out[at + i] = n[i] as number;
    at += n.length;
    const ascii = typeof value === 'string' ? asciiLength(value) : -1;
    const length = ascii >= 0 ? ascii : byteLength(value);
    out[at] = length >>> 24;
    out[at + 1] = (length >>> 16) & 0xff;
    out[at + 2] = (length >>> 8) & 0xff;
    out[at + 3] = length & 0xff;
    at += 4;
    if (ascii >= 0) {
      const s = value as string;
      for (let i = 0; i < ascii; i++) out[at + i] = s.charCodeAt(i);
      at += ascii;
    } else {
      at += typeof value === 'string' ? out.write(value, at, 'utf8') : value.copy(out, at);
    }
  }
  return out;
}

/** The remembered name whose UTF-8 bytes are `blob[at, at + length)`, if any. */
function knownName(blob: Buffer, at: number, length: number): string | undefined {
  for (let k = 0; k < names.length; k++) {
    const { name, bytes } = names[k] as { name: string; bytes: Uint8Array };
    if (bytes.length !== length) continue;
    let i = 0;
    while (i < length && blob[at + i] === bytes[i]) i++;
    if (i === length) return name;
  }
  return undefined;
}

/** Views into `blob`: each read returns a fresh blob, so a handler mutating one changes no redelivery. */
export function decodeHeaders(blob: Buffer | null): Record<string, Buffer> {
  const headers: Record<string, Buffer> = {};
  if (blob === null) return headers;
  let at = 0;
  while (at < blob.length) {
    const nameLength = blob.readUInt16BE(at);
    at += 2;
    let name = knownName(blob, at, nameLength);
    if (name === undefined) {
      name = blob.toString('utf8', at, at + nameLength);
      // Only a name that encodes back to these very bytes (valid UTF-8) stands for them.
      const bytes = Buffer.from(name, 'utf8');
      if (bytes.equals(blob.subarray(at, at + nameLength))) remember(name, bytes);
    }
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
