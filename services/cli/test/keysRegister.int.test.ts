import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { openSqliteReadModelStore } from '@dgt/readmodels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../src/commands/keys.ts';
import { type Io, UsageError } from '../src/io.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-keys-'));
const path = join(dir, 'readmodels.sqlite');

function io(): Io & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { stdin: new PassThrough(), stdout, stderr, out: () => out, err: () => err };
}

beforeAll(async () => {
  // A register on disk as the projector keeps it: carrier C001 with one vehicle.
  const store = await openSqliteReadModelStore({ path });
  await store.commit({
    checkpoint: '1', vehicles: [], violations: [], consignments: [], zones: [], withdrawnZoneIds: [], engineState: new Map(),
    carriers: [{ carrierId: 'C001', name: 'Jiaojiang Hazmat Logistics', vehicles: 1 }],
    registrations: [{ vehicleId: 'V1', plateNo: '浙J·A0001', plateKey: '浙JA0001', periods: [{ carrierId: 'C001', from: null, to: null }] }],
  });
  await store.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dgt keys new for a carrier role', () => {
  it('makes the key for a registered carrier', async () => {
    const out = io();
    expect(await keys(['new', '--role', 'carrier:C001', '--readmodels', path], out)).toBe(0);
    expect(out.out()).toContain('"role":"carrier:C001"');
  });

  it('refuses a carrier the register does not know, naming the registered ones, unless told it is on purpose', async () => {
    const refused = await keys(['new', '--role', 'carrier:C099', '--readmodels', path], io()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as Error).message).toBe(
      `--role: carrier "C099" is not in the register at ${path} (carriers with vehicles: C001); register it first, or pass --allow-unknown-carrier`,
    );
    const out = io();
    expect(await keys(['new', '--role', 'ingest:C099', '--readmodels', path, '--allow-unknown-carrier'], out)).toBe(0);
    expect(out.out()).toContain('"role":"ingest:C099"');
  });

  it('says a carrier was not checked when there are no read models to ask, and refuses a --readmodels file that does not exist', async () => {
    const out = io();
    expect(await keys(['new', '--role', 'carrier:C777'], out, join(dir, 'absent.sqlite'))).toBe(0);
    expect(out.err()).toContain(`carrier C777 not checked: no read models at ${join(dir, 'absent.sqlite')}`);
    // Found at the default place, the register is asked without --readmodels.
    await expect(keys(['new', '--role', 'carrier:C777'], io(), path)).rejects.toThrow('carrier "C777" is not in the register');
    await expect(keys(['new', '--role', 'carrier:C001', '--readmodels', join(dir, 'nope.sqlite')], io())).rejects.toThrow('--readmodels: no such file');
  });
});
