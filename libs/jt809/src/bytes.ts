import { decodeGbk, encodeGbk } from '@dgt/jt808';
import { Jt809DecodeError, Jt809EncodeError } from './errors.ts';

/** Big-endian reads with explicit bounds checks, so hostile lengths become typed errors. */
export function need(bytes: Uint8Array, offset: number, count: number, end: number, what: string): void {
  if (offset + count > end) {
    throw new Jt809DecodeError('truncated', `${what}: need ${count} byte(s) at offset ${offset}, have ${Math.max(0, end - offset)}`);
  }
}

export function u16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! << 8) | bytes[offset + 1]!;
}

export function u32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

/** An 8-byte UTC time (seconds since 1970). Values beyond 2^53 lose precision; the caller checks ranges. */
export function u64(bytes: Uint8Array, offset: number): number {
  return u32(bytes, offset) * 0x1_0000_0000 + u32(bytes, offset + 4);
}

export function putU16(out: Uint8Array, offset: number, v: number): void {
  out[offset] = (v >>> 8) & 0xff;
  out[offset + 1] = v & 0xff;
}

export function putU32(out: Uint8Array, offset: number, v: number): void {
  out[offset] = (v >>> 24) & 0xff;
  out[offset + 1] = (v >>> 16) & 0xff;
  out[offset + 2] = (v >>> 8) & 0xff;
  out[offset + 3] = v & 0xff;
}

export function putU64(out: Uint8Array, offset: number, v: number): void {
  putU32(out, offset, Math.floor(v / 0x1_0000_0000));
  putU32(out, offset + 4, v >>> 0);
}

/**
 * GBK text of a fixed-width field, NUL padding removed (both editions pad text fields on the right
 * with 0x00). An all-NUL field — every unused platform-alarm slot of a 2019 fix, three per fix —
 * is '' without a trip through TextDecoder.
 */
export function text(bytes: Uint8Array, offset: number, width: number): string {
  let end = offset + width;
  while (end > offset && bytes[end - 1] === 0) end--;
  return end === offset ? '' : decodeGbk(bytes, offset, end);
}

/** A fixed-width GBK field, NUL-padded; longer text is a caller mistake, never silently cut. */
export function putText(out: Uint8Array, offset: number, width: number, value: string, field: string): void {
  let bytes: Uint8Array;
  try {
    bytes = encodeGbk(value);
  } catch (e) {
    throw new Jt809EncodeError(`${field}: ${(e as Error).message}`);
  }
  if (bytes.length > width) throw new Jt809EncodeError(`${field} "${value}" is ${bytes.length} bytes; the field holds ${width}`);
  out.set(bytes, offset);
}

export function checkInt(name: string, v: number, max: number): number {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new Jt809EncodeError(`${name} must be an integer 0–${max}, got ${v}`);
  return v;
}

// Hex for logs, tests and raw fields: the JT/T 808 codec's, one implementation for both protocols.
export { fromHex, toHex } from '@dgt/jt808';
