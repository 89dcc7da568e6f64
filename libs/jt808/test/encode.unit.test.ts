import { describe, expect, it } from 'vitest';
import { encodeGeneralAck, encodeRegisterAck, GeneralAckResult, Jt808EncodeError, RegisterAckResult } from '../src/index.ts';
import { decodeOk } from './support/frames.ts';

const flavours = ['2013', '2019'] as const;

describe('0x8001 general ack', () => {
  it.each(flavours)('%s: every result code decodes back with the replied serial and id', (flavour) => {
    for (const result of Object.values(GeneralAckResult)) {
      const { header, message } = decodeOk(encodeGeneralAck({ flavour, phone: '13912344323', serial: 900 }, { repliedSerial: 65535, repliedMessageId: 0x0704, result }));
      expect(header).toMatchObject({ messageId: 0x8001, flavour, serial: 900, phone: flavour === '2013' ? '013912344323' : '00000000013912344323' });
      expect(message).toEqual({ type: 'general-ack', repliedSerial: 65535, repliedMessageId: 0x0704, result });
    }
  });

  it('escapes body bytes that equal the flag or escape byte', () => {
    const frame = encodeGeneralAck({ flavour: '2013', phone: '1', serial: 0x7e7d }, { repliedSerial: 0x7d7e, repliedMessageId: 0x0200, result: 0 });
    expect(frame.subarray(1, -1).includes(0x7e)).toBe(false);
    expect(decodeOk(frame).header.serial).toBe(0x7e7d);
    expect(decodeOk(frame).message).toMatchObject({ repliedSerial: 0x7d7e });
  });

  it('refuses a result outside 0–4 and a serial outside a WORD', () => {
    const to = { flavour: '2013' as const, phone: '1', serial: 0 };
    expect(() => encodeGeneralAck(to, { repliedSerial: 0, repliedMessageId: 0, result: 5 as GeneralAckResult })).toThrow(Jt808EncodeError);
    expect(() => encodeGeneralAck(to, { repliedSerial: 70000, repliedMessageId: 0, result: 0 })).toThrow(Jt808EncodeError);
    expect(() => encodeGeneralAck({ ...to, serial: 1.5 }, { repliedSerial: 0, repliedMessageId: 0, result: 0 })).toThrow(Jt808EncodeError);
  });
});

describe('0x8100 register ack', () => {
  it.each(flavours)('%s: result 0 carries the auth code', (flavour) => {
    const { header, message } = decodeOk(encodeRegisterAck({ flavour, phone: '13912344323', serial: 3, protocolVersion: 1 }, { repliedSerial: 41, result: RegisterAckResult.ok, authCode: 'AUTH-7e7d~' }));
    expect(header).toMatchObject({ messageId: 0x8100, flavour, serial: 3 });
    expect(message).toEqual({ type: 'register-ack', repliedSerial: 41, result: 0, authCode: 'AUTH-7e7d~' });
  });

  it.each(flavours)('%s: failure results 1–4 carry no auth code', (flavour) => {
    for (const result of [1, 2, 3, 4] as const) {
      const { message } = decodeOk(encodeRegisterAck({ flavour, phone: '13912344323', serial: 3 }, { repliedSerial: 41, result }));
      expect(message).toEqual({ type: 'register-ack', repliedSerial: 41, result, authCode: undefined });
    }
  });

  it('refuses result 0 without an auth code, a code with a failure, and non-ASCII codes', () => {
    const to = { flavour: '2019' as const, phone: '1', serial: 0 };
    expect(() => encodeRegisterAck(to, { repliedSerial: 0, result: 0 })).toThrow(Jt808EncodeError);
    expect(() => encodeRegisterAck(to, { repliedSerial: 0, result: 2, authCode: 'x' })).toThrow(Jt808EncodeError);
    expect(() => encodeRegisterAck(to, { repliedSerial: 0, result: 0, authCode: '鉴权' })).toThrow(Jt808EncodeError);
  });
});
