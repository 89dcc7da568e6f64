import { describe, expect, it } from 'vitest';
import type { Jt808ErrorKind } from '../src/index.ts';
import { decodeFrame, decodeFrameOrThrow, encodeHeader, encodeLocationBody, FrameSplitter, fromHex, Jt808DecodeError, jt808ErrorKinds, SubpacketAssembler } from '../src/index.ts';
import { decodeError, frameAround, frameWith } from './support/frames.ts';
import { domainLocation2019, xtream } from './vectors/vectors.ts';

const h2013 = { messageId: 0x0200, flavour: '2013' as const, phone: '13912344323', serial: 5 };
const loc = { alarm: 0, status: 2, latitude: 28.6, longitude: 121.4, altitudeM: 1, speedKmh: 0, direction: 0, timeMs: Date.parse('2025-01-01T00:00:00Z') };

/** One malformed input per error kind, each produced through the public API. */
const cases: Record<Jt808ErrorKind, () => Jt808DecodeError> = {
  'bad-checksum': () => decodeError(domainLocation2019.hex.replace(/417e$/, '407e')),
  truncated: () => decodeError(frameAround(fromHex('0200402601'))),
  'bad-bcd': () => decodeError(frameAround(fromHex('00020000f13912344323000'.padEnd(24, '0')))),
  'length-mismatch': () => decodeError(frameWith({ ...h2013, messageId: 0x0002 }, new Uint8Array(3), 2)),
  'unknown-message': () => decodeError(xtream.unknownId2013.hex),
  'bad-escape': () => decodeError(fromHex('7e00027d0301391234432300007e')),
  'frame-too-large': () => {
    const items = new FrameSplitter({ maxFrameBytes: 16 }).push(fromHex(`7e${'00'.repeat(17)}7e`));
    const e = items.find((i) => i.kind === 'error');
    if (e?.kind !== 'error') throw new Error('no splitter error');
    return e.error;
  },
  'bad-value': () => decodeError(frameWith({ ...h2013, messageId: 0x0704 }, fromHex('000002'))),
  'unsupported-encryption': () => {
    const head = encodeHeader({ ...h2013, messageId: 0x0002 }, 0);
    head[2] = head[2]! | 0x04; // bit 10: RSA
    return decodeError(frameAround(head));
  },
  'subpackage-limit': () => {
    const r = decodeFrame(frameWith({ ...h2013, subpacket: { total: 300, index: 1 } }, new Uint8Array(4)));
    if (!r.ok || r.value.kind !== 'fragment') throw new Error('expected a fragment');
    const out = new SubpacketAssembler({ maxParts: 256 }).push(r.value.header, r.value.body, 0);
    if (out.kind !== 'rejected') throw new Error('expected a rejection');
    return out.error;
  },
};

describe('typed errors', () => {
  it.each(jt808ErrorKinds.map((k) => [k]))('%s is reported as a Jt808DecodeError of that kind', (kind) => {
    const e = cases[kind]();
    expect(e).toBeInstanceOf(Jt808DecodeError);
    expect(e.kind).toBe(kind);
    expect(e.message.startsWith(`${kind}: `)).toBe(true);
  });

  it('a body shorter than the header declares is truncated, longer is length-mismatch', () => {
    expect(decodeError(frameWith(h2013, new Uint8Array(10), 28)).kind).toBe('truncated');
    expect(decodeError(frameWith(h2013, new Uint8Array(30), 28)).kind).toBe('length-mismatch');
  });

  it('errors found in the body carry the frame header', () => {
    const e = decodeError(frameWith(h2013, new Uint8Array(3)));
    expect(e.kind).toBe('truncated');
    expect(e.header).toMatchObject({ messageId: 0x0200, phone: '013912344323', serial: 5 });
  });

  it('an empty frame, a lone flag pair and a one-byte frame are truncated', () => {
    for (const hex of ['', '7e7e', '7e017e']) expect(decodeError(hex).kind).toBe('truncated');
  });

  it('the 2019 authenticate body must match its declared auth code length', () => {
    const frame = fromHex(xtream.authenticate2019.hex);
    const body = frame.subarray(18, frame.length - 2).slice();
    expect(decodeError(frameWith({ ...h2013, flavour: '2019', messageId: 0x0102 }, body.subarray(0, body.length - 1))).kind).toBe('truncated');
    const longer = new Uint8Array(body.length + 1);
    longer.set(body);
    expect(decodeError(frameWith({ ...h2013, flavour: '2019', messageId: 0x0102 }, longer)).kind).toBe('length-mismatch');
  });

  it('a 0x0704 batch with bytes after its declared items is length-mismatch, with fewer is truncated', () => {
    const body = encodeLocationBody(loc);
    const item = new Uint8Array(2 + body.length);
    item[1] = body.length;
    item.set(body, 2);
    const batch = (count: number, extra: number) => {
      const b = new Uint8Array(3 + item.length + extra);
      b[1] = count;
      b.set(item, 3);
      return b;
    };
    expect(decodeError(frameWith({ ...h2013, messageId: 0x0704 }, batch(1, 1))).kind).toBe('length-mismatch');
    expect(decodeError(frameWith({ ...h2013, messageId: 0x0704 }, batch(2, 0))).kind).toBe('truncated');
  });

  it('decodeFrameOrThrow throws the same typed error decodeFrame returns', () => {
    const bytes = fromHex(domainLocation2019.hex.replace(/417e$/, '407e'));
    expect(() => decodeFrameOrThrow(bytes)).toThrow(Jt808DecodeError);
  });
});
