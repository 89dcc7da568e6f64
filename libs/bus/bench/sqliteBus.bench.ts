/**
 * The SQLite bus's send path with synchronous NORMAL and FULL: one producer, then BENCH_SENDERS
 * concurrent producers, each sending batches of BENCH_BATCH position-sized messages for BENCH_SECONDS. Prints messages/s,
 * transactions/s (group commit at work) and send latency, and two references measured in the same
 * run on the same disk: one fsync of a small write (what FULL adds per commit), and bare
 * better-sqlite3 single-message transactions (what a commit costs without group commit).
 *
 *   npm run bench -w @dgt/bus
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteBus, type BusSynchronous } from '../src/index.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 8);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const value = Buffer.from(`{"eventId":"bench-000000","type":"VehiclePositionReported","occurredAt":"2026-03-02T08:00:00.000Z","data":{"vehicleId":"浙J·A1234","lon":121.523456,"lat":28.701234,"speedKmh":42,"headingDeg":180}}`.padEnd(300, ' '));
const headers = { 'dgt-event-type': 'VehiclePositionReported', 'dgt-event-id': 'bench-000000', 'dgt-ingested-at': '2026-03-02T08:00:00.000Z' };

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

async function busRun(dir: string, synchronous: BusSynchronous, senders: number): Promise<void> {
  const bus = createSqliteBus({ path: join(dir, `bus-${synchronous}-${senders}.sqlite`), synchronous, pruneIntervalMs: 0 });
  await bus.ensureTopics([{ topic: 'positions', partitions: 6 }]);
  const latencies: number[] = [];
  const endAt = performance.now() + SECONDS * 1000;
  const started = performance.now();
  const before = bus.stats();
  await Promise.all(
    Array.from({ length: senders }, async (_, s) => {
      const producer = bus.producer();
      for (let n = 0; performance.now() < endAt; n++) {
        const messages = Array.from({ length: BATCH }, (_, i) => ({ key: `V${s}-${(n * BATCH + i) % 400}`, value, headers }));
        const sent = performance.now();
        await producer.send('positions', messages);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const after = bus.stats();
  await bus.close();
  latencies.sort((a, b) => a - b);
  const messages = after.messages - before.messages;
  const transactions = after.transactions - before.transactions;
  console.log(
    `  bus ${synchronous.padEnd(6)} ${String(senders).padStart(2)} sender${senders === 1 ? ' ' : 's'}: ${fmt(messages / elapsed)} messages/s, ${fmt(transactions / elapsed)} commits/s (${fmt(messages / Math.max(1, transactions))} messages, ${fmt(latencies.length / Math.max(1, transactions), 1)} sends per commit), send p50 ${fmt(percentile(latencies, 0.5), 2)} ms, p99 ${fmt(percentile(latencies, 0.99), 2)} ms`,
  );
}

function fsyncReference(dir: string): void {
  const fd = openSync(join(dir, 'fsync-probe'), 'w');
  const block = Buffer.alloc(4096, 1);
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    writeSync(fd, block);
    const t = performance.now();
    fsyncSync(fd);
    times.push(performance.now() - t);
  }
  closeSync(fd);
  times.sort((a, b) => a - b);
  console.log(`  reference: fsync of a 4 KiB append: p50 ${fmt(percentile(times, 0.5), 3)} ms, p99 ${fmt(percentile(times, 0.99), 3)} ms`);
}

function bareCommits(dir: string, synchronous: BusSynchronous): void {
  const db = new Database(join(dir, `bare-${synchronous}.sqlite`));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec('CREATE TABLE log (offset INTEGER PRIMARY KEY, key TEXT, value BLOB)');
  const insert = db.prepare('INSERT INTO log (offset, key, value) VALUES (?, ?, ?)');
  const one = db.transaction((n: number) => insert.run(n, 'k', value));
  const endAt = performance.now() + Math.min(SECONDS, 3) * 1000;
  const started = performance.now();
  let n = 0;
  while (performance.now() < endAt) one(n++);
  const elapsed = (performance.now() - started) / 1000;
  db.close();
  console.log(`  reference: bare better-sqlite3, one message per transaction, ${synchronous.padEnd(6)}: ${fmt(n / elapsed)} commits/s`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dgt-bus-bench-'));
  try {
    console.log(`sqlite bus bench: 1 and ${SENDERS} senders × batches of ${BATCH} (${value.length}-byte values, 3 headers), ${SECONDS} s each; ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${dir}`);
    fsyncReference(dir);
    for (const sync of ['NORMAL', 'FULL'] as const) bareCommits(dir, sync);
    for (const senders of [1, SENDERS]) for (const sync of ['NORMAL', 'FULL'] as const) await busRun(dir, sync, senders);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
