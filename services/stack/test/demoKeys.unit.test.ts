import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashApiKey, keyLookup } from '@dgt/http';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_KEYS_FILE, loadOrCreateDemoKeys } from '../src/demoKeys.ts';
import { StackError } from '../src/stackError.ts';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'dgt-demo-keys-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('demo API keys', () => {
  it('generates one random key per role on first start and writes them with mode 0600', () => {
    const dir = tmp();
    const keys = loadOrCreateDemoKeys(dir, ['C001', 'C007']);
    expect(keys.created).toBe(true);
    expect(keys.keys.map((k) => k.role)).toEqual(['bureau', 'enforcement', 'planner', 'ingest', 'registry', 'metrics', 'carrier:C001', 'carrier:C007']);
    expect(new Set(keys.keys.map((k) => k.key)).size).toBe(8);
    expect(statSync(join(dir, DEMO_KEYS_FILE)).mode & 0o777).toBe(0o600);
  });

  it('configures the apps with hashes only, which authenticate the keys as their roles', () => {
    const keys = loadOrCreateDemoKeys(tmp(), ['C001']);
    expect(JSON.stringify(keys.entries)).not.toContain(keys.keyFor('bureau'));
    expect(keys.entries.find((e) => e.role === 'ingest')?.sha256).toBe(hashApiKey(keys.keyFor('ingest')));
    const lookup = keyLookup(keys.entries);
    expect(lookup(keys.keyFor('carrier:C001'))).toMatchObject({ role: 'carrier', carrierId: 'C001' });
    expect(lookup(keys.keyFor('enforcement'))).toMatchObject({ role: 'enforcement' });
    expect(lookup('dgt_not-a-demo-key')).toBeUndefined();
  });

  it('reuses the same keys on the next start and adds a key for a new carrier only', () => {
    const dir = tmp();
    const first = loadOrCreateDemoKeys(dir, ['C001']);
    const again = loadOrCreateDemoKeys(dir, ['C001']);
    expect(again.created).toBe(false);
    expect(again.keys).toEqual(first.keys);
    const more = loadOrCreateDemoKeys(dir, ['C001', 'C002']);
    expect(more.created).toBe(true);
    expect(more.keyFor('bureau')).toBe(first.keyFor('bureau'));
    expect(more.keyFor('carrier:C002')).not.toBe(first.keyFor('carrier:C001'));
  });

  it('adds a registry key to a data directory whose keys were made before the role existed, keeping the others', () => {
    const dir = tmp();
    const first = loadOrCreateDemoKeys(dir, ['C001']);
    const old = first.keys.filter((k) => k.role !== 'registry');
    writeFileSync(join(dir, DEMO_KEYS_FILE), JSON.stringify({ note: 'old', keys: old }), { mode: 0o600 });
    const again = loadOrCreateDemoKeys(dir, ['C001']);
    expect(again.created).toBe(true);
    expect(again.keyFor('ingest')).toBe(first.keyFor('ingest'));
    expect(keyLookup(again.entries)(again.keyFor('registry'))).toMatchObject({ role: 'registry' });
  });

  it('refuses a damaged key file with a message naming it and how to recover', () => {
    const dir = tmp();
    writeFileSync(join(dir, DEMO_KEYS_FILE), '{"keys": [{"id": 1}]}');
    expect(() => loadOrCreateDemoKeys(dir)).toThrow(StackError);
    expect(() => loadOrCreateDemoKeys(dir)).toThrow(/demo-keys\.json.*delete it/);
  });
});
