import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTextMessageFrame, encodeTextMessage, fromHex, Jt808DecodeError, Jt808EncodeError, maxTextBytes, TextFlag, toHex } from '../src/index.ts';
import { decodeError, frameWith } from './support/frames.ts';

/*
 * Published 0x8300 frames from two independent implementations (provenance also in
 * test/vectors/README.md). Our encoder must reproduce them byte for byte.
 */
const SMALLCHI = 'SmallChi/JT808 src/JT808.Protocol.Test/MessageBody/JT808_0x8300Test.cs @ d47b1364a18b63227b8fe7f8519e4b421a9dd222';
const XTREAM = 'hylexus/xtream-codec debug/jt/jt-808-server-spring-boot-starter-debug-ui/src/utils/codec-utils.ts @ a76633b41d368b098ae2ce345aeea447e2e878b0';

const published = [
  {
    source: `${SMALLCHI} Test1`,
    hex: '7E8300000D012345678900000105736D616C6C63686920353138027E',
    address: { flavour: '2013', phone: '012345678900', serial: 1 },
    input: { text: 'smallchi 518', emergency: true, display: true },
    flags: 5,
    textType: undefined,
  },
  {
    source: `${SMALLCHI} Test_2019_1`,
    hex: '7E8300400E010000000001234567890000010501736D616C6C63686920353138417E',
    address: { flavour: '2019', phone: '012345678900', serial: 1, protocolVersion: 1 },
    input: { text: 'smallchi 518', emergency: true, display: true, textType: 1 },
    flags: 5,
    textType: 1,
  },
  {
    source: `${XTREAM} BuiltinMessage8300`,
    hex: '7e8300001901391234432300000148656c6c6f576f726c6420babad7d62047424b20b1e0c2ebf27e',
    address: { flavour: '2013', phone: '013912344323', serial: 0 },
    input: { text: 'HelloWorld 汉字 GBK 编码', emergency: true },
    flags: 1,
    textType: undefined,
  },
  {
    source: `${XTREAM} BuiltinMessage8300V2019`,
    hex: '7e8300401a01000000000139123443290000010148656c6c6f576f726c6420babad7d62047424b20b1e0c2ebbb7e',
    address: { flavour: '2019', phone: '13912344329', serial: 0, protocolVersion: 1 },
    input: { text: 'HelloWorld 汉字 GBK 编码', emergency: true, textType: 1 },
    flags: 1,
    textType: 1,
  },
] as const;

describe('0x8300 text message against published frames', () => {
  it.each(published)('encodes byte for byte: $source', ({ hex, address, input }) => {
    expect(toHex(encodeTextMessage(address, input))).toBe(hex.toLowerCase());
  });

  it.each(published)('decodes flags, text type and GBK text: $source', ({ hex, address, input, flags, textType }) => {
    const { header, message } = decodeTextMessageFrame(fromHex(hex));
    expect(header).toMatchObject({ messageId: 0x8300, flavour: address.flavour, serial: address.serial });
    expect(message).toMatchObject({ type: 'text-message', flags, textType, text: input.text, emergency: (flags & TextFlag.emergency) !== 0, display: (flags & TextFlag.display) !== 0, tts: false });
  });
});

describe('0x8300 flags and text types', () => {
  it('sets bit 0 emergency, bit 2 display, bit 3 TTS, bit 4 advertising screen, bit 5 CAN fault code', () => {
    const to = { flavour: '2013' as const, phone: '1', serial: 0 };
    const cases = [
      [{ emergency: true }, 0x01],
      [{ display: true }, 0x04],
      [{ tts: true }, 0x08],
      [{ advertisingScreen: true }, 0x10],
      [{ canFaultCode: true }, 0x20],
      [{ display: true, tts: true }, 0x0c],
    ] as const;
    for (const [flags, byte] of cases) {
      const { message } = decodeTextMessageFrame(encodeTextMessage(to, { text: 'x', ...flags }));
      expect(message.flags).toBe(byte);
    }
  });

  it('writes the 2019 text type after the flags, notice by default, service on request', () => {
    const to = { flavour: '2019' as const, phone: '13912344329', serial: 7 };
    expect(decodeTextMessageFrame(encodeTextMessage(to, { text: '通知' })).message.textType).toBe(1);
    expect(decodeTextMessageFrame(encodeTextMessage(to, { text: '服务', textType: 2 })).message.textType).toBe(2);
  });

  it('keeps reserved flag bits a terminal receives in the raw flags byte', () => {
    const frame = frameWith({ messageId: 0x8300, flavour: '2013', phone: '1', serial: 0 }, Uint8Array.from([0xc6, 0x41]));
    const { message } = decodeTextMessageFrame(frame);
    expect(message).toMatchObject({ flags: 0xc6, display: true, emergency: false, text: 'A' });
  });
});

describe('0x8300 round trips', () => {
  // Characters of the policy template and lot names: Han, full-width punctuation, digits, ASCII.
  const alphabet = [...'您已在非指定地点停车请驶入最近的危险货物专用停车场：，约公里台州椒江临海仙居·（）-ABCxyz 0123456789.'];
  it('any GBK text with any flags decodes to what was encoded, in both editions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 300 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('2013' as const, '2019' as const),
        fc.integer({ min: 0, max: 0xffff }),
        (chars, emergency, display, tts, flavour, serial) => {
          const text = chars.join('');
          const frame = encodeTextMessage({ flavour, phone: '13912344329', serial }, { text, emergency, display, tts });
          const { header, message } = decodeTextMessageFrame(frame);
          expect(header.serial).toBe(serial);
          expect(message).toMatchObject({ text, emergency, display, tts, textType: flavour === '2019' ? 1 : undefined });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('carries the longest text that fits: 1022 GBK bytes in 2013, 1021 in 2019', () => {
    for (const flavour of ['2013', '2019'] as const) {
      const max = maxTextBytes(flavour);
      const text = '停'.repeat(Math.floor(max / 2)) + 'a'.repeat(max % 2);
      expect(decodeTextMessageFrame(encodeTextMessage({ flavour, phone: '1', serial: 0 }, { text })).message.text).toBe(text);
    }
  });
});

describe('0x8300 refusals name the field', () => {
  const to2013 = { flavour: '2013' as const, phone: '1', serial: 0 };
  const to2019 = { flavour: '2019' as const, phone: '1', serial: 0 };
  it('refuses a text longer than the body holds, saying how long it is', () => {
    expect(() => encodeTextMessage(to2013, { text: '停'.repeat(512) })).toThrow(/text: is 1024 GBK bytes; a 2013 0x8300 body holds at most 1022/);
    expect(() => encodeTextMessage(to2019, { text: 'a'.repeat(1022) })).toThrow(/text: is 1022 GBK bytes; a 2019 0x8300 body holds at most 1021/);
  });

  it('refuses empty text, NUL, a character without a GBK code, and a text type in a 2013 body', () => {
    expect(() => encodeTextMessage(to2013, { text: '' })).toThrow(/text: must not be empty/);
    expect(() => encodeTextMessage(to2013, { text: 'a\u0000b' })).toThrow(/text: must not contain NUL/);
    expect(() => encodeTextMessage(to2013, { text: '停车😀' })).toThrow(Jt808EncodeError);
    expect(() => encodeTextMessage(to2013, { text: '停车😀' })).toThrow(/text: "😀" has no GBK code/);
    expect(() => encodeTextMessage(to2013, { text: 'x', textType: 1 })).toThrow(/textType: a 2013 0x8300 body has no text type/);
    expect(() => encodeTextMessage(to2019, { text: 'x', textType: 3 as 1 })).toThrow(/textType: must be 1 \(notice\) or 2 \(service\)/);
  });

  it('refuses to read another message id or a 2019 body without its text type', () => {
    const ack = '7e0001000501234567890004b303e8000200d37e';
    expect(() => decodeTextMessageFrame(fromHex(ack))).toThrow(/expected a 0x8300 text message, got 0x0001/);
    const short = frameWith({ messageId: 0x8300, flavour: '2019', phone: '1', serial: 0 }, Uint8Array.from([0x04]));
    expect(() => decodeTextMessageFrame(short)).toThrow(Jt808DecodeError);
    expect(() => decodeTextMessageFrame(short)).toThrow(/need 2 byte\(s\) before the text, have 1/);
  });

  it('leaves decodeFrame answering 0x8300 as an unknown message with its header (a platform never receives one)', () => {
    const error = decodeError(published[0].hex);
    expect(error.kind).toBe('unknown-message');
    expect(error.header?.messageId).toBe(0x8300);
  });
});
