/**
 * SQLite adapter throughput on ≥ 1M position events, against raw better-sqlite3 on the same
 * rows, same schema, same run. Targets: append ≥ 150k events/s, readAll ≥ 500k events/s,
 * each ≥ 0.5 × raw.   Run: npm run bench -w @dgt/eventstore  (EVENTS=… BATCH=… to vary)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '@dgt/events';
import Database from 'better-sqlite3';
import type { EventEnvelope } from '../src/port.ts';
import { openSqliteEventStore } from '../src/sqlite/sqliteEventStore.ts';

const EVENTS = Number(process.env.EVENTS ?? 1_000_000);
const BATCH = Number(process.env.BATCH ?? 500);
const VEHICLES = 1_000;
const READ_ROUNDS = 3;
/** Ids as the recorder derives them (device + fix time); RANDOM_IDS=1 for random UUIDs, the index's worst case. */
const RANDOM_IDS = process.env.RANDOM_IDS === '1';
const BATCHES = Math.ceil(EVENTS / BATCH);
const T0 = Date.parse('2026-03-01T00:00:00Z');

/** One vehicle's next `BATCH` fixes (10 s apart), as the recorder would append them. */
function batch(b: number): { stream: string; events: EventEnvelope[] } {
  const vehicleId = `浙J${String(10_000 + (b % VEHICLES))}`;
  const round = Math.floor(b / VEHICLES);
  const events: EventEnvelope[] = [];
  for (let i = 0; i < BATCH; i++) {
    const t = T0 + (round * BATCH + i) * 10_000;
    events.push({
      eventId: RANDOM_IDS ? randomUUID() : `jt808:${vehicleId}:${t}`,
      type: 'VehiclePositionReported',
      occurredAt: new Date(t).toISOString().replace('Z', '+00:00'),
      schemaVersion: 1,
      data: { vehicleId, lon: 121.42 + i * 1e-5, lat: 28.65 + i * 1e-5, speedKmh: (i * 7) % 90, headingDeg: (i * 13) % 360 },
      meta: { source: 'jt808', terminalId: `0138${b % VEHICLES}` },
    });
  }
  return { stream: `vehicle-${vehicleId}`, events };
}

function rate(n: number, ms: number): number {
  return Math.round((n / ms) * 1000);
}

function fileMb(path: string): number {
  let bytes = 0;
  for (const p of [path, `${path}-wal`]) if (existsSync(p)) bytes += statSync(p).size;
  return bytes / 1024 / 1024;
}

const dir = mkdtempSync(join(tmpdir(), 'dgt-eventstore-bench-'));
try {
  const storePath = join(dir, 'store.sqlite');
  const rawPath = join(dir, 'raw.sqlite');
  // Same schema and pragmas for the reference: created by the store, then used directly.
  await openSqliteEventStore({ path: rawPath }).close();

  const store = openSqliteEventStore({ path: storePath });
  const raw = new Database(rawPath);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('cache_size = -65536');
  const insert = raw.prepare('INSERT INTO events (stream_id, revision, event_id, type, occurred_ms, recorded_at, json) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertBatch = raw.transaction((stream: string, rows: [string, number, string][], firstRevision: number, recordedAt: string) => {
    let revision = firstRevision;
    for (const [eventId, occurredMs, json] of rows) insert.run(stream, revision++, eventId, 'VehiclePositionReported', occurredMs, recordedAt, json);
  });

  let storeMs = 0;
  let rawMs = 0;
  const revisions = new Map<string, number>();
  for (let b = 0; b < BATCHES; b++) {
    const { stream, events } = batch(b);
    // The raw path gets rows already serialised: it measures SQLite alone.
    const rows = events.map((e): [string, number, string] => [e.eventId, Date.parse(e.occurredAt), canonicalJson(e)]);
    const recordedAt = new Date().toISOString();
    const first = revisions.get(stream) ?? 0;

    let t = performance.now();
    await store.append(stream, events);
    storeMs += performance.now() - t;

    t = performance.now();
    insertBatch(stream, rows, first, recordedAt);
    rawMs += performance.now() - t;
    revisions.set(stream, first + events.length);
  }
  const total = BATCHES * BATCH;

  // Reads are repeatable: alternate raw and store, keep the best of each (the machine is shared).
  let rawReadMs = Number.POSITIVE_INFINITY;
  let storeReadMs = Number.POSITIVE_INFINITY;
  let inlineReadMs = Number.POSITIVE_INFINITY;
  // Worker reads add, inline reads subtract: 0 when both returned the same fixes.
  let speedSum = 0;
  // The same file without read-ahead: what the worker thread buys (a second core, when there is one idle).
  const inlineStore = openSqliteEventStore({ path: storePath, readAhead: 'inline' });
  const selectAll = raw.prepare('SELECT position, stream_id, revision, recorded_at, json FROM events ORDER BY position').raw();
  for (let round = 0; round < READ_ROUNDS; round++) {
    let t = performance.now();
    let rawRead = 0;
    for (const row of selectAll.iterate()) if (row) rawRead++;
    rawReadMs = Math.min(rawReadMs, performance.now() - t);

    t = performance.now();
    let storeRead = 0;
    for await (const e of store.readAll()) {
      storeRead++;
      speedSum += (e.event.data as { speedKmh: number }).speedKmh;
    }
    storeReadMs = Math.min(storeReadMs, performance.now() - t);

    t = performance.now();
    let inlineRead = 0;
    for await (const e of inlineStore.readAll()) {
      inlineRead++;
      speedSum -= (e.event.data as { speedKmh: number }).speedKmh;
    }
    inlineReadMs = Math.min(inlineReadMs, performance.now() - t);
    if (storeRead !== total || rawRead !== total || inlineRead !== total) throw new Error(`read ${storeRead}/${rawRead}/${inlineRead} of ${total} events`);
  }

  await store.close();
  await inlineStore.close();
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();

  const appendRate = rate(total, storeMs);
  const rawAppendRate = rate(total, rawMs);
  const readRate = rate(total, storeReadMs);
  const rawReadRate = rate(total, rawReadMs);
  const inlineReadRate = rate(total, inlineReadMs);
  const mbPerMillion = (fileMb(storePath) / total) * 1_000_000;
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} CPUs; reads: best of ${READ_ROUNDS}`);
  console.log(`SQLite event store, ${total.toLocaleString('en')} position events, ${BATCH} per append, ${VEHICLES} vehicle streams, ${RANDOM_IDS ? 'random UUID' : 'device+time'} event ids (checksum ${speedSum})`);
  console.table({
    append: { 'events/s': appendRate, 'raw events/s': rawAppendRate, ratio: +(appendRate / rawAppendRate).toFixed(2), target: '≥150k, ≥0.5', verdict: verdict(appendRate >= 150_000 && appendRate / rawAppendRate >= 0.5) },
    readAll: { 'events/s': readRate, 'raw events/s': rawReadRate, ratio: +(readRate / rawReadRate).toFixed(2), target: '≥500k, ≥0.5', verdict: verdict(readRate >= 500_000 && readRate / rawReadRate >= 0.5) },
    'readAll inline': { 'events/s': inlineReadRate, 'raw events/s': rawReadRate, ratio: +(inlineReadRate / rawReadRate).toFixed(2), target: '(worker/inline ' + (readRate / inlineReadRate).toFixed(2) + ')', verdict: '' },
  });
  console.log(`database size: ${mbPerMillion.toFixed(0)} MB per million events (raw reference: ${((fileMb(rawPath) / total) * 1_000_000).toFixed(0)} MB)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
