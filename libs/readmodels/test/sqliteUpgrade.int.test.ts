import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ReadModelError } from '../src/errors.ts';
import { openSqliteReadModelStore } from '../src/sqlite/sqliteReadModelStore.ts';
import { advisoryRow, batch, caseRowFixture, registrationRow, violationRow } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-readmodels-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ALL = { carrierId: null };

/** The tables versions 1 and 2 wrote (version 2 added rm_registry), as that code created them. */
const olderSchema = `
CREATE TABLE rm_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE rm_vehicles (vehicle_id TEXT PRIMARY KEY NOT NULL, carrier_id TEXT, laden INTEGER NOT NULL, in_violation INTEGER NOT NULL, lon REAL, lat REAL, json TEXT NOT NULL);
CREATE TABLE rm_violations (violation_id TEXT PRIMARY KEY NOT NULL, type TEXT NOT NULL, status TEXT NOT NULL, carrier_id TEXT, vehicle_id TEXT NOT NULL, started_ms INTEGER NOT NULL, json TEXT NOT NULL);
CREATE TABLE rm_consignments (waybill_no TEXT PRIMARY KEY NOT NULL, carrier_id TEXT, json TEXT NOT NULL);
CREATE TABLE rm_carriers (carrier_id TEXT PRIMARY KEY NOT NULL, json TEXT NOT NULL);
CREATE TABLE rm_zones (zone_id TEXT PRIMARY KEY NOT NULL, json TEXT NOT NULL);
CREATE TABLE rm_engine_state (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
`;

/**
 * A store as version `version` left it: a vehicle, a laden segment passage counted as a violation
 * (what version 2 did), projector state and a checkpoint.
 */
function olderStore(name: string, version: 1 | 2): string {
  const path = join(dir, name);
  const raw = new Database(path);
  raw.exec(olderSchema);
  if (version === 2) raw.exec('CREATE TABLE rm_registry (vehicle_id TEXT PRIMARY KEY NOT NULL, plate_key TEXT NOT NULL, json TEXT NOT NULL);');
  raw.prepare("INSERT INTO rm_meta VALUES ('schema_version', ?), ('checkpoint', '41')").run(String(version));
  raw.prepare("INSERT INTO rm_vehicles VALUES ('V-1', 'C-A', 1, 1, 121.4, 28.6, '{}')").run();
  raw.prepare("INSERT INTO rm_violations VALUES ('X-seg', 'accident-segment', 'open', 'C-A', 'V-1', 0, '{\"type\":\"accident-segment\"}')").run();
  raw.prepare("INSERT INTO rm_engine_state VALUES ('v:V-1', '{}')").run();
  raw.close();
  return path;
}

describe('SQLite read models: upgrading an older store (version 1: before ownership periods; version 2: before the violation catalogue)', () => {
  for (const version of [1, 2] as const) {
    it(`refuses to open a version ${version} store read-only, telling to start the projector (only a writer upgrades)`, async () => {
      const path = olderStore(`ro-${version}.sqlite`, version);
      const err = await openSqliteReadModelStore({ path, readonly: true }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ReadModelError);
      expect((err as ReadModelError).code).toBe('STORE_UNREADABLE');
      expect((err as ReadModelError).message).toMatch(new RegExp(`schema version ${version}, older than this code's 5: start the projector`));
    });

    it(`empties a version ${version} store on a read-write open (its segment passages counted as violations go), so the projector re-projects the event store into violations and advisories`, async () => {
      const path = olderStore(`rw-${version}.sqlite`, version);
      const store = await openSqliteReadModelStore({ path });
      try {
        expect(await store.checkpoint()).toBeNull();
        expect((await store.engineState()).size).toBe(0);
        expect(await store.sizes()).toMatchObject({ vehicles: 0, violations: 0, advisories: 0 });
        expect(await store.caseCheckpoint()).toBeNull();
        expect((await store.cases({ scope: ALL, limit: 10 })).items).toEqual([]);
        const entry = registrationRow('V-1', '浙J·11111', [['C-A', null]]);
        await store.commit(batch('1', { registrations: [entry], violations: [violationRow('X-1', { vehicleId: 'V-1' })], advisories: [advisoryRow('A-1', { vehicleId: 'V-1' })] }));
        expect(await store.registration('V-1')).toEqual(entry);
      } finally {
        await store.close();
      }
      const raw = new Database(path, { readonly: true });
      expect(raw.prepare("SELECT value FROM rm_meta WHERE key = 'schema_version'").pluck().get()).toBe('5');
      raw.close();
      const reader = await openSqliteReadModelStore({ path, readonly: true });
      expect((await reader.registration('V-1'))?.plateKey).toBe('浙J·11111');
      expect((await reader.violations({ scope: ALL, limit: 10 })).items.map((v) => [v.violationId, v.kind])).toEqual([['X-1', 'illegal-parking']]);
      expect((await reader.advisories({ scope: ALL, limit: 10 })).items.map((a) => [a.advisoryId, a.kind])).toEqual([['A-1', 'segment-passage']]);
      expect(await reader.vehicle('V-1', ALL)).toBeUndefined();
      await reader.close();
    });
  }
});

/** A version 4 store (before the planning aggregates), as that code created it, with projected rows and cases. */
async function version4Store(name: string): Promise<string> {
  const path = join(dir, name);
  const store = await openSqliteReadModelStore({ path });
  await store.commit(batch('41', { registrations: [registrationRow('V-1', '浙J·11111', [['C-A', null]])], violations: [violationRow('X-1', { vehicleId: 'V-1' })], advisories: [advisoryRow('A-1', { vehicleId: 'V-1' })], engineState: new Map([['v:V-1', '{}']]) }));
  await store.commitCases({ checkpoint: '9', cases: [caseRowFixture('C-1')] });
  await store.close();
  const raw = new Database(path);
  raw.exec('DROP TABLE rm_planning');
  raw.prepare("UPDATE rm_meta SET value = '4' WHERE key = 'schema_version'").run();
  raw.close();
  return path;
}

describe('SQLite read models: upgrading a version 4 store (before the planning aggregates)', () => {
  it('refuses to open it read-only, telling to start the projector', async () => {
    const path = await version4Store('v4-ro.sqlite');
    const err = await openSqliteReadModelStore({ path, readonly: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as ReadModelError).code).toBe('STORE_UNREADABLE');
    expect((err as ReadModelError).message).toMatch(/schema version 4, older than this code's 5: start the projector/);
  });

  it('empties it on a read-write open, checkpoints included, so the projector re-projects the store and folds the planning aggregates from the first fix', async () => {
    const path = await version4Store('v4-rw.sqlite');
    const store = await openSqliteReadModelStore({ path });
    try {
      expect(await store.checkpoint()).toBeNull();
      expect(await store.caseCheckpoint()).toBeNull();
      expect((await store.engineState()).size).toBe(0);
      expect(await store.sizes()).toMatchObject({ violations: 0, advisories: 0 });
      expect(await store.planningRows()).toEqual([]);
      await store.commit(batch('1', { planning: [{ kind: 'lot', key: 'lot-A', data: '{"n":1}' }] }));
    } finally {
      await store.close();
    }
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare("SELECT value FROM rm_meta WHERE key = 'schema_version'").pluck().get()).toBe('5');
    raw.close();
    const reader = await openSqliteReadModelStore({ path, readonly: true });
    try {
      expect(await reader.planningRows()).toEqual([{ kind: 'lot', key: 'lot-A', data: '{"n":1}' }]);
    } finally {
      await reader.close();
    }
  });

  it('refuses a version 5 store that lacks its rm_planning table', async () => {
    const path = await version4Store('v5-broken.sqlite');
    const raw = new Database(path);
    raw.prepare("UPDATE rm_meta SET value = '5' WHERE key = 'schema_version'").run();
    raw.close();
    const err = await openSqliteReadModelStore({ path }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as ReadModelError).code).toBe('STORE_UNREADABLE');
    expect((err as ReadModelError).message).toContain('without its rm_planning table');
  });
});
