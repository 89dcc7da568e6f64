// Terminal and platform strings are GBK (plates, auth codes). GB18030 decodes GBK and is in every
// full-ICU Node build; Node has no GBK encoder, so encoding uses the inverse of that same decoder
// (below), which keeps encode → decode an identity by construction.
type Decoder = InstanceType<typeof TextDecoder>;

let gbk: Decoder | undefined;
let latin1: Decoder | undefined;

function gbkDecoder(): Decoder {
  if (gbk === undefined) {
    try {
      gbk = new TextDecoder('gb18030');
    } catch {
      // small-icu builds lack GB18030: keep the bytes readable rather than fail the frame
      latin1 ??= new TextDecoder('latin1');
      gbk = latin1;
    }
  }
  return gbk;
}

/** GBK text of bytes[start, end), trailing NUL padding removed. */
export function decodeGbk(bytes: Uint8Array, start: number, end: number): string {
  let e = end;
  while (e > start && bytes[e - 1] === 0) e--;
  return gbkDecoder().decode(bytes.subarray(start, e));
}

let gbkCodes: Map<string, number> | undefined;

/** Every two-byte GBK code decoded once: character → code (the first code wins for duplicates). */
function gbkCodeTable(): Map<string, number> {
  if (gbkCodes !== undefined) return gbkCodes;
  const codes: number[] = [];
  for (let hi = 0x81; hi <= 0xfe; hi++) for (let lo = 0x40; lo <= 0xfe; lo++) if (lo !== 0x7f) codes.push((hi << 8) | lo);
  const bytes = new Uint8Array(codes.length * 2);
  codes.forEach((c, i) => {
    bytes[2 * i] = c >> 8;
    bytes[2 * i + 1] = c & 0xff;
  });
  const chars = [...gbkDecoder().decode(bytes)];
  const table = new Map<string, number>();
  if (chars.length === codes.length) chars.forEach((ch, i) => table.has(ch) || table.set(ch, codes[i]!));
  gbkCodes = table;
  return table;
}

/**
 * GBK bytes of a text (plates need 浙 and ·). ASCII passes through; anything else must have a
 * two-byte GBK code, or a RangeError names the character. Used by simulators and encoders; the
 * table (≈ 24,000 entries) is built on first use.
 */
export function encodeGbk(text: string): Uint8Array {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }
  const table = gbkCodeTable();
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else {
      const code = table.get(ch);
      if (code === undefined) throw new RangeError(`"${ch}" has no GBK code`);
      out.push(code >> 8, code & 0xff);
    }
  }
  return Uint8Array.from(out);
}
