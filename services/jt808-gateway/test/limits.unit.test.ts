import { describe, expect, it } from 'vitest';
import { TokenBucket, TerminalRegistryError, createTerminalRegistry, deriveAuthCode, normalizePhone } from '../src/index.ts';

describe('TokenBucket', () => {
  it('allows the burst at once, then the sustained rate', () => {
    const b = new TokenBucket(10, 5, 0);
    expect(Array.from({ length: 6 }, () => b.take(0))).toEqual([true, true, true, true, true, false]);
    expect(b.take(50)).toBe(false);
    expect(b.take(100)).toBe(true);
    expect(b.take(100)).toBe(false);
    // Refill never exceeds the burst.
    expect(Array.from({ length: 6 }, () => b.take(60_000)).filter(Boolean)).toHaveLength(5);
  });
});

describe('terminal registry', () => {
  it('treats 2013 and 2019 header phones of one terminal as the same terminal', () => {
    const r = createTerminalRegistry({ terminals: [{ phone: '013912344329', plate: 'P', authCode: 'x' }] });
    expect(normalizePhone('00000000013912344329')).toBe('13912344329');
    expect(r.lookup('00000000013912344329')?.plate).toBe('P');
    expect(r.lookup('013912344329')?.plate).toBe('P');
    expect(r.lookup('013912344320')).toBeUndefined();
  });

  it('derives auth codes deterministically from the secret when none is configured', () => {
    const r = createTerminalRegistry({ terminals: [{ phone: '13900000001', plate: 'P' }], authSecret: 'secret-secret-secret' });
    const code = r.lookup('13900000001')!.authCode;
    expect(code).toMatch(/^[0-9a-f]{16}$/);
    expect(code).toBe(deriveAuthCode('secret-secret-secret', '013900000001'));
    expect(code).not.toBe(deriveAuthCode('another-secret-value', '13900000001'));
    expect(r.checkAuthCode(r.lookup('13900000001')!, code)).toBe(true);
    expect(r.checkAuthCode(r.lookup('13900000001')!, code.slice(1))).toBe(false);
  });

  it('refuses configurations it cannot serve', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof TerminalRegistryError ? e.code : 'other';
      }
      return 'none';
    };
    expect(err(() => createTerminalRegistry({ terminals: [{ phone: '139x', plate: 'P', authCode: 'a' }] }))).toBe('BAD_PHONE');
    expect(err(() => createTerminalRegistry({ terminals: [{ phone: '0139', plate: 'P', authCode: 'a' }, { phone: '139', plate: 'Q', authCode: 'b' }] }))).toBe('DUPLICATE_PHONE');
    expect(err(() => createTerminalRegistry({ terminals: [{ phone: '139', plate: 'P' }] }))).toBe('NO_AUTH_CODE');
    expect(err(() => createTerminalRegistry({ terminals: [{ phone: '139', plate: 'P', authCode: '码' }] }))).toBe('BAD_AUTH_CODE');
  });
});
