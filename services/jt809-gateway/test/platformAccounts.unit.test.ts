import { LoginResult } from '@dgt/jt809';
import { describe, expect, it } from 'vitest';
import { PlatformAccountError, checkLogin, createPlatformAccounts, passwordSha256 } from '../src/index.ts';
import { platformEntry } from './support.ts';

const login = (over: Partial<{ userId: number; password: string; accessCode: number | undefined }> = {}) => ({
  type: 'login-request' as const,
  userId: 7001,
  password: 'pass1234',
  accessCode: 33010001 as number | undefined,
  downLinkIp: '',
  downLinkPort: 0,
  ...over,
});

describe('platform accounts', () => {
  const accounts = createPlatformAccounts([platformEntry({ allowedIps: ['127.0.0.1', '10.8.0.0/16', '2001:db8::/32'] }), platformEntry({ platformId: 'province', accessCode: 33000000, userId: 1 })]);

  it('finds a platform by its access code and knows nothing of others', () => {
    expect(accounts.byAccessCode(33010001)?.platformId).toBe('carrier-a');
    expect(accounts.byAccessCode(1)).toBeUndefined();
  });

  it('accepts addresses and CIDR blocks, including IPv4 peers on a dual-stack socket', () => {
    const a = accounts.byAccessCode(33010001)!;
    expect(a.ipAllowed('127.0.0.1')).toBe(true);
    expect(a.ipAllowed('::ffff:10.8.200.1')).toBe(true);
    expect(a.ipAllowed('2001:db8::1')).toBe(true);
    expect(a.ipAllowed('10.9.0.1')).toBe(false);
    expect(a.ipAllowed('not an ip')).toBe(false);
  });

  it('compares the password by its SHA-256 only', () => {
    const a = accounts.byAccessCode(33010001)!;
    expect(a.passwordMatches('pass1234')).toBe(true);
    expect(a.passwordMatches('pass1235')).toBe(false);
    expect(passwordSha256('pass1234')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a duplicated access code or platform id, an empty address list and a bad CIDR, naming the entry', () => {
    expect(() => createPlatformAccounts([platformEntry(), platformEntry({ platformId: 'b' })])).toThrow(/1\.accessCode: 33010001 is already carrier-a's/);
    expect(() => createPlatformAccounts([platformEntry(), platformEntry({ accessCode: 2 })])).toThrow(/1\.platformId: carrier-a is configured twice/);
    expect(() => createPlatformAccounts([platformEntry({ allowedIps: [] })])).toThrow(PlatformAccountError);
    expect(() => createPlatformAccounts([platformEntry({ allowedIps: ['10.0.0.0/33'] })])).toThrow(/allowedIps/);
    expect(() => createPlatformAccounts([platformEntry({ carriers: [] })])).toThrow(/carriers/);
  });

  it('reads a fixed down link as host and port', () => {
    const a = createPlatformAccounts([platformEntry({ downLink: '10.8.0.9:9810' })]).all[0]!;
    expect(a.downLink).toEqual({ host: '10.8.0.9', port: 9810 });
  });
});

describe('checkLogin answers with the standard result codes', () => {
  const accounts = createPlatformAccounts([platformEntry()]);

  it('0 for the right access code, address, user and password', () => {
    expect(checkLogin(accounts, 33010001, login(), '127.0.0.1')).toMatchObject({ ok: true });
  });

  it('2 for an unknown access code, or a 2019 body naming another one than its header', () => {
    expect(checkLogin(accounts, 99, login(), '127.0.0.1')).toMatchObject({ ok: false, result: LoginResult.badAccessCode, reason: 'unknown-access-code' });
    expect(checkLogin(accounts, 33010001, login({ accessCode: 99 }), '127.0.0.1')).toMatchObject({ ok: false, result: LoginResult.badAccessCode });
  });

  it('1 from an address the platform may not connect from, even with the right password', () => {
    expect(checkLogin(accounts, 33010001, login(), '192.0.2.7')).toMatchObject({ ok: false, result: LoginResult.badIp, reason: 'ip-not-allowed' });
  });

  it('3 for another user id, 4 for a wrong password', () => {
    expect(checkLogin(accounts, 33010001, login({ userId: 1 }), '127.0.0.1')).toMatchObject({ ok: false, result: LoginResult.unknownUser });
    expect(checkLogin(accounts, 33010001, login({ password: 'guess' }), '127.0.0.1')).toMatchObject({ ok: false, result: LoginResult.badPassword, reason: 'bad-password' });
  });

  it('a 2011 body (no access code in it) is judged by the header alone', () => {
    expect(checkLogin(accounts, 33010001, login({ accessCode: undefined }), '127.0.0.1')).toMatchObject({ ok: true });
  });
});
