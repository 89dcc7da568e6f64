import { describe, expect, it } from 'vitest';
import { crc16, decodeFrame, encodeFrame, escapeFrame, fromHex, Jt809DecodeError, parsePacket, toHex, unescapeFrame } from '../src/index.ts';
import { decodeError, decodeVector } from './support/frames.ts';
import { dotNetty, smallChi } from './vectors/vectors.ts';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('CRC-16/CCITT-FALSE', () => {
  it('gives the catalogue check value 0x29B1 for "123456789"', () => {
    expect(crc16(ascii('123456789'))).toBe(0x29b1);
  });

  it('starts from 0xFFFF: an empty range gives 0xFFFF', () => {
    expect(crc16(new Uint8Array(0))).toBe(0xffff);
  });

  it('covers exactly bytes[start, end) so a frame can be checked in place', () => {
    const padded = ascii('xx123456789yy');
    expect(crc16(padded, 2, 11)).toBe(0x29b1);
  });

  it('equals the bit-by-bit definition for every length 0–300 and start offset 0–7 (the four-bytes-a-step loop and its tail)', () => {
    const bitwise = (b: Uint8Array, start: number, end: number): number => {
      let c = 0xffff;
      for (let i = start; i < end; i++) {
        c ^= b[i]! << 8;
        for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
      }
      return c;
    };
    const bytes = Uint8Array.from({ length: 320 }, (_, i) => (i * 167 + (i >> 3) * 29) & 0xff);
    for (let start = 0; start < 8; start++) {
      for (let n = 0; n <= 300; n++) if (crc16(bytes, start, start + n) !== bitwise(bytes, start, start + n)) throw new Error(`CRC of bytes[${start}, ${start + n}) differs`);
    }
    expect(crc16(bytes, 3, 303)).toBe(bitwise(bytes, 3, 303));
  });

  it('a published frame carries the CRC of its unescaped header and body, big-endian, before the 0x5D', () => {
    const p = parsePacket(fromHex(smallChi.login2011.hex), { edition: '2011' });
    const raw = unescapeFrame(fromHex(smallChi.login2011.hex), 1, fromHex(smallChi.login2011.hex).length - 1);
    expect(crc16(raw, 0, p.bodyEnd)).toBe((raw[p.bodyEnd]! << 8) | raw[p.bodyEnd + 1]!);
    expect(crc16(raw, 0, p.bodyEnd)).toBe(0x6a91);
  });
});

describe('escaping', () => {
  it('escapes each of the four reserved bytes as the standard lists them and leaves every other byte alone', () => {
    expect(toHex(escapeFrame(Uint8Array.of(0x5b)))).toBe('5b5a015d');
    expect(toHex(escapeFrame(Uint8Array.of(0x5a)))).toBe('5b5a025d');
    expect(toHex(escapeFrame(Uint8Array.of(0x5d)))).toBe('5b5e015d');
    expect(toHex(escapeFrame(Uint8Array.of(0x5e)))).toBe('5b5e025d');
    const others = Uint8Array.from({ length: 256 }, (_, i) => i).filter((b) => b < 0x5a || b > 0x5e || b === 0x5c);
    expect(toHex(escapeFrame(others))).toBe(`5b${toHex(others)}5d`);
  });

  it('unescaping undoes escaping for all 256 byte values, in any order', () => {
    const all = Uint8Array.from({ length: 512 }, (_, i) => (i * 37) & 0xff);
    const framed = escapeFrame(all);
    expect(framed.subarray(1, -1).some((b) => b === 0x5b || b === 0x5d)).toBe(false);
    expect(toHex(unescapeFrame(framed, 1, framed.length - 1))).toBe(toHex(all));
  });

  it('an escape byte at the very end of the content round-trips (5A 02 / 5E 02 just before the flag)', () => {
    for (const b of [0x5a, 0x5b, 0x5d, 0x5e]) {
      const framed = escapeFrame(Uint8Array.of(1, 2, b));
      expect(toHex(unescapeFrame(framed, 1, framed.length - 1))).toBe(toHex(Uint8Array.of(1, 2, b)));
    }
  });

  it('without escape bytes the unescaped frame is a view on the input, not a copy', () => {
    const bytes = fromHex('0102030405');
    const out = unescapeFrame(bytes, 1, 4);
    expect(out.buffer).toBe(bytes.buffer);
    expect(toHex(out)).toBe('020304');
  });

  it('rejects an escape byte followed by anything but 0x01/0x02, a trailing escape byte, and a bare flag inside, as bad-escape', () => {
    for (const hex of ['015a03', '5e00', '01025a', '01025e', '015b02', '015d02']) {
      expect(() => unescapeFrame(fromHex(hex))).toThrow(Jt809DecodeError);
      try {
        unescapeFrame(fromHex(hex));
      } catch (e) {
        expect((e as Jt809DecodeError).kind).toBe('bad-escape');
      }
    }
  });
});

describe('frames', () => {
  it('MSG_LENGTH counts the flags and the unescaped content: the escaped 0x5A length field of a published frame', () => {
    const v = dotNetty.location2011;
    const wire = fromHex(v.hex);
    const { header } = decodeVector(v);
    expect(header.length).toBe(0x5a);
    expect(wire.length).toBe(0x5a + 1);
  });

  it('a frame decodes with or without its 0x5B / 0x5D flags (the splitter hands over the bytes between them)', () => {
    const wire = fromHex(smallChi.login2011.hex);
    const bare = decodeFrame(wire.subarray(1, -1), { edition: '2011' });
    const flagged = decodeFrame(wire, { edition: '2011' });
    expect(bare.ok && flagged.ok && bare.value).toEqual(flagged.ok && flagged.value);
  });

  it('encodeFrame escapes header, body and CRC: a serial of 0x5B5A5D5E travels as eight bytes and comes back', () => {
    const frame = encodeFrame({ edition: '2011', serial: 0x5b5a5d5e, centreId: 0x5d5e5b5a }, { type: 'heartbeat' });
    expect(toHex(frame)).toContain('5a015a025e015e02');
    const r = decodeFrame(frame, { edition: '2011' });
    expect(r.ok && [r.value.header.serial, r.value.header.centreId, r.value.header.length]).toEqual([0x5b5a5d5e, 0x5d5e5b5a, 26]);
  });

  it('a frame with a wrong CRC is bad-crc and trusts nothing of its header', () => {
    const wire = fromHex(smallChi.login2011.hex);
    wire[wire.length - 2] = wire[wire.length - 2]! ^ 0x01;
    const e = decodeError(wire, { edition: '2011' });
    expect(e.kind).toBe('bad-crc');
    expect(e.header).toBeUndefined();
  });

  it('a frame whose body was changed after its CRC was computed is bad-crc', () => {
    const wire = fromHex(smallChi.login2011.hex);
    wire[30] = wire[30]! ^ 0x40;
    expect(decodeError(wire, { edition: '2011' }).kind).toBe('bad-crc');
  });
});

describe('decoding one frame after another', () => {
  const keys = { m1: 56_107_078, ia1: 37_382_110, ic1: 50_361_430 };
  const otherFrame = (fill: number, encrypted: boolean) =>
    encodeFrame(
      { edition: '2019', serial: fill, centreId: 1, timeSeconds: 1_700_000_000, ...(encrypted ? { keys, encryptKey: fill * 977 } : {}) },
      // Escape bytes in the body, so the frame is unescaped (and decrypted) into the decoder's own buffer.
      { type: 'vehicle-dynamic', plate: '浙J12345', plateColour: 2, data: { kind: 'other', subType: 0x1299, bytes: Uint8Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 0x5a : fill)) } },
    );

  it('what decodeFrame returned is unchanged by decoding later frames, encrypted or not (raw bodies it keeps are copies)', () => {
    for (const encrypted of [false, true]) {
      const first = decodeFrame(otherFrame(0x21, encrypted), { edition: '2019', keys });
      const before = JSON.stringify(first, (_, v: unknown) => (v instanceof Uint8Array ? toHex(v) : v));
      for (let fill = 0x30; fill < 0x40; fill++) expect(decodeFrame(otherFrame(fill, encrypted), { edition: '2019', keys }).ok).toBe(true);
      expect(JSON.stringify(first, (_, v: unknown) => (v instanceof Uint8Array ? toHex(v) : v))).toBe(before);
      expect(first.ok && first.value.message.type === 'vehicle-dynamic' && toHex(first.value.message.data.kind === 'other' ? first.value.message.data.bytes : new Uint8Array(0))).toBe(
        toHex(Uint8Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 0x5a : 0x21))),
      );
    }
  });

  it('a packet from parsePacket keeps its bytes while decodeFrame decodes other frames', () => {
    const p = parsePacket(otherFrame(0x21, true), { edition: '2019', keys });
    const before = toHex(p.bytes);
    for (let fill = 0x30; fill < 0x40; fill++) decodeFrame(otherFrame(fill, true), { edition: '2019', keys });
    expect(toHex(p.bytes)).toBe(before);
    expect(p.bytes.length).toBe(p.bodyEnd);
  });
});
