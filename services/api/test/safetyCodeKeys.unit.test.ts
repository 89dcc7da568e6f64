import { describe, expect, it } from 'vitest';
import { mintCode, readCode } from '@dgt/safetycodes';
import { parseSafetyCodeSecrets, safetyCodeKeyring } from '../src/safetyCodes/safetyCodeKeys.ts';

const hex32 = 'ab'.repeat(32);
const b64 = Buffer.alloc(32, 7).toString('base64');

describe('API_SAFETY_CODE_KEY', () => {
  it('reads one hex or base64 secret as key version 1, and nothing as no key', () => {
    expect(parseSafetyCodeSecrets(hex32)).toEqual({
      current: 1,
      secrets: new Map([[1, new Uint8Array(Buffer.from(hex32, 'hex'))]]),
    });
    expect(parseSafetyCodeSecrets(b64)?.secrets.get(1)?.length).toBe(32);
    expect(parseSafetyCodeSecrets(undefined)).toBeNull();
    expect(parseSafetyCodeSecrets('  ')).toBeNull();
  });

  it('refuses a secret shorter than 32 bytes and text that is neither hex nor base64', () => {
    expect(() => parseSafetyCodeSecrets('ab'.repeat(31))).toThrow(/at least 32 bytes, got 31/);
    expect(() => parseSafetyCodeSecrets('not a secret!')).toThrow(/hex or base64/);
  });

  it('rotates: the first of several versioned keys signs, the others still verify, a repeated version is refused', () => {
    const before = safetyCodeKeyring(parseSafetyCodeSecrets(`1:${hex32}`)!);
    const old = mintCode({ kind: 'vehicle', vehicleId: 'V1', generation: 1 }, before);
    const rotated = safetyCodeKeyring(parseSafetyCodeSecrets(`2:${b64},1:${hex32}`)!);
    expect(rotated.current).toBe(2);
    expect(readCode(old, rotated)).toMatchObject({ ok: true, keyVersion: 1 });
    expect(() => parseSafetyCodeSecrets(`1:${hex32},1:${b64}`)).toThrow(/given twice/);
    expect(() => parseSafetyCodeSecrets(`${hex32},2:${b64}`)).toThrow(/<version>:<secret>/);
  });
});
