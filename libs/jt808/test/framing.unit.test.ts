import { describe, expect, it } from 'vitest';
import { decodeBcd, encodeBcd, escapeFrame, fromHex, Jt808DecodeError, Jt808EncodeError, toHex, unescapeFrame, xorChecksum } from '../src/index.ts';

describe('escape / unescape', () => {
  it('escapes 0x7E as 7D 02 and 0x7D as 7D 01 and adds flags', () => {
    expect(toHex(escapeFrame(fromHex('307e087d55')))).toBe('7e307d02087d01557e');
  });

  it('unescape inverts escape for every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const framed = escapeFrame(all);
    expect(Array.from(unescapeFrame(framed, 1, framed.length - 1))).toEqual(Array.from(all));
  });

  it('returns a view, not a copy, when no escape byte is present', () => {
    const bytes = fromHex('7e0102037e');
    const out = unescapeFrame(bytes, 1, 4);
    expect(out.buffer).toBe(bytes.buffer);
    expect(toHex(out)).toBe('010203');
  });

  it('rejects 0x7D followed by anything but 01/02, a trailing 0x7D, and a bare 0x7E', () => {
    for (const hex of ['017d03', '017d', '017e02']) {
      const bytes = fromHex(hex);
      expect(() => unescapeFrame(bytes)).toThrow(Jt808DecodeError);
      try {
        unescapeFrame(bytes);
      } catch (e) {
        expect((e as Jt808DecodeError).kind).toBe('bad-escape');
      }
    }
  });
});

describe('checksum', () => {
  it('is the XOR of the given range', () => {
    expect(xorChecksum(fromHex('0102040810'), 0, 5)).toBe(0x1f);
    expect(xorChecksum(fromHex('ff0102'), 1, 3)).toBe(0x03);
    expect(xorChecksum(new Uint8Array(0), 0, 0)).toBe(0);
  });
});

describe('BCD', () => {
  it('decodes two digits per byte, keeping leading zeros', () => {
    expect(decodeBcd(fromHex('013912344323'), 0, 6)).toBe('013912344323');
  });

  it('rejects a nibble above 9 as bad-bcd', () => {
    expect(() => decodeBcd(fromHex('1a'), 0, 1)).toThrow(expect.objectContaining({ kind: 'bad-bcd' }));
    expect(() => decodeBcd(fromHex('a1'), 0, 1)).toThrow(expect.objectContaining({ kind: 'bad-bcd' }));
  });

  it('rejects reading past the end as truncated', () => {
    expect(() => decodeBcd(fromHex('12'), 0, 2)).toThrow(expect.objectContaining({ kind: 'truncated' }));
  });

  it('encodes with left zero padding and refuses non-digits or overflow', () => {
    expect(toHex(encodeBcd('13912344323', 6))).toBe('013912344323');
    expect(() => encodeBcd('12a', 6)).toThrow(Jt808EncodeError);
    expect(() => encodeBcd('1234567890123', 6)).toThrow(Jt808EncodeError);
  });
});
