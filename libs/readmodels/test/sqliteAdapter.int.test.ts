import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ReadModelError } from '../src/errors.ts';
import type { ReadModelStore } from '../src/port.ts';
import { openSqliteReadModelStore } from '../src/sqlite/sqliteReadModelStore.ts';
import { batch, vehicleRow, violationRow } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-readmodels-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const committer = fileURLToPath(new URL('./fixtures/committer.ts', import.meta.url));
const ALL = { carrierId: null };
let n = 0;
const freshPath = () => join(dir, `t-${++n}.sqlite`);

async function openError(options: { path: string; readonly?: boolean }): Promise<ReadModelError> {
  try {
    await (await openSqliteReadModelStore(options)).close();
  } catch (err) {
    expect(err).toBeInstanceOf(ReadModelError);
    return err as ReadModelError;
  }
  throw new Error(`opening ${options.path} did not fail`);
}

interface Child {
  readonly stdout: () => string;
  readonly closed: Promise<NodeJS.Signals | number | null>;
  readonly kill: () => void;
  /** Resolves once the child has printed `marker`. */
  readonly printed: (marker: string) => Promise<void>;
}

function runCommitter(path: string, vehicles: number, batches: number | 'forever', first: number): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', committer, path, String(vehicles), String(batches), String(first)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { marker: string; resolve: () => void }[] = [];
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const w of waiters.splice(0)) if (stdout.includes(`${w.marker}\n`)) w.resolve();
    else waiters.push(w);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('close', (code, signal) => resolve(signal ?? code)));
  return {
    stdout: () => stdout,
    closed: closed.then((how) => {
      if (how !== 0 && how !== 'SIGKILL') throw new Error(`committer failed (${String(how)}): ${stderr}`);
      return how;
    }),
    kill: () => child.kill('SIGKILL'),
    printed: (marker) =>
      new Promise<void>((resolve, reject) => {
        if (stdout.includes(`${marker}\n`)) return resolve();
        waiters.push({ marker, resolve });
        void closed.then((how) => reject(new Error(`committer exited (${String(how)}) before ${marker}: ${stderr}`)));
      }),
  };
}

/** Every vehicle row carries the batch that wrote it: a whole batch means one waybillNo throughout. */
async function batchesSeen(store: ReadModelStore): Promise<Set<string | null>> {
  const { items } = await store.fleet({ scope: ALL, limit: 100_000 });
  return new Set(items.map((v) => v.waybillNo));
}

describe('SQLite read-model store', () => {
  describe('opening', () => {
    it('read-only: a missing file is STORE_NOT_FOUND naming the path, and no file is created', async () => {
      const path = join(dir, 'missing', 'readmodels.sqlite');
      const err = await openError({ path, readonly: true });
      expect(err.code).toBe('STORE_NOT_FOUND');
      expect(err.message).toContain(path);
      await expect(openSqliteReadModelStore({ path: join(dir, 'missing', 'again.sqlite'), readonly: true })).rejects.toThrow(/again\.sqlite/);
    });

    it('a file that is not SQLite is STORE_UNREADABLE naming the path, read-write and read-only', async () => {
      const path = freshPath();
      writeFileSync(path, 'this is not a database, just some text that is long enough to fill a header '.repeat(20));
      for (const readonly of [false, true]) {
        const err = await openError({ path, readonly });
        expect(err.code).toBe('STORE_UNREADABLE');
        expect(err.message).toContain(path);
      }
    });

    it('a SQLite file of something else (e.g. the event store) is STORE_UNREADABLE naming the path and its tables', async () => {
      const path = freshPath();
      const raw = new Database(path);
      raw.exec('CREATE TABLE events (position INTEGER PRIMARY KEY, json TEXT)');
      raw.close();
      const err = await openError({ path });
      expect(err.code).toBe('STORE_UNREADABLE');
      expect(err.message).toContain(path);
      expect(err.message).toContain('events');
    });

    it('an empty SQLite file is refused read-only (the projector has not created the store) and initialised read-write', async () => {
      const path = freshPath();
      new Database(path).close();
      expect((await openError({ path, readonly: true })).code).toBe('STORE_UNREADABLE');
      const store = await openSqliteReadModelStore({ path });
      expect(await store.checkpoint()).toBeNull();
      await store.close();
    });

    it('a store written by a newer version is SCHEMA_TOO_NEW', async () => {
      const path = freshPath();
      await (await openSqliteReadModelStore({ path })).close();
      const raw = new Database(path);
      raw.prepare("UPDATE rm_meta SET value = '99' WHERE key = 'schema_version'").run();
      raw.close();
      const err = await openError({ path });
      expect(err.code).toBe('SCHEMA_TOO_NEW');
      expect(err.message).toContain(path);
    });

    it('uses WAL journaling', async () => {
      const path = freshPath();
      const store = await openSqliteReadModelStore({ path });
      const raw = new Database(path, { readonly: true });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      raw.close();
      await store.close();
    });
  });

  describe('read-only connection next to the writer', () => {
    it('sees the writer’s commits as they land, with generation changing, and refuses writes', async () => {
      const path = freshPath();
      const writer = await openSqliteReadModelStore({ path });
      await writer.commit(batch('1', { vehicles: [vehicleRow('V-1', 'C-A')] }));
      const reader = await openSqliteReadModelStore({ path, readonly: true });
      try {
        expect(await reader.checkpoint()).toBe('1');
        const g1 = await reader.generation();
        expect(await reader.generation()).toBe(g1);
        await writer.commit(batch('2', { vehicles: [vehicleRow('V-2', 'C-B')], violations: [violationRow('X-1')] }));
        expect(await reader.generation()).not.toBe(g1);
        expect(await reader.checkpoint()).toBe('2');
        expect((await reader.fleet({ scope: { carrierId: 'C-B' }, limit: 10 })).items.map((v) => v.vehicleId)).toEqual(['V-2']);
        expect((await reader.sizes()).openViolations).toBe(1);
        for (const write of [reader.commit(batch('3')), reader.reset()]) {
          const err = await write.then(
            () => undefined,
            (e: unknown) => e,
          );
          expect((err as ReadModelError).code).toBe('READ_ONLY');
        }
        expect(await writer.checkpoint()).toBe('2');
      } finally {
        await reader.close();
        await writer.close();
      }
    });

    it('opens a store whose writer has closed (no WAL files left)', async () => {
      const path = freshPath();
      const writer = await openSqliteReadModelStore({ path });
      await writer.commit(batch('7', { vehicles: [vehicleRow('V-1', 'C-A')] }));
      await writer.close();
      const reader = await openSqliteReadModelStore({ path, readonly: true });
      expect(await reader.checkpoint()).toBe('7');
      expect((await reader.vehicle('V-1', ALL))?.carrierId).toBe('C-A');
      await reader.close();
    });
  });

  describe('atomic commits', () => {
    it('a constraint failure mid-batch rolls the whole batch back: rows, zones, engine state and checkpoint unchanged', async () => {
      const path = freshPath();
      const store = await openSqliteReadModelStore({ path });
      await store.commit(batch('1', { vehicles: [vehicleRow('V-0', 'C-A', { waybillNo: 'WB-1' })], engineState: new Map([['k', 'one']]) }));
      // Row 250 of 300 breaks NOT NULL after two full chunks have been written inside the transaction.
      const vehicles = Array.from({ length: 300 }, (_, i) => vehicleRow(`V-${i}`, 'C-A', { waybillNo: 'WB-2' }));
      vehicles[250] = { ...vehicles[250]!, vehicleId: null as unknown as string };
      await expect(store.commit(batch('2', { vehicles, engineState: new Map([['k', 'two']]) }))).rejects.toThrow(/NOT NULL/);
      expect(await store.checkpoint()).toBe('1');
      expect(await store.sizes()).toMatchObject({ vehicles: 1 });
      expect((await store.vehicle('V-0', ALL))?.waybillNo).toBe('WB-1');
      expect((await store.engineState()).get('k')).toBe('one');
      // The connection is not left inside a transaction: the next batch commits normally.
      await store.commit(batch('3', { vehicles: [vehicleRow('V-9', 'C-A')] }));
      expect(await store.checkpoint()).toBe('3');
      await store.close();
    });

    it('a projector killed (SIGKILL) mid-commit leaves the store at its last whole batch', async () => {
      const path = freshPath();
      let midCommit = 0;
      let kills = 0;
      let next = 0;
      while (kills < 2 || (midCommit === 0 && kills < 8)) {
        const child = runCommitter(path, 3_000, 'forever', next);
        await child.printed(`E${next + 1}`);
        await new Promise((resolve) => setTimeout(resolve, 50 + ((kills * 97) % 300)));
        child.kill();
        expect(await child.closed).toBe('SIGKILL');
        kills++;
        const lines = child.stdout().trim().split('\n');
        const last = lines[lines.length - 1] ?? '';
        if (last.startsWith('B')) midCommit++;
        const lastCommitted = Number([...lines].reverse().find((l) => l.startsWith('E'))!.slice(1));

        const store = await openSqliteReadModelStore({ path });
        const checkpoint = Number(await store.checkpoint());
        // The commit in flight when killed either landed whole or not at all.
        expect([lastCommitted, lastCommitted + 1]).toContain(checkpoint);
        expect([...(await batchesSeen(store))]).toEqual([`WB-${checkpoint}`]);
        expect((await store.engineState()).get('batch')).toBe(String(checkpoint));
        expect((await store.sizes()).vehicles).toBe(3_000);
        await store.close();
        next = checkpoint + 1;
      }
      expect(midCommit).toBeGreaterThan(0);
      const raw = new Database(path, { readonly: true });
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      raw.close();
    });
  });

  it('another process’s commits are seen by a reader here, never torn, and move generation', async () => {
    const path = freshPath();
    const seed = await openSqliteReadModelStore({ path });
    await seed.commit(batch('0', { vehicles: Array.from({ length: 2_000 }, (_, i) => vehicleRow(`V-${String(i).padStart(5, '0')}`, 'C-A', { waybillNo: 'WB-0' })) }));
    await seed.close();
    const reader = await openSqliteReadModelStore({ path, readonly: true });
    try {
      const g0 = await reader.generation();
      const child = runCommitter(path, 2_000, 30, 1);
      const generations = new Set<number>([g0]);
      let reads = 0;
      let done = false;
      void child.closed.finally(() => (done = true));
      while (!done) {
        const seen = await batchesSeen(reader);
        expect(seen.size).toBe(1);
        generations.add(await reader.generation());
        reads++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(await child.closed).toBe(0);
      expect(reads).toBeGreaterThan(1);
      expect(await reader.checkpoint()).toBe('30');
      expect([...(await batchesSeen(reader))]).toEqual(['WB-30']);
      expect(await reader.generation()).not.toBe(g0);
      expect(generations.size).toBeGreaterThan(1);
    } finally {
      await reader.close();
    }
  });

  it('queries use the indexes meant for them', () => {
    const path = freshPath();
    return openSqliteReadModelStore({ path }).then(async (store) => {
      await store.close();
      const raw = new Database(path, { readonly: true });
      const plan = (sql: string) => (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
      for (const table of ['rm_violations', 'rm_advisories']) {
        expect(plan(`SELECT json FROM ${table} WHERE status = 'open' ORDER BY started_ms DESC, id LIMIT 10`)).toContain(`${table}_open`);
        expect(plan(`SELECT json FROM ${table} WHERE carrier_id = 'C-A' ORDER BY started_ms DESC, id LIMIT 10`)).toContain(`${table}_by_carrier`);
        expect(plan(`SELECT json FROM ${table} WHERE vehicle_id = 'V-1' ORDER BY started_ms DESC, id LIMIT 10`)).toContain(`${table}_by_vehicle`);
        expect(plan(`SELECT json FROM ${table} ORDER BY started_ms DESC, id LIMIT 10`)).not.toContain('TEMP B-TREE');
      }
      expect(plan("SELECT json FROM rm_vehicles WHERE carrier_id = 'C-A' ORDER BY vehicle_id LIMIT 10")).toContain('rm_vehicles_by_carrier');
      raw.close();
    });
  });
});
