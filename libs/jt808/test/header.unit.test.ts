import { describe, expect, it } from 'vitest';
import { decodeHeader, encodeHeader, fromHex, Jt808EncodeError, toHex } from '../src/index.ts';

describe('2013 header', () => {
  it('reads id, body length, phone BCD[6] and serial from 12 bytes', () => {
    const h = decodeHeader(fromHex('0102000d013912344323002a'));
    expect(h).toEqual({ messageId: 0x0102, flavour: '2013', protocolVersion: undefined, bodyLength: 13, encryption: 0, phone: '013912344323', serial: 42, subpacket: undefined, size: 12 });
  });

  it('reads the sub-package total and index when bit 13 is set', () => {
    const h = decodeHeader(fromHex('0200201001391234432300070003000200'));
    expect(h.subpacket).toEqual({ total: 3, index: 2 });
    expect(h.size).toBe(16);
    expect(h.bodyLength).toBe(16);
  });

  it('reads the encryption bits 10–12', () => {
    expect(decodeHeader(fromHex('0200040001391234432300070003')).encryption).toBe(1);
    expect(decodeHeader(fromHex('0200180001391234432300070003')).encryption).toBe(6);
  });

  it('round-trips through encodeHeader', () => {
    const bytes = encodeHeader({ messageId: 0x0200, flavour: '2013', phone: '13912344323', serial: 7, subpacket: { total: 3, index: 2 } }, 16);
    expect(toHex(bytes)).toBe('02002010013912344323000700030002');
    expect(decodeHeader(bytes)).toMatchObject({ messageId: 0x0200, flavour: '2013', phone: '013912344323', serial: 7, subpacket: { total: 3, index: 2 }, bodyLength: 16 });
  });
});

describe('2019 header', () => {
  it('reads version flag, protocol version byte and phone BCD[10] from 17 bytes', () => {
    const h = decodeHeader(fromHex('02004026010000000001391234432900ff'));
    expect(h).toEqual({ messageId: 0x0200, flavour: '2019', protocolVersion: 1, bodyLength: 38, encryption: 0, phone: '00000000013912344329', serial: 0xff, subpacket: undefined, size: 17 });
  });

  it('round-trips with sub-package fields and a custom protocol version', () => {
    const bytes = encodeHeader({ messageId: 0x0704, flavour: '2019', protocolVersion: 2, phone: '13912344329', serial: 65535, subpacket: { total: 9, index: 9 } }, 1023);
    expect(bytes.length).toBe(21);
    expect(decodeHeader(bytes)).toEqual({ messageId: 0x0704, flavour: '2019', protocolVersion: 2, bodyLength: 1023, encryption: 0, phone: '00000000013912344329', serial: 65535, subpacket: { total: 9, index: 9 }, size: 21 });
  });
});

describe('header errors', () => {
  it('a header shorter than its flavour needs is truncated', () => {
    expect(() => decodeHeader(fromHex('0200402601000000'))).toThrow(expect.objectContaining({ kind: 'truncated' }));
    expect(() => decodeHeader(fromHex('02'))).toThrow(expect.objectContaining({ kind: 'truncated' }));
  });

  it('a phone with non-BCD nibbles is bad-bcd', () => {
    expect(() => decodeHeader(fromHex('020000000139123443ff0007'))).toThrow(expect.objectContaining({ kind: 'bad-bcd' }));
  });

  it('sub-package index 0, total 0 or index > total is bad-value', () => {
    for (const tail of ['00030000', '00000000', '00020003']) {
      expect(() => decodeHeader(fromHex(`02002010013912344323000${'7'}${tail}`))).toThrow(expect.objectContaining({ kind: 'bad-value' }));
    }
  });

  it('encodeHeader refuses an over-long body and out-of-range words', () => {
    expect(() => encodeHeader({ messageId: 0x0200, flavour: '2013', phone: '1', serial: 0 }, 1024)).toThrow(Jt808EncodeError);
    expect(() => encodeHeader({ messageId: 0x10000, flavour: '2013', phone: '1', serial: 0 }, 0)).toThrow(Jt808EncodeError);
    expect(() => encodeHeader({ messageId: 1, flavour: '2013', phone: '1', serial: -1 }, 0)).toThrow(Jt808EncodeError);
  });
});
