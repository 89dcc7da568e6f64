/*
 * CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no input or output reflection, no
 * final XOR (check value 0x29B1 for "123456789"). Computed over header + body as they are on
 * the wire after unescaping (an encrypted body is checked encrypted), i.e. every byte between the
 * 0x5B flag and the CRC itself. Proven against published frames in test/vectors (SmallChi/JT809,
 * SmallChi/JT809DotNetty, ch0ice/jt809-tcp-server); tucke/java-jtt809-2011 computes the same value
 * with a byte-swap formulation.
 */
const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let j = 0; j < 8; j++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

/** A table for a byte followed by one more zero byte than `t`'s: T1, T2, T3 of slicing-by-4. */
function oneByteLater(t: Uint16Array): Uint16Array {
  const out = new Uint16Array(256);
  for (let i = 0; i < 256; i++) out[i] = ((t[i]! << 8) & 0xffff) ^ TABLE[t[i]! >>> 8]!;
  return out;
}
const T1 = oneByteLater(TABLE);
const T2 = oneByteLater(T1);
const T3 = oneByteLater(T2);

/**
 * CRC-16/CCITT-FALSE of bytes[start, end). Four bytes per step ("slicing-by-4": the register's two
 * bytes and the next two each looked up in a table shifted by the bytes that follow them), three
 * times faster than a byte at a time; the CRC is a fifth of decoding a frame otherwise.
 */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffff;
  let i = start;
  for (; i + 3 < end; i += 4) {
    const x = c ^ ((bytes[i]! << 8) | bytes[i + 1]!);
    c = T3[x >>> 8]! ^ T2[x & 0xff]! ^ T1[bytes[i + 2]!]! ^ TABLE[bytes[i + 3]!]!;
  }
  for (; i < end; i++) c = ((c << 8) & 0xffff) ^ TABLE[((c >>> 8) ^ bytes[i]!) & 0xff]!;
  return c;
}
