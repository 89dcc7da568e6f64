import { Jt808DecodeError } from './errors.ts';

export const FLAG = 0x7e;
export const ESC = 0x7d;

/**
 * Undo the 0x7D escaping of the bytes between the flags. When no escape byte is present
 * (the common case) the result is a view on the input, not a copy.
 */
export function unescapeFrame(bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
  const flagAt = bytes.indexOf(FLAG, start);
  if (flagAt !== -1 && flagAt < end) throw new Jt808DecodeError('bad-escape', `unescaped 0x7E at offset ${flagAt}`);
  let esc = bytes.indexOf(ESC, start);
  if (esc === -1 || esc >= end) return bytes.subarray(start, end);
  const out = new Uint8Array(end - start);
  let n = 0;
  let i = start;
  while (esc !== -1 && esc < end) {
    out.set(bytes.subarray(i, esc), n);
    n += esc - i;
    const next = esc + 1 < end ? bytes[esc + 1] : undefined;
    if (next === 0x01) out[n++] = ESC;
    else if (next === 0x02) out[n++] = FLAG;
    else throw new Jt808DecodeError('bad-escape', `0x7D followed by ${next === undefined ? 'end of frame' : `0x${next.toString(16)}`} at offset ${esc}`);
    i = esc + 2;
    esc = bytes.indexOf(ESC, i);
  }
  out.set(bytes.subarray(i, end), n);
  n += end - i;
  return out.subarray(0, n);
}

/** Escape header + body + checksum and wrap them in 0x7E flags. */
export function escapeFrame(payload: Uint8Array): Uint8Array {
  let extra = 0;
  for (const b of payload) if (b === FLAG || b === ESC) extra++;
  const out = new Uint8Array(payload.length + extra + 2);
  let n = 0;
  out[n++] = FLAG;
  for (const b of payload) {
    if (b === FLAG) {
      out[n++] = ESC;
      out[n++] = 0x02;
    } else if (b === ESC) {
      out[n++] = ESC;
      out[n++] = 0x01;
    } else out[n++] = b;
  }
  out[n] = FLAG;
  return out;
}
