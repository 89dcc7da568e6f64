import { describe, expect, it } from 'vitest';
import type { Edition } from '../src/index.ts';
import { decodeFrame, decodeFrameOrThrow, encodeFix, encodeFrame, encodeHeader, fromHex, Jt809DecodeError, jt809ErrorKinds, MessageId } from '../src/index.ts';
import { decodeError, frameAround } from './support/frames.ts';
import { dotNetty, smallChi } from './vectors/vectors.ts';

/** A checked frame with any message id and body: malformed content behind a correct CRC. */
function frameWith(edition: Edition, messageId: number, body: Uint8Array): Uint8Array {
  const head = encodeHeader({ edition, serial: 1, messageId, centreId: 42, timeSeconds: 1_700_000_000 }, body.length, false, 0);
  const content = new Uint8Array(head.length + body.length);
  content.set(head);
  content.set(body, head.length);
  return frameAround(content);
}

const fix2011 = () => encodeFix({ layout: '2011', timeMs: Date.parse('2026-01-01T00:00:00Z'), latitude: 28.7, longitude: 121.6, speedKmh: 1, direction: 0, altitudeM: 0, status: 0, alarm: 0 }, '2011');

/** 0x1200 envelope (plate, colour, sub-type, length) around `data`. */
function dynamic(subType: number, data: Uint8Array, declared = data.length): Uint8Array {
  const out = new Uint8Array(28 + data.length);
  out.set([0x41], 0);
  out[21] = 1;
  out[22] = subType >> 8;
  out[23] = subType & 0xff;
  new DataView(out.buffer).setUint32(24, declared);
  out.set(data, 28);
  return out;
}

describe('typed errors for bad input', () => {
  it('every prefix of a published frame is a typed truncated (or bad-escape) error, never an exception', () => {
    const wire = fromHex(dotNetty.location2011.hex);
    for (let n = 0; n < wire.length - 1; n++) {
      const r = decodeFrame(wire.subarray(0, n), { edition: '2011' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(['truncated', 'bad-escape', 'length-mismatch', 'bad-crc']).toContain(r.error.kind);
    }
  });

  it('MSG_LENGTH larger than the frame is truncated, smaller is length-mismatch', () => {
    const content = fromHex(smallChi.login2011.hex).slice(1, -3);
    content[3] = 0x49;
    expect(decodeError(frameAround(content), { edition: '2011' }).kind).toBe('truncated');
    content[3] = 0x47;
    expect(decodeError(frameAround(content), { edition: '2011' }).kind).toBe('length-mismatch');
  });

  it('a checked frame with a message id this codec does not decode is unknown-message and keeps the header', () => {
    for (const edition of ['2011', '2019'] as const) {
      const e = decodeError(frameWith(edition, 0x1300, Uint8Array.of(1, 2, 3)), { edition });
      expect(e.kind).toBe('unknown-message');
      expect(e.header).toMatchObject({ edition, messageId: 0x1300, centreId: 42, serial: 1 });
    }
  });

  it('a bad escape inside an otherwise good frame is bad-escape', () => {
    const hex = smallChi.login2011.hex;
    const broken = `${hex.slice(0, 30)}5a03${hex.slice(34)}`;
    expect(decodeError(broken, { edition: '2011' }).kind).toBe('bad-escape');
  });

  it('a body shorter than its message needs is truncated, longer is length-mismatch, and both keep the header', () => {
    const cases: [number, number][] = [
      [MessageId.loginRequest, 46],
      [MessageId.loginResponse, 5],
      [MessageId.downLoginRequest, 4],
      [MessageId.downLoginResponse, 1],
      [MessageId.mainLinkBroken, 1],
      [MessageId.closeLink, 1],
      [MessageId.heartbeat, 0],
    ];
    for (const [id, size] of cases) {
      if (size > 0) {
        const short = decodeError(frameWith('2011', id, new Uint8Array(size - 1)), { edition: '2011' });
        expect([short.kind, short.header?.messageId]).toEqual(['truncated', id]);
      }
      const long = decodeError(frameWith('2011', id, new Uint8Array(size + 1)), { edition: '2011' });
      expect([long.kind, long.header?.messageId]).toEqual(['length-mismatch', id]);
    }
  });

  it('a 0x1200 whose DATA_LENGTH disagrees with the bytes that follow is truncated / length-mismatch', () => {
    const data = fix2011();
    expect(decodeError(frameWith('2011', MessageId.vehicleDynamic, dynamic(0x1202, data, data.length + 1)), { edition: '2011' }).kind).toBe('truncated');
    expect(decodeError(frameWith('2011', MessageId.vehicleDynamic, dynamic(0x1202, data, data.length - 1)), { edition: '2011' }).kind).toBe('length-mismatch');
    expect(decodeError(frameWith('2011', MessageId.vehicleDynamic, new Uint8Array(27)), { edition: '2011' }).kind).toBe('truncated');
  });

  it('a 2011 fix with latitude beyond 90°, longitude beyond 180° or an ENCRYPT byte of 2 is bad-value', () => {
    const lat = fix2011();
    lat.set([0x05, 0x5d, 0x4a, 0x81], 12); // 90,000,001 µ°
    const lon = fix2011();
    lon.set([0x0a, 0xba, 0x95, 0x01], 8); // 180,000,001 µ°
    const enc = fix2011();
    enc[0] = 2;
    for (const data of [lat, lon, enc]) expect(decodeError(frameWith('2011', MessageId.vehicleDynamic, dynamic(0x1202, data)), { edition: '2011' }).kind).toBe('bad-value');
  });

  it('a 2019 GNSS_DATA that claims more bytes than the body has is truncated', () => {
    const body = new Uint8Array(5 + 28 + 45);
    new DataView(body.buffer).setUint32(1, 500);
    expect(decodeError(frameWith('2019', MessageId.vehicleDynamic, dynamic(0x1202, body)), { edition: '2019' }).kind).toBe('truncated');
  });

  it('a 0x1203 whose GNSS_CNT disagrees with its fixes is a typed error', () => {
    const one = fix2011();
    const body = new Uint8Array(1 + one.length);
    body[0] = 2;
    body.set(one, 1);
    expect(decodeError(frameWith('2011', MessageId.vehicleDynamic, dynamic(0x1203, body)), { edition: '2011' }).kind).toBe('truncated');
  });

  it('decodeFrame returns errors, decodeFrameOrThrow throws them, and both use Jt809DecodeError with a listed kind', () => {
    const bad = fromHex('5b00015d');
    const r = decodeFrame(bad, { edition: '2011' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toBeInstanceOf(Jt809DecodeError);
      expect(jt809ErrorKinds).toContain(r.error.kind);
      expect(r.error.name).toBe('Jt809DecodeError');
      expect(r.error.message).toMatch(/^truncated: /);
    }
    expect(() => decodeFrameOrThrow(bad, { edition: '2011' })).toThrow(Jt809DecodeError);
  });

  it('an encrypted frame on a link without keys is no-cipher-keys; the same link decodes its clear frames', () => {
    const frame = encodeFrame({ edition: '2011', serial: 1, centreId: 2, keys: { m1: 1, ia1: 2, ic1: 3 }, encryptKey: 4 }, { type: 'heartbeat' });
    expect(decodeError(frame, { edition: '2011' }).kind).toBe('no-cipher-keys');
    expect(decodeFrame(encodeFrame({ edition: '2011', serial: 1, centreId: 2 }, { type: 'heartbeat' }), { edition: '2011' }).ok).toBe(true);
  });
});
