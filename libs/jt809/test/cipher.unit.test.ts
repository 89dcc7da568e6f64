import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CipherKeys } from '../src/index.ts';
import { applyBodyCipher, decodeFrame, encodeFrame, Jt809EncodeError, parsePacket, toHex } from '../src/index.ts';
import { guoJianKeys, smallChiKeys } from './vectors/vectors.ts';

/**
 * JT/T 809-2011 table 5, transcribed with BigInt and an explicit 32-bit wrap (`uint32_t key`), as
 * an oracle independent of the codec's Math.imul formulation. The C code guards only key = 0;
 * M1 = 0 would divide by zero, and the codec (like SmallChi/JT809) treats it as 1.
 */
function referenceCipher(data: Uint8Array, key: number, keys: CipherKeys): Uint8Array {
  const mask = 0xffff_ffffn;
  let k = BigInt(key >>> 0) || 1n;
  const m1 = BigInt(keys.m1 >>> 0) || 1n;
  const ia1 = BigInt(keys.ia1 >>> 0);
  const ic1 = BigInt(keys.ic1 >>> 0);
  return data.map((b) => {
    k = (ia1 * (k % m1) + ic1) & mask;
    return b ^ Number((k >> 20n) & 0xffn);
  });
}

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });

describe('the body cipher (M1 / IA1 / IC1)', () => {
  it('matches the standard\'s C code in 32-bit arithmetic, including products far beyond 2^32 (2,000 random keys)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), u32, fc.record({ m1: u32, ia1: u32, ic1: u32 }), (data, key, keys) => {
        const ours = data.slice();
        applyBodyCipher(ours, 0, ours.length, key, keys);
        expect(toHex(ours)).toBe(toHex(referenceCipher(data, key, keys)));
      }),
      { numRuns: 2000, seed: 809 },
    );
  });

  it('keeps matching the C code when keys repeat, in any order, more of them than it remembers, on bodies growing and shrinking (500 sequences)', () => {
    // A pool of 12 (key, M1, IA1, IC1) – more than the remembered key streams – used again and again.
    const pool = fc.array(fc.tuple(u32, fc.record({ m1: u32, ia1: u32, ic1: u32 })), { minLength: 12, maxLength: 12 });
    const use = fc.tuple(fc.nat({ max: 11 }), fc.uint8Array({ maxLength: 300 }), fc.nat({ max: 7 }));
    fc.assert(
      fc.property(pool, fc.array(use, { minLength: 1, maxLength: 40 }), (keys, uses) => {
        for (const [which, data, at] of uses) {
          const [key, k] = keys[which]!;
          const ours = new Uint8Array(at + data.length + 3);
          ours.set(data, at);
          applyBodyCipher(ours, at, at + data.length, key, k);
          expect(toHex(ours)).toBe(toHex(Uint8Array.of(...new Uint8Array(at), ...referenceCipher(data, key, k), 0, 0, 0)));
        }
      }),
      { numRuns: 500, seed: 8090 },
    );
  });

  it('is its own inverse: encrypting twice with the same key gives the plain bytes back', () => {
    const plain = Uint8Array.from({ length: 200 }, (_, i) => i);
    const bytes = plain.slice();
    applyBodyCipher(bytes, 0, bytes.length, 256178, guoJianKeys);
    expect(toHex(bytes)).not.toBe(toHex(plain));
    applyBodyCipher(bytes, 0, bytes.length, 256178, guoJianKeys);
    expect(toHex(bytes)).toBe(toHex(plain));
  });

  it('a key of 0 counts as 1 and an M1 of 0 as 1, as in the standard\'s code and SmallChi/JT809', () => {
    const a = new Uint8Array(16);
    const b = new Uint8Array(16);
    applyBodyCipher(a, 0, 16, 0, smallChiKeys);
    applyBodyCipher(b, 0, 16, 1, smallChiKeys);
    expect(toHex(a)).toBe(toHex(b));
    const c = new Uint8Array(16);
    const d = new Uint8Array(16);
    applyBodyCipher(c, 0, 16, 5, { ...smallChiKeys, m1: 0 });
    applyBodyCipher(d, 0, 16, 5, { ...smallChiKeys, m1: 1 });
    expect(toHex(c)).toBe(toHex(d));
  });

  it('touches only bytes[start, end)', () => {
    const bytes = new Uint8Array(10);
    applyBodyCipher(bytes, 3, 7, 99, guoJianKeys);
    expect([...bytes.subarray(0, 3), ...bytes.subarray(7)]).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('encrypted frames', () => {
  const login = { type: 'login-request' as const, userId: 7, password: 'secret', accessCode: undefined, downLinkIp: '10.0.0.1', downLinkPort: 9810 };

  it('encrypt only the body: the header differs from the clear frame only in ENCRYPT_FLAG and ENCRYPT_KEY, and the CRC covers the encrypted body', () => {
    const clear = parsePacket(encodeFrame({ edition: '2011', serial: 5, centreId: 9 }, login), { edition: '2011' });
    const wire = encodeFrame({ edition: '2011', serial: 5, centreId: 9, keys: smallChiKeys, encryptKey: 4242 }, login);
    const secret = parsePacket(wire, { edition: '2011', keys: smallChiKeys });
    expect(toHex(clear.bytes.subarray(0, 17))).toBe(toHex(secret.bytes.subarray(0, 17)));
    expect(secret.header).toMatchObject({ encrypted: true, encryptKey: 4242 });
    // parsePacket hands back the decrypted body.
    expect(toHex(secret.bytes.subarray(secret.bodyStart, secret.bodyEnd))).toBe(toHex(clear.bytes.subarray(clear.bodyStart, clear.bodyEnd)));
  });

  it('round-trips every message of a link in both editions with the link\'s keys', () => {
    for (const edition of ['2011', '2019'] as const) {
      const h = { edition, serial: 1, centreId: 2, timeSeconds: 1_750_000_000, keys: guoJianKeys, encryptKey: 0xdeadbeef };
      const messages = [{ ...login, accessCode: edition === '2019' ? 2 : undefined }, { type: 'login-response' as const, result: 0, verifyCode: 31337 }, { type: 'heartbeat' as const }, { type: 'main-link-broken' as const, code: 1 }];
      for (const m of messages) {
        const r = decodeFrame(encodeFrame(h, m), { edition, keys: guoJianKeys });
        expect(r.ok && r.value.message).toEqual(m);
      }
    }
  });

  it('asking for encryption without an ENCRYPT_KEY is a Jt809EncodeError: the codec draws no random keys', () => {
    expect(() => encodeFrame({ edition: '2011', serial: 1, centreId: 2, keys: smallChiKeys }, { type: 'heartbeat' })).toThrow(Jt809EncodeError);
  });
});
