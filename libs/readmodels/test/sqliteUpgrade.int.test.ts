import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ReadModelError } from '../src/errors.ts';
import { openSqliteReadModelStore } from '../src/sqlite/sqliteReadModelStore.ts';
import { batch, registrationRow, vehicleRow, violationRow } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-readmodels-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ALL = { carrierId: null };

/** A store as version 1 left it: rows, projector state and a checkpoint, no register table. */
async function versionOneStore(name: string): Promise<string> {
  const path = join(dir, name);
  const store = await openSqliteReadModelStore({ path });
  await store.commit(batch('41', { vehicles: [vehicleRow('V-1', 'C-A')], violations: [violationRow('X-1')], engineState: new Map([['v:V-1', '{}']]) }));
  await store.close();
  const raw = new Database(path);
  raw.exec('DROP TABLE rm_registry');
  raw.prepare("UPDATE rm_meta SET value = '1' WHERE key = 'schema_version'").run();
  raw.close();
  return path;
}

describe('SQLite read models: upgrading a version 1 store (before ownership periods)', () => {
  it('refuses to open it read-only, telling to start the projector (only a writer upgrades)', async () => {
    const path = await versionOneStore('ro.sqlite');
    const err = await openSqliteReadModelStore({ path, readonly: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ReadModelError);
    expect((err as ReadModelError).code).toBe('STORE_UNREADABLE');
    expect((err as ReadModelError).message).toMatch(/schema version 1, older than this code's 2: start the projector/);
  });

  it('empties it on a read-write open, so the projector re-projects the event store from the start, and keeps the register from then on', async () => {
    const path = await versionOneStore('rw.sqlite');
    const store = await openSqliteReadModelStore({ path });
    try {
      expect(await store.checkpoint()).toBeNull();
      expect((await store.engineState()).size).toBe(0);
      expect(await store.sizes()).toMatchObject({ vehicles: 0, violations: 0 });
      const entry = registrationRow('V-1', '浙J·11111', [['C-A', null]]);
      await store.commit(batch('1', { registrations: [entry] }));
      expect(await store.registration('V-1')).toEqual(entry);
    } finally {
      await store.close();
    }
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare("SELECT value FROM rm_meta WHERE key = 'schema_version'").pluck().get()).toBe('2');
    raw.close();
    const reader = await openSqliteReadModelStore({ path, readonly: true });
    expect((await reader.registration('V-1'))?.plateKey).toBe('浙J·11111');
    expect(await reader.vehicle('V-1', ALL)).toBeUndefined();
    await reader.close();
  });
});
