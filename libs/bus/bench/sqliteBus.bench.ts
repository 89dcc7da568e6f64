/**
 * The SQLite bus's send path with synchronous NORMAL and FULL: one producer, then BENCH_SENDERS
 * concurrent producers, each sending batches of BENCH_BATCH position-sized messages for BENCH_SECONDS. Prints messages/s,
 * transactions/s (group commit at work) and send latency, and two references measured in the same
 * run on the same disk: one fsync of a small write (what FULL adds per commit), and bare
 * better-sqlite3 single-message transactions (what a commit costs without group commit).
 * Last, consume right after produce (the stack's recorder): one sender, and a consumer that reads
 * each batch as soon as its send committed, with the committed tail on (default budget) and off
 * (`tailBytes: 0`), interleaved in BENCH_TAIL_ROUNDS rounds of one second each. It reports process
 * CPU per message of the whole cycle and, less a produce-only run of the same rounds, of the
 * consumer alone; medians over the rounds, and the tail-on/tail-off ratio. Then the read alone
 * (SqliteLog.read of just-committed batches), tail on and off, without the rest of the bus.
 *
 *   npm run bench -w @dgt/bus
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteBus, type BusSynchronous, type SqliteBus } from '../src/index.ts';
import { openBusDatabase } from '../src/sqlite/openBusDatabase.ts';
import { SqliteLog } from '../src/sqlite/sqliteLog.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 8);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const TAIL_ROUNDS = Number(process.env.BENCH_TAIL_ROUNDS ?? 7);

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

/** A bus with one producer and, unless `consume` is false, one consumer group reading everything sent. */
interface Pipe {
  readonly bus: SqliteBus;
  send(): Promise<void>;
}

async function openPipe(dir: string, name: string, tailBytes: number, consume: boolean): Promise<Pipe> {
  const bus = createSqliteBus({ path: join(dir, `pipe-${name}.sqlite`), pruneIntervalMs: 0, tailBytes });
  await bus.ensureTopics([{ topic: 'positions', partitions: 6 }]);
  const producer = bus.producer();
  let sent = 0;
  let seen = 0;
  let caughtUp: (() => void) | undefined;
  if (consume) {
    await bus.consumer({ groupId: 'recorder' }).run({
      topics: ['positions'],
      eachBatch: async (b) => {
        // Touch what a recorder touches: every value and header.
        for (const m of b.messages) if (m.value.length === 0 || m.headers['dgt-event-id'] === undefined) throw new Error('bad message');
        seen += b.messages.length;
        if (seen >= sent) caughtUp?.();
      },
    });
  }
  let n = 0;
  return {
    bus,
    send: async () => {
      const messages = Array.from({ length: BATCH }, (_, i) => ({ key: `V${(n * BATCH + i) % 400}`, value, headers }));
      n++;
      sent += BATCH;
      const consumed = consume ? new Promise<void>((resolve) => (caughtUp = resolve)) : Promise.resolve();
      await producer.send('positions', messages);
      await consumed;
    },
  };
}

/** Process CPU (user + system) per message, in µs, of send-then-consume cycles for `ms`. */
async function cpuPerMessage(pipe: Pipe, ms: number): Promise<number> {
  const before = process.cpuUsage();
  const endAt = performance.now() + ms;
  let messages = 0;
  while (performance.now() < endAt) {
    await pipe.send();
    messages += BATCH;
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / messages;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function consumeRightAfterProduce(dir: string): Promise<void> {
  const pipes = {
    off: await openPipe(dir, 'tail-off', 0, true),
    on: await openPipe(dir, 'tail-on', 32 * 1024 * 1024, true),
    produceOnly: await openPipe(dir, 'produce-only', 0, false),
  };
  const samples = { off: [] as number[], on: [] as number[], produceOnly: [] as number[] };
  // Warm-up (JIT, page cache), then rounds interleaved so that load from elsewhere hits all alike.
  for (const pipe of Object.values(pipes)) await cpuPerMessage(pipe, 300);
  for (let r = 0; r < TAIL_ROUNDS; r++) for (const k of ['off', 'on', 'produceOnly'] as const) samples[k].push(await cpuPerMessage(pipes[k], 1000));
  for (const pipe of Object.values(pipes)) await pipe.bus.close();
  const [off, on, produce] = [median(samples.off), median(samples.on), median(samples.produceOnly)];
  // Rounds next to each other in time saw the same load: the median of their ratios is steadier than a ratio of medians.
  const totalRatio = median(samples.on.map((x, i) => x / samples.off[i]!));
  const consumerRatio = median(samples.on.map((x, i) => (x - samples.produceOnly[i]!) / (samples.off[i]! - samples.produceOnly[i]!)));
  console.log(`  consume right after produce, 1 sender × ${BATCH}, ${TAIL_ROUNDS} rounds of 1 s (medians; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}):`);
  console.log(`    produce + consume: tail off ${fmt(off, 2)} µs CPU/message, tail on ${fmt(on, 2)} µs (on/off ${fmt(on / off, 2)}; median of per-round ratios ${fmt(totalRatio, 2)})`);
  console.log(`    consumer alone (less produce-only ${fmt(produce, 2)} µs): tail off ${fmt(off - produce, 2)} µs, tail on ${fmt(on - produce, 2)} µs (on/off ${fmt((on - produce) / (off - produce), 2)}; median of per-round ratios ${fmt(consumerRatio, 2)})`);
  console.log(`    per round, off / on / produce-only: ${samples.off.map((x, i) => `${fmt(x, 1)}/${fmt(samples.on[i]!, 1)}/${fmt(samples.produceOnly[i]!, 1)}`).join('  ')}`);
}

/** The read alone (SqliteLog.read of 500-message batches just committed), tail on and off, alternating: no producer, no handler. */
function readOnly(dir: string): void {
  const samples = { off: [] as number[], on: [] as number[] };
  for (let r = 0; r < 6; r++) {
    for (const [k, tailBytes] of [['off', 0], ['on', 32 * 1024 * 1024]] as const) {
      const db = openBusDatabase(join(dir, `read-${k}-${r}.sqlite`), 'NORMAL');
      const log = new SqliteLog(db, { tailBytes });
      log.ensure([{ topic: 't', partitions: 1 }]);
      const rows = log.prepare('t', Array.from({ length: 20_000 }, (_, i) => ({ key: `V${i % 400}`, value, headers })));
      db.transaction(() => {
        log.append(rows, Date.now());
        log.writeBounds();
      })();
      log.publish();
      const before = process.cpuUsage();
      let n = 0;
      for (let pass = 0; pass < 10; pass++) for (let from = 0; from < 20_000; from += BATCH) n += log.read({ topic: 't', partition: 0 }, from, BATCH).length;
      const used = process.cpuUsage(before);
      samples[k].push((used.user + used.system) / n);
      db.close();
    }
  }
  const [off, on] = [median(samples.off), median(samples.on)];
  console.log(`    read alone (SqliteLog.read, batches of ${BATCH}, 6 alternating rounds): tail off ${fmt(off, 2)} µs CPU/message, tail on ${fmt(on, 2)} µs (on/off ${fmt(on / off, 2)})`);
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
    await consumeRightAfterProduce(dir);
    readOnly(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
