import { describe, expect, it } from 'vitest';
import { decodeFrame, decodeHeader, encodeFrame, encodeHeader, fromHex, HEADER_SIZE, Jt809EncodeError, peekCentreId, toHex, utcSecondsIso } from '../src/index.ts';
import { decodeError, frameAround } from './support/frames.ts';
import { ch0ice, smallChi } from './vectors/vectors.ts';

describe('the 2011 header', () => {
  it('is 22 bytes: length, serial, message id, centre id, version, encrypt flag, encrypt key, in that order, big-endian', () => {
    const bytes = encodeHeader({ edition: '2011', serial: 0x01020304, messageId: 0x1005, centreId: 0x0a0b0c0d, version: [1, 2, 15] }, 0, true, 0x11223344);
    expect(toHex(bytes)).toBe('0000001a' + '01020304' + '1005' + '0a0b0c0d' + '01020f' + '01' + '11223344');
    expect(HEADER_SIZE['2011']).toBe(22);
    expect(decodeHeader(bytes, '2011', bytes.length)).toEqual({ edition: '2011', length: 26, serial: 0x01020304, messageId: 0x1005, centreId: 0x0a0b0c0d, version: '1.2.15', encrypted: true, encryptKey: 0x11223344, timeSeconds: undefined, size: 22 });
  });

  it('defaults to version 1.0.0, the standard\'s first edition number', () => {
    expect(toHex(encodeHeader({ edition: '2011', serial: 0, messageId: 0x1005, centreId: 0 }, 0, false, 0)).slice(28, 34)).toBe('010000');
  });
});

describe('the 2019 header', () => {
  it('adds the sender\'s UTC time as 8 bytes after the encrypt key: 30 bytes', () => {
    // JT/T 809's own example: 2010-01-10 09:07:54 (Beijing time) is UTC 1263085674 = 0x000000004B49286A.
    const bytes = encodeHeader({ edition: '2019', serial: 1, messageId: 0x1005, centreId: 2, timeSeconds: 1263085674 }, 0, false, 0);
    expect(bytes.length).toBe(30);
    expect(toHex(bytes.subarray(22))).toBe('000000004b49286a');
    const h = decodeHeader(bytes, '2019', 30);
    expect(h).toMatchObject({ edition: '2019', length: 34, version: '1.2.15', timeSeconds: 1263085674, size: 30 });
    expect(utcSecondsIso(h.timeSeconds!)).toBe('2010-01-10T01:07:54.000Z');
  });

  it('cannot be written without the sender\'s time: the codec reads no clock', () => {
    expect(() => encodeHeader({ edition: '2019', serial: 1, messageId: 0x1005, centreId: 2 }, 0, false, 0)).toThrow(Jt809EncodeError);
  });

  it('a 2019 heartbeat round-trips with its time, serial and centre id', () => {
    const frame = encodeFrame({ edition: '2019', serial: 77, centreId: 20190708, timeSeconds: 1_700_000_000 }, { type: 'heartbeat' });
    const r = decodeFrame(frame, { edition: '2019' });
    expect(r.ok && r.value).toEqual({ header: { edition: '2019', length: 34, serial: 77, messageId: 0x1005, centreId: 20190708, version: '1.2.15', encrypted: false, encryptKey: 0, timeSeconds: 1_700_000_000, size: 30 }, message: { type: 'heartbeat' } });
  });
});

describe('editions', () => {
  it('the access code sits at the same offset in both editions, so a link is found before its edition is known', () => {
    const a = fromHex(smallChi.login2011.hex).subarray(1);
    const b = fromHex(smallChi.login2019Encrypted.hex).subarray(1);
    expect([peekCentreId(a), peekCentreId(b), peekCentreId(new Uint8Array(13))]).toEqual([20180920, 102, undefined]);
  });

  it('the version bytes do not tell the edition: published 2019 frames say 1.0.0 and 0.0.0 as well as 1.2.15', () => {
    const versions = [smallChi.registration2019, smallChi.location2019LegacyFix, smallChi.login2019Encrypted].map((v) => {
      const r = decodeFrame(fromHex(v.hex), v);
      return r.ok ? r.value.header.version : r.error.kind;
    });
    expect(versions).toEqual(['1.0.0', '1.0.0', '1.2.15']);
  });

  it('a 2011 frame read as 2019 (or the reverse) is a typed error, never a wrong message', () => {
    expect(['truncated', 'length-mismatch']).toContain(decodeError(smallChi.login2011.hex, { edition: '2019' }).kind);
    expect(decodeError(ch0ice.heartbeat2011.hex, { edition: '2019' }).kind).toBe('truncated');
    expect(['truncated', 'length-mismatch']).toContain(decodeError(smallChi.alarm2019.hex, { edition: '2011' }).kind);
  });

  it('an encrypt flag other than 0 or 1 is bad-value', () => {
    const head = encodeHeader({ edition: '2011', serial: 1, messageId: 0x1005, centreId: 2 }, 0, false, 0);
    head[17] = 2;
    expect(decodeError(frameAround(head), { edition: '2011' }).kind).toBe('bad-value');
  });

  it('out-of-range header fields are refused when encoding, never wrapped', () => {
    for (const h of [{ serial: -1 }, { serial: 2 ** 32 }, { centreId: 1.5 }, { version: [256, 0, 0] as const }]) {
      expect(() => encodeFrame({ edition: '2011', serial: 0, centreId: 0, ...h }, { type: 'heartbeat' })).toThrow(Jt809EncodeError);
    }
  });
});
