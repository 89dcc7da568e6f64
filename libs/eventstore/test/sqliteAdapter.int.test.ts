import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.ts';
import { EventStoreError } from '../src/errors.ts';
import { openSqliteEventStore } from '../src/sqlite/sqliteEventStore.ts';
import { collect } from './contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-eventstore-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const crashAppender = fileURLToPath(new URL('./fixtures/crashAppender.ts', import.meta.url));

function fix(eventId: string, vehicleId = 'V1') {
  return { eventId, type: 'VehiclePositionReported', occurredAt: '2026-03-01T08:00:00+08:00', data: { vehicleId, lon: 121.4, lat: 28.6, speedKmh: 12 } };
}

const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });

function openError(path: string): EventStoreError {
  try {
    openSqliteEventStore({ path }).close();
  } catch (err) {
    return err as EventStoreError;
  }
  throw new Error(`opening ${path} did not fail`);
}

/**
 * Runs the appender child until it has committed a batch, SIGKILLs it `afterMs` later, and
 * tells whether the kill landed inside an append (last line `B<n>` without its `E<n>`).
 */
async function killDuringAppends(path: string, batchSize: number, afterMs: number): Promise<boolean> {
  const child = spawn(process.execPath, ['--import', 'tsx', crashAppender, path, String(batchSize)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('close', (code, signal) => resolve(signal ?? code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('E0')) resolve();
    });
    void closed.then((how) => reject(new Error(`appender exited early (${String(how)}): ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  child.kill('SIGKILL');
  expect(await closed).toBe('SIGKILL');
  const last = stdout.trim().split('\n').pop() ?? '';
  return last.startsWith('B');
}

describe('SQLite event store', () => {
  it('keeps every batch whole or absent when the appending process is killed', async () => {
    const path = join(dir, 'crash.sqlite');
    const batchSize = 2_000;
    let kills = 0;
    let midAppend = 0;
    while (kills < 3 || (midAppend === 0 && kills < 10)) {
      if (await killDuringAppends(path, batchSize, 100 + ((kills * 173) % 500))) midAppend++;
      kills++;
    }
    expect(midAppend).toBeGreaterThan(0);

    const raw = new Database(path);
    try {
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      const groups = raw
        .prepare("SELECT substr(event_id, 1, instr(event_id, '-e') - 1) AS batch, count(*) AS n FROM events GROUP BY batch")
        .all() as { batch: string; n: number }[];
      const total = raw.prepare('SELECT count(*) FROM events').pluck().get() as number;
      expect(groups.length).toBeGreaterThanOrEqual(3);
      // Every child committed at least one batch of its own.
      expect(new Set(groups.map((g) => g.batch.split('b')[0])).size).toBe(kills);
      expect(groups.filter((g) => g.n !== batchSize)).toEqual([]);
      expect(total % batchSize).toBe(0);
    } finally {
      raw.close();
    }
    // The store opens cleanly and revisions are contiguous per stream after the kills.
    const store = openSqliteEventStore({ path });
    const revisions = (await collect(store.readStream('vehicle-V0'))).map((e) => e.revision);
    expect(revisions).toEqual(revisions.map((_, i) => i));
    await store.close();
  });

  it('persists events across reopen and continues revisions and positions', async () => {
    const path = join(dir, 'nested', 'reopen.sqlite');
    const first = openSqliteEventStore({ path, clock: fixedClock('2026-03-01T00:00:00Z') });
    const r1 = await first.append('vehicle-V1', [fix('a'), fix('b')]);
    await first.close();

    const second = openSqliteEventStore({ path, clock: fixedClock('2026-03-02T00:00:00Z') });
    expect(await second.append('vehicle-V1', [fix('a')])).toMatchObject({ written: 0, skipped: 1 });
    const r2 = await second.append('vehicle-V1', [fix('c')], { expectedRevision: r1.nextExpectedRevision });
    expect(r2.nextExpectedRevision).toBe(2);
    const all = await collect(second.readAll());
    expect(all.map((e) => [e.event.eventId, e.revision, e.recordedAt])).toEqual([
      ['a', 0, '2026-03-01T00:00:00.000Z'],
      ['b', 1, '2026-03-01T00:00:00.000Z'],
      ['c', 2, '2026-03-02T00:00:00.000Z'],
    ]);
    expect(all[1]?.position).toBe(r1.position);
    await second.close();
  });

  it('reads a time window over many commits exactly as filtering every event would', async () => {
    const path = join(dir, 'window.sqlite');
    const store = openSqliteEventStore({ path, pageSize: 7 });
    // Deterministic pseudo-random fix times, so commits overlap the window partly, fully or not at all.
    let x = 12345;
    const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let b = 0; b < 60; b++) {
      const base = Date.parse('2026-03-01T00:00:00Z') + Math.floor(next() * 86_400_000);
      const events = Array.from({ length: 1 + Math.floor(next() * 9) }, (_, i) => ({
        ...fix(`w${b}-${i}`, `V${b % 5}`),
        occurredAt: new Date(base + Math.floor(next() * 3_600_000)).toISOString(),
      }));
      await store.append(`vehicle-V${b % 5}`, events);
    }
    const all = await collect(store.readAll());
    const from = '2026-03-01T09:00:00+08:00';
    const to = '2026-03-01T10:30:00Z';
    const inWindow = (e: (typeof all)[number]) => Date.parse(e.event.occurredAt) >= Date.parse(from) && Date.parse(e.event.occurredAt) < Date.parse(to);
    const expected = all.filter(inWindow).map((e) => e.event.eventId);
    expect(expected.length).toBeGreaterThan(10);
    expect(expected.length).toBeLessThan(all.length - 10);
    const read = await collect(store.readAll({ filter: { occurredFrom: from, occurredTo: to } }));
    expect(read.map((e) => e.event.eventId)).toEqual(expected);
    const resumed = await collect(store.readAll({ fromPosition: read[4]!.position, maxCount: 9, filter: { occurredFrom: from, occurredTo: to, streams: ['vehicle-V2'] } }));
    const expectedResumed = all.filter((e) => inWindow(e) && e.streamId === 'vehicle-V2' && Number(e.position) > Number(read[4]!.position)).slice(0, 9);
    expect(resumed.map((e) => e.event.eventId)).toEqual(expectedResumed.map((e) => e.event.eventId));
    await store.close();
  });

  it('reads named streams, merged across many refills, exactly as filtering the whole log would', async () => {
    const store = openSqliteEventStore({ path: join(dir, 'merge.sqlite'), pageSize: 5 });
    let x = 777;
    const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let b = 0; b < 120; b++) {
      const v = Math.floor(next() * 9);
      const events = Array.from({ length: 1 + Math.floor(next() * 6) }, (_, i) => ({ ...fix(`m${b}-${i}`, `V${v}`), occurredAt: new Date(Date.parse('2026-03-01T00:00:00Z') + b * 60_000 + i * 1000).toISOString() }));
      await store.append(`vehicle-V${v}`, events);
    }
    const all = await collect(store.readAll());
    for (const streams of [['vehicle-V1'], ['vehicle-V0', 'vehicle-V3', 'vehicle-V8', 'vehicle-none'], Array.from({ length: 9 }, (_, v) => `vehicle-V${v}`)]) {
      const wanted = new Set(streams);
      const expected = all.filter((e) => wanted.has(e.streamId));
      const read = await collect(store.readAll({ filter: { streams }, includeJson: true }));
      expect(read.map((e) => [e.position, e.streamId, e.revision, e.event.eventId])).toEqual(expected.map((e) => [e.position, e.streamId, e.revision, e.event.eventId]));
      const from = expected[Math.floor(expected.length / 3)]!.position;
      const resumed = await collect(store.readAll({ fromPosition: from, maxCount: 11, filter: { streams, occurredTo: '2026-03-01T01:30:00Z' } }));
      const expectedResumed = expected.filter((e) => Number(e.position) > Number(from) && Date.parse(e.event.occurredAt) < Date.parse('2026-03-01T01:30:00Z')).slice(0, 11);
      expect(resumed.map((e) => e.position)).toEqual(expectedResumed.map((e) => e.position));
    }
    await store.close();
  });

  it('uses WAL and records its schema version', async () => {
    const path = join(dir, 'wal.sqlite');
    await openSqliteEventStore({ path }).close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.prepare('SELECT version FROM dgt_eventstore_schema').pluck().get()).toBe(1);
    const indexes = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'").pluck().all();
    expect(indexes).toEqual(expect.arrayContaining(['events_by_stream', 'events_by_event_id']));
    raw.close();
  });

  it('delivers to a subscription the events another connection appends, by polling', async () => {
    const path = join(dir, 'two-writers.sqlite');
    const reader = openSqliteEventStore({ path, pollIntervalMs: 20 });
    const writer = openSqliteEventStore({ path });
    const sub = reader.subscribeAll();
    const it = sub[Symbol.asyncIterator]();
    const pending = it.next();
    await writer.append('vehicle-V9', [fix('from-elsewhere', 'V9')]);
    expect((await pending).value?.event.eventId).toBe('from-elsewhere');
    await sub.close();
    await Promise.all([reader.close(), writer.close()]);
  });

  describe('refuses files it cannot trust, naming the path', () => {
    it('a file that is not a SQLite database', () => {
      const path = join(dir, 'garbage.sqlite');
      writeFileSync(path, Buffer.alloc(8192, 0x5a));
      const err = openError(path);
      expect(err).toBeInstanceOf(EventStoreError);
      expect(err.code).toBe('STORE_UNREADABLE');
      expect(err.message).toContain(path);
      expect(readFileSync(path).every((b) => b === 0x5a)).toBe(true);
    });

    it('a SQLite database whose pages are corrupt, when verified on open', async () => {
      const path = join(dir, 'corrupt.sqlite');
      const store = openSqliteEventStore({ path });
      await store.append('vehicle-V1', Array.from({ length: 2_000 }, (_, i) => fix(`e${i}`)));
      await store.close();
      const bytes = readFileSync(path);
      bytes.fill(0xa5, 4096 * 3, 4096 * 6);
      writeFileSync(path, bytes);
      let err: unknown;
      try {
        const s = openSqliteEventStore({ path, verifyOnOpen: true });
        await collect(s.readAll());
        await s.close();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(EventStoreError);
      expect((err as EventStoreError).code).toBe('STORE_UNREADABLE');
      expect((err as Error).message).toContain(path);
    });

    it('a SQLite database of something else', () => {
      const path = join(dir, 'other.sqlite');
      const other = new Database(path);
      other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
      other.close();
      const err = openError(path);
      expect(err.code).toBe('STORE_UNREADABLE');
      expect(err.message).toContain(path);
      expect(err.message).toContain('not a dgt event store');
    });

    it('a store written by a newer schema version', async () => {
      const path = join(dir, 'newer.sqlite');
      await openSqliteEventStore({ path }).close();
      const raw = new Database(path);
      raw.prepare("INSERT INTO dgt_eventstore_schema (version, migrated_at) VALUES (99, '2030-01-01T00:00:00Z')").run();
      raw.close();
      const err = openError(path);
      expect(err.code).toBe('SCHEMA_TOO_NEW');
      expect(err.message).toContain(path);
    });

    it('a path that is a directory', () => {
      const path = join(dir, 'a-directory');
      mkdirSync(path);
      const err = openError(path);
      expect(err.code).toBe('STORE_UNREADABLE');
      expect(err.message).toContain(path);
    });
  });
});
