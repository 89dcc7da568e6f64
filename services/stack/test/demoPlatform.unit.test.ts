import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlatformAccounts } from '@dgt/jt809-gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PLATFORM_FILE, loadOrCreateDemoPlatform } from '../src/demoPlatform.ts';
import { seedVehicleRegister } from '../src/seedRegister.ts';
import { StackError } from '../src/stackError.ts';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'dgt-demo-platform-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the demo JT/T 809 platform account', () => {
  it('is generated with a random password on first start, kept with mode 0600, and configured as its SHA-256 only', () => {
    const dir = tmp();
    const p = loadOrCreateDemoPlatform(dir, ['C002']);
    expect(p.created).toBe(true);
    expect(statSync(join(dir, DEMO_PLATFORM_FILE)).mode & 0o777).toBe(0o600);
    expect(Buffer.byteLength(p.password)).toBe(8);
    expect(JSON.stringify(p.account)).not.toContain(p.password);
    const account = createPlatformAccounts([p.account]).all[0]!;
    expect(account.passwordMatches(p.password)).toBe(true);
    expect([...account.carriers]).toEqual(['C002']);
    expect(account.ipAllowed('127.0.0.1')).toBe(true);
    expect(account.ipAllowed('10.0.0.1')).toBe(false);
    expect(loadOrCreateDemoPlatform(tmp(), ['C002']).password).not.toBe(p.password);
  });

  it('keeps the same account on the next start, with the carriers of this start', () => {
    const dir = tmp();
    const first = loadOrCreateDemoPlatform(dir, ['C002']);
    const again = loadOrCreateDemoPlatform(dir, ['C001']);
    expect(again.created).toBe(false);
    expect([again.password, again.accessCode, again.keys]).toEqual([first.password, first.accessCode, first.keys]);
    expect(again.account.carriers).toEqual(['C001']);
  });

  it('also accepts the one address the stack listens on', () => {
    expect(loadOrCreateDemoPlatform(tmp(), ['C001'], '192.0.2.10').account.allowedIps).toEqual(['127.0.0.1', '::1', '192.0.2.10']);
    expect(loadOrCreateDemoPlatform(tmp(), ['C001'], '0.0.0.0').account.allowedIps).toEqual(['127.0.0.1', '::1']);
  });

  it('refuses a damaged file, saying how to recover', () => {
    const dir = tmp();
    writeFileSync(join(dir, DEMO_PLATFORM_FILE), JSON.stringify({ platformId: 'x', password: 'much-too-long-a-password' }));
    expect(() => loadOrCreateDemoPlatform(dir, ['C001'])).toThrow(StackError);
    expect(() => loadOrCreateDemoPlatform(dir, ['C001'])).toThrow(/delete it to generate a new demo platform account/);
  });
});

describe('the JT/T 809 register from the seeds', () => {
  it('holds every VehicleRegistered of the seed files with its carrier and plate', () => {
    const register = seedVehicleRegister();
    const lines = readFileSync(new URL('../../../seeds/taizhou/registry.ndjson', import.meta.url), 'utf8').split('\n').filter((l) => l.includes('"VehicleRegistered"'));
    expect(register).toHaveLength(lines.length);
    expect(register[0]).toMatchObject({ vehicleId: 'V0001', carrierId: 'C001', plateNo: expect.stringMatching(/^浙J·/) });
  });
});
