import { Jt809DecodeError } from './errors.ts';

export const HEAD_FLAG = 0x5b;
export const TAIL_FLAG = 0x5d;
const ESC_HEAD = 0x5a; // 0x5A 0x01 → 0x5B, 0x5A 0x02 → 0x5A
const ESC_TAIL = 0x5e; // 0x5E 0x01 → 0x5D, 0x5E 0x02 → 0x5E

/**
 * Undo the escaping of the bytes between the flags. Without escape bytes (the common case) the
 * result is a view on the input, not a copy. A flag byte inside, an escape byte followed by
 * anything but 0x01/0x02, or a frame ending in an escape byte is 'bad-escape'.
 */
export function unescapeFrame(bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
  let i = start;
  for (; i < end; i++) {
    const b = bytes[i]!;
    if (b === ESC_HEAD || b === ESC_TAIL || b === HEAD_FLAG || b === TAIL_FLAG) break;
  }
  if (i === end) return bytes.subarray(start, end);
  const out = new Uint8Array(end - start);
  out.set(bytes.subarray(start, i), 0);
  let n = i - start;
  for (; i < end; i++) {
    const b = bytes[i]!;
    if (b === HEAD_FLAG || b === TAIL_FLAG) throw new Jt809DecodeError('bad-escape', `unescaped flag 0x${b.toString(16)} at offset ${i}`);
    if (b !== ESC_HEAD && b !== ESC_TAIL) {
      out[n++] = b;
      continue;
    }
    const next = i + 1 < end ? bytes[i + 1] : undefined;
    if (next === 0x01) out[n++] = b === ESC_HEAD ? HEAD_FLAG : TAIL_FLAG;
    else if (next === 0x02) out[n++] = b;
    else throw new Jt809DecodeError('bad-escape', `0x${b.toString(16)} followed by ${next === undefined ? 'end of frame' : `0x${next.toString(16)}`} at offset ${i}`);
    i++;
  }
  return out.subarray(0, n);
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
