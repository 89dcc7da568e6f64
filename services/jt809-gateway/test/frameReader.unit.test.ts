import { crc16, encodeFrame, escapeFrame } from '@dgt/jt809';
import { describe, expect, it } from 'vitest';
import { guessLoginEdition, peekAccessCode, readFrame } from '../src/index.ts';

/**
 * A heartbeat whose serial (0x5A5E5A5E) puts both escape bytes in its header: the bytes between
 * the flags as the standard escapes them, and as a link that does not escape sends them.
 */
function unescapedFrame(): { escaped: Uint8Array; literal: Uint8Array } {
  const raw = new Uint8Array(24);
  const view = new DataView(raw.buffer);
  view.setUint32(0, 26); // MSG_LENGTH counts both flags
  view.setUint32(4, 0x5a5e5a5e);
  view.setUint16(8, 0x1005);
  view.setUint32(10, 42);
  raw.set([1, 0, 0], 14);
  view.setUint16(22, crc16(raw.subarray(0, 22)));
  const escaped = encodeFrame({ edition: '2011', serial: 0x5a5e5a5e, centreId: 42 }, { type: 'heartbeat' });
  expect(escapeFrame(raw)).toEqual(escaped);
  return { escaped: escaped.subarray(1, -1), literal: raw };
}

describe('unescaped frames (JT/T 809 §4.4.5)', () => {
  const { escaped, literal } = unescapedFrame();

  it('a properly escaped frame decodes as usual', () => {
    expect(readFrame(escaped, { edition: '2011', keys: undefined, acceptUnescaped: false })).toMatchObject({ ok: true, unescaped: false });
  });

  it('are refused by default, and marked so they are counted', () => {
    const r = readFrame(literal, { edition: '2011', keys: undefined, acceptUnescaped: false });
    expect(r).toMatchObject({ ok: false, unescaped: true });
    if (!r.ok) expect(r.error.kind).toBe('bad-escape');
  });

  it('are accepted from a platform configured for them when, read literally, length and CRC agree', () => {
    const r = readFrame(literal, { edition: '2011', keys: undefined, acceptUnescaped: true });
    expect(r).toMatchObject({ ok: true, unescaped: true });
    if (r.ok) expect(r.frame.header.serial).toBe(0x5a5e5a5e);
  });

  it('stay refused when the literal reading fails its CRC too', () => {
    const damaged = literal.slice();
    damaged[20] = damaged[20]! ^ 0xff;
    expect(readFrame(damaged, { edition: '2011', keys: undefined, acceptUnescaped: true })).toMatchObject({ ok: false, unescaped: true });
  });
});

describe('before a login', () => {
  it('reads the access code of a frame, escaped or not, and tells a 2019 login from a 2011 one by its length', () => {
    for (const edition of ['2011', '2019'] as const) {
      const f = encodeFrame({ edition, serial: 1, centreId: 0x5a5a5a5a, timeSeconds: 0 }, { type: 'login-request', userId: 1, password: 'p', accessCode: edition === '2019' ? 1 : undefined, downLinkIp: '', downLinkPort: 0 });
      const inner = f.subarray(1, f.length - 1);
      expect(peekAccessCode(inner)).toBe(0x5a5a5a5a);
      expect(guessLoginEdition(inner)).toBe(edition);
    }
  });
});
