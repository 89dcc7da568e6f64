import { Jt809DecodeError } from './errors.ts';

export const HEAD_FLAG = 0x5b;
export const TAIL_FLAG = 0x5d;
const ESC_HEAD = 0x5a; // 0x5A 0x01 → 0x5B, 0x5A 0x02 → 0x5A
const ESC_TAIL = 0x5e; // 0x5E 0x01 → 0x5D, 0x5E 0x02 → 0x5E

/** Is `b` one of 0x5A, 0x5B, 0x5D, 0x5E (an escape byte, or a flag that may not appear inside)? One range test for the common byte. */
function special(b: number): boolean {
  return ((b - ESC_HEAD) >>> 0) <= ESC_TAIL - ESC_HEAD && b !== 0x5c;
}

/** Where in bytes[start, end) unescaping has something to do: the first escape or flag byte, or `end`. */
export function firstEscape(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && !special(bytes[i]!)) i++;
  return i;
}

/**
 * Unescape bytes[start, end) into out[0…], `first` being firstEscape's answer; returns the
 * unescaped length. `out` needs end - start bytes. Throws 'bad-escape' as unescapeFrame does.
 */
export function unescapeInto(bytes: Uint8Array, start: number, first: number, end: number, out: Uint8Array): number {
  let n = 0;
  for (let i = start; i < first; i++) out[n++] = bytes[i]!;
  for (let i = first; i < end; i++) {
    const b = bytes[i]!;
    if (!special(b)) {
      out[n++] = b;
      continue;
    }
    if (b === HEAD_FLAG || b === TAIL_FLAG) throw new Jt809DecodeError('bad-escape', `unescaped flag 0x${b.toString(16)} at offset ${i}`);
    const next = i + 1 < end ? bytes[i + 1] : undefined;
    if (next === 0x01) out[n++] = b === ESC_HEAD ? HEAD_FLAG : TAIL_FLAG;
    else if (next === 0x02) out[n++] = b;
    else throw new Jt809DecodeError('bad-escape', `0x${b.toString(16)} followed by ${next === undefined ? 'end of frame' : `0x${next.toString(16)}`} at offset ${i}`);
    i++;
  }
  return n;
}

/**
 * Undo the escaping of the bytes between the flags. Without escape bytes (the common case) the
 * result is a view on the input, not a copy. A flag byte inside, an escape byte followed by
 * anything but 0x01/0x02, or a frame ending in an escape byte is 'bad-escape'.
 */
export function unescapeFrame(bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
  const first = firstEscape(bytes, start, end);
  if (first === end) return bytes.subarray(start, end);
  const out = new Uint8Array(end - start);
  return out.subarray(0, unescapeInto(bytes, start, first, end, out));
}

/** Escape header + body + CRC and wrap them in the 0x5B / 0x5D flags. */
export function escapeFrame(payload: Uint8Array): Uint8Array {
  let extra = 0;
  for (const b of payload) if (b === HEAD_FLAG || b === TAIL_FLAG || b === ESC_HEAD || b === ESC_TAIL) extra++;
  const out = new Uint8Array(payload.length + extra + 2);
  let n = 0;
  out[n++] = HEAD_FLAG;
  for (const b of payload) {
    if (b === HEAD_FLAG) {
      out[n++] = ESC_HEAD;
      out[n++] = 0x01;
    } else if (b === ESC_HEAD) {
      out[n++] = ESC_HEAD;
      out[n++] = 0x02;
    } else if (b === TAIL_FLAG) {
      out[n++] = ESC_TAIL;
      out[n++] = 0x01;
    } else if (b === ESC_TAIL) {
      out[n++] = ESC_TAIL;
      out[n++] = 0x02;
    } else out[n++] = b;
  }
  out[n] = TAIL_FLAG;
  return out;
}
