import { Jt808DecodeError, Jt808EncodeError } from './errors.ts';

// Two-digit strings for every valid packed-BCD byte; undefined marks a nibble above 9.
const PAIRS: (string | undefined)[] = Array.from({ length: 256 }, (_, b) => {
  const hi = b >> 4;
  const lo = b & 0x0f;
  return hi <= 9 && lo <= 9 ? `${hi}${lo}` : undefined;
});

/** Packed BCD bytes[offset, offset+length) as a digit string (2 digits per byte). */
export function decodeBcd(bytes: Uint8Array, offset: number, length: number): string {
  if (offset + length > bytes.length) throw new Jt808DecodeError('truncated', `BCD[${length}] at offset ${offset} runs past the end`);
  let s = '';
  for (let i = offset; i < offset + length; i++) {
    const b = bytes[i]!;
    const pair = PAIRS[b];
    if (pair === undefined) throw new Jt808DecodeError('bad-bcd', `byte 0x${b.toString(16).padStart(2, '0')} at offset ${i} is not BCD`);
    s += pair;
  }
  return s;
}

/** Digits left-padded with zeros to exactly `length` bytes of packed BCD. */
export function encodeBcd(digits: string, length: number): Uint8Array {
  if (!/^[0-9]*$/.test(digits)) throw new Jt808EncodeError(`BCD value must be digits only, got "${digits}"`);
  if (digits.length > length * 2) throw new Jt808EncodeError(`"${digits}" does not fit in BCD[${length}]`);
  const padded = digits.padStart(length * 2, '0');
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (padded.charCodeAt(2 * i) - 48) * 16 + (padded.charCodeAt(2 * i + 1) - 48);
  return out;
}
