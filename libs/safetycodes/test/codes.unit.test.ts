import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  codeStatus,
  foldProducts,
  hazardLabel,
  keyring,
  mintCode,
  productKey,
  readCode,
  type CodeSubject,
  type Mac,
  type ProductRegisterEvent,
} from '../src/index.ts';

const hmacWith =
  (secret: string): Mac =>
  (message) =>
    new Uint8Array(createHmac('sha256', secret).update(message).digest());
const v1 = hmacWith('k1-0123456789abcdef0123456789abcdef');
const v2 = hmacWith('k2-fedcba9876543210fedcba9876543210');
const keys = keyring(1, new Map([[1, v1]]));
const product: CodeSubject = {
  kind: 'product',
  firmId: 'F-JH',
  productId: 'methanol',
  generation: 1,
};
const vehicle: CodeSubject = { kind: 'vehicle', vehicleId: 'V0022', generation: 1 };

/** Flips one bit of the code's bytes at `index` (negative: from the end) and spells it again. */
function altered(code: string, index: number): string {
  const bytes = Buffer.from(code, 'base64url');
  const i = index < 0 ? bytes.length + index : index;
  bytes[i] = bytes[i]! ^ 0x01;
  return bytes.toString('base64url');
}

describe('minting and reading codes', () => {
  it('reads back the product and the vehicle a code was minted for', () => {
    expect(readCode(mintCode(product, keys), keys)).toEqual({
      ok: true,
      keyVersion: 1,
      subject: product,
    });
    expect(readCode(mintCode(vehicle, keys), keys)).toEqual({
      ok: true,
      keyVersion: 1,
      subject: vehicle,
    });
  });

  it('mints the same code for the same subject and key, URL-safe, with at least 128 bits of tag', () => {
    const code = mintCode(product, keys);
    expect(mintCode(product, keys)).toBe(code);
    expect(code).toMatch(/^[A-Za-z0-9_-]+$/);
    // header, two length-prefixed ids, then the 16-byte (128-bit) tag
    expect(Buffer.from(code, 'base64url').length).toBe(
      5 + 1 + 'F-JH'.length + 1 + 'methanol'.length + 16,
    );
  });

  it('refuses a forged code: the right layout signed with another key', () => {
    const forged = mintCode(
      product,
      keyring(1, new Map([[1, hmacWith('not-the-key-not-the-key-not-the-key')]])),
    );
    expect(readCode(forged, keys)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a code with any one bit of its ids, generation or tag changed', () => {
    const code = mintCode(product, keys);
    for (const index of [3, 4, 6, 10, -1, -16])
      expect(readCode(altered(code, index), keys).ok).toBe(false);
  });

  it('refuses a product code re-labelled as a vehicle code (the kind is signed)', () => {
    const code = mintCode({ kind: 'vehicle', vehicleId: 'F-JH', generation: 1 }, keys);
    const asProduct = altered(code, 2); // kind 2 → 3: unknown
    expect(readCode(asProduct, keys).ok).toBe(false);
    const bytes = Buffer.from(code, 'base64url');
    bytes[2] = 1;
    expect(readCode(bytes.toString('base64url'), keys)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses text that is no code without throwing: empty, too long, non-base64url, truncated', () => {
    const code = mintCode(product, keys);
    for (const text of [
      '',
      'x'.repeat(401),
      'abc def',
      '../../etc/passwd',
      code.slice(0, 20),
      `${code}A`,
    ])
      expect(readCode(text, keys).ok).toBe(false);
  });

  it('verifies a code of a rotated-out version while that key is kept, and refuses it once the key is dropped', () => {
    const old = mintCode(product, keys);
    const rotated = keyring(
      2,
      new Map([
        [1, v1],
        [2, v2],
      ]),
    );
    expect(readCode(old, rotated)).toEqual({ ok: true, keyVersion: 1, subject: product });
    const fresh = mintCode(product, rotated);
    expect(fresh).not.toBe(old);
    expect(readCode(fresh, rotated)).toMatchObject({ ok: true, keyVersion: 2 });
    const retired = keyring(2, new Map([[2, v2]]));
    expect(readCode(old, retired)).toEqual({ ok: false, reason: 'unknown_key' });
  });

  it('refuses to build a keyring whose current version has no key', () => {
    expect(() => keyring(2, new Map([[1, v1]]))).toThrow(/current key version 2/);
  });
});

describe('revocation by event', () => {
  const registered = (productId: string, name: string): ProductRegisterEvent => ({
    type: 'ProductRegistered',
    occurredAt: '2026-03-01T08:00:00+08:00',
    data: {
      firmId: 'F-JH',
      productId,
      unNumber: '1230',
      properShippingName: name,
      hazardClass: '3',
      emergencyMeasures: '远离火源',
      emergencyPhone: '119',
    },
  });
  const revoked = (productId: string, at: string): ProductRegisterEvent => ({
    type: 'ProductCodeRevoked',
    occurredAt: at,
    data: { firmId: 'F-JH', productId, reason: '标签遗失' },
  });

  it('retires the code in use at each revocation: the old code reads revoked, the new generation valid', () => {
    const products = foldProducts([
      registered('methanol', '甲醇'),
      revoked('methanol', '2026-03-02T08:00:00+08:00'),
    ]);
    const entry = products.get(productKey('F-JH', 'methanol'))!;
    expect(entry.generation).toBe(2);
    expect(entry.lastRevokedAt).toBe('2026-03-02T08:00:00+08:00');
    expect(codeStatus(1, entry.generation)).toBe('revoked');
    expect(codeStatus(2, entry.generation)).toBe('valid');
    expect(codeStatus(3, entry.generation)).toBe('unknown');
  });

  it('keeps the latest registration, and counts a revocation that arrived before the registration', () => {
    const products = foldProducts([
      revoked('acetone', '2026-03-01T07:00:00+08:00'),
      registered('acetone', '丙酮旧名'),
      registered('acetone', '丙酮'),
    ]);
    expect(products.get(productKey('F-JH', 'acetone'))).toMatchObject({
      generation: 2,
      product: { properShippingName: '丙酮' },
    });
  });

  it('lists no product that was only revoked, never registered', () => {
    expect(foldProducts([revoked('ghost', '2026-03-01T07:00:00+08:00')]).size).toBe(0);
  });
});

describe('hazard labels', () => {
  it('gives class 3 the red flame label and 8 the white-over-black corrosion label', () => {
    expect(hazardLabel('3')).toMatchObject({ nameZh: '易燃液体', top: '#d7261e', symbol: 'flame' });
    expect(hazardLabel('8')).toMatchObject({
      nameZh: '腐蚀性物质',
      top: '#ffffff',
      bottom: '#000000',
      symbol: 'corrosion',
    });
  });

  it('labels a division of class 1 as explosives and keeps its own number', () => {
    expect(hazardLabel('1.4')).toMatchObject({
      hazardClass: '1.4',
      nameZh: '爆炸品',
      symbol: 'explosion',
    });
  });
});
