import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSqliteBus, partitionForKey, type OutgoingHeaders, type OutgoingMessage, type ReceivedMessage, type SqliteBus } from '../src/index.ts';
import { CommittedOffsets } from '../src/sqlite/committedOffsets.ts';
import { ROW_OVERHEAD_BYTES } from '../src/sqlite/committedTail.ts';
import type { GroupCommit } from '../src/sqlite/groupCommit.ts';
import { openLogWriter } from '../src/sqlite/logWriter.ts';
import { openBusDatabase, type Db } from '../src/sqlite/openBusDatabase.ts';
import { prune } from '../src/sqlite/retention.ts';
import { ROWS_PER_INSERT, SqliteLog } from '../src/sqlite/sqliteLog.ts';

const dirs: string[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function busFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dgt-sqlite-tail-'));
  dirs.push(dir);
  return join(dir, 'bus.sqlite');
}

const TOPICS = [
  { topic: 'a', partitions: 3 },
  { topic: 'b', partitions: 1 },
];
const NOW = Date.parse('2026-03-02T08:00:00Z');

/**
 * A SqliteLog wired to the writer, the committed offsets and retention exactly as the bus wires
 * them (sqliteBus.ts), so a test can read any partition at any offset and make a transaction fail.
 */
class WiredLog {
  readonly db: Db;
  readonly log: SqliteLog;
  private readonly offsets: CommittedOffsets;
  private readonly writer: GroupCommit;

  constructor(path: string, tailBytes: number) {
    this.db = openBusDatabase(path, 'NORMAL');
    this.log = new SqliteLog(this.db, { tailBytes });
    this.offsets = new CommittedOffsets(this.db, () => NOW);
    this.writer = openLogWriter(this.db, this.log, this.offsets, { windowMs: 0, maxMessagesPerTransaction: 16_384 });
    this.log.ensure(TOPICS);
  }

  send(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    const rows = this.log.prepare(topic, messages);
    return this.writer.submit(() => this.log.append(rows, NOW), messages.length);
  }

  /** A write that fails inside the transaction: everything else in it is rolled back. */
  failTransaction(): Promise<void> {
    return this.writer.submit(() => {
      throw new Error('disk full');
    });
  }

  /** The retained group 'recorder' commits `next`; retention then deletes below it (once in the file). */
  async commitAndPrune(topic: string, partition: number, next: number): Promise<void> {
    this.offsets.queue('recorder', { topic, partition }, next);
    await this.writer.submit(() => {});
    await this.writer.submit(() => {
      prune(this.db, this.log, this.offsets, { retain: [{ groupId: 'recorder', topics: TOPICS.map((t) => t.topic) }], retentionMs: Infinity, offsetsRetentionMs: Infinity, maxDeletesPerPartition: 20_000 }, new Map(), NOW);
    });
  }

  close(): void {
    this.writer.close();
    this.writer.flush(true);
    this.db.close();
  }
}

function wiredLog(tailBytes: number): WiredLog {
  const wired = new WiredLog(busFile(), tailBytes);
  cleanups.push(() => wired.close());
  return wired;
}

const headerName = fc.string({ unit: 'binary', maxLength: 6 });
const headerValue = fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b)));
const headers: fc.Arbitrary<OutgoingHeaders | undefined> = fc.oneof(fc.constant(undefined), fc.constant({}), fc.dictionary(headerName, headerValue, { maxKeys: 3 }));
/** Keys include lone surrogates: SQLite stores text as UTF-8 and gives back replacement characters. */
const surrogateUnit = fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c));
const key = fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ unit: surrogateUnit, maxLength: 3 }));
const message: fc.Arbitrary<OutgoingMessage> = fc.record(
  {
    key,
    value: fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b))),
    headers,
  },
  { requiredKeys: ['key', 'value'] },
);
const topicName = fc.constantFrom(...TOPICS.map((t) => t.topic));
const send = fc.record({ topic: topicName, messages: fc.array(message, { minLength: 1, maxLength: 12 }) });

type Op =
  /** Sends issued in one event-loop turn share a transaction; `fail` makes that transaction roll back. */
  | { kind: 'transaction'; sends: { topic: string; messages: OutgoingMessage[] }[]; fail: boolean }
  | { kind: 'prune'; topic: string; partition: number; at: number }
  | { kind: 'read'; topic: string; partition: number; at: number; max: number };

const partition = fc.nat(2);
/** A position as a fraction of the partition's end, a little below 0 and past the end included. */
const at = fc.double({ min: -0.1, max: 1.1, noNaN: true });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('transaction' as const), sends: fc.array(send, { minLength: 1, maxLength: 3 }), fail: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('prune' as const), topic: topicName, partition, at: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('read' as const), topic: topicName, partition, at, max: fc.integer({ min: 0, max: 30 }) }) },
);

/** Applies `op` to every log alike; a transaction that fails must fail on all of them. */
async function apply(logs: readonly WiredLog[], op: Op): Promise<void> {
  if (op.kind === 'transaction') {
    const outcomes = await Promise.all(
      logs.map((l) => {
        const sends = op.sends.map((s) => l.send(s.topic, s.messages));
        if (op.fail) sends.push(l.failTransaction());
        return Promise.allSettled(sends).then((settled) => settled.map((s) => s.status));
      }),
    );
    for (const outcome of outcomes) expect(outcome.every((s) => s === (op.fail ? 'rejected' : 'fulfilled'))).toBe(true);
  } else if (op.kind === 'prune') {
    for (const l of logs) {
      const tp = { topic: op.topic, partition: op.partition % l.log.partitionCount(op.topic) };
      const start = l.log.startOffset(tp);
      await l.commitAndPrune(tp.topic, tp.partition, start + Math.floor(op.at * (l.log.endOffset(tp) - start)));
    }
  }
}

function readAll(logs: readonly WiredLog[], op: Extract<Op, { kind: 'read' }>): ReceivedMessage[][] {
  return logs.map((l) => {
    const tp = { topic: op.topic, partition: op.partition % l.log.partitionCount(op.topic) };
    const from = Math.floor(op.at * l.log.endOffset(tp));
    return l.log.read(tp, from, op.max);
  });
}

describe('SQLite bus: committed tail in memory', () => {
  it('answers every read exactly as the file does, through commits, rollbacks, retention and eviction', async () => {
    let tailHits = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(1, 300, 2_000, 1 << 20), fc.array(op, { minLength: 1, maxLength: 40 }), async (budget, ops) => {
        const fileOnly = new WiredLog(busFile(), 0);
        const tailed = new WiredLog(busFile(), budget);
        try {
          for (const o of ops) {
            await apply([fileOnly, tailed], o);
            if (o.kind === 'read') {
              const [expected, actual] = readAll([fileOnly, tailed], o);
              expect(actual).toEqual(expected);
            }
            expect(tailed.log.tailStats().bytes).toBeLessThanOrEqual(budget);
          }
          // Every partition read from its start and from the middle, also after the sequence.
          for (const { topic, partitions } of TOPICS) {
            for (let p = 0; p < partitions; p++) {
              for (const where of [0, 0.5, 0.9]) {
                const [expected, actual] = readAll([fileOnly, tailed], { kind: 'read', topic, partition: p, at: where, max: 1000 });
                expect(actual).toEqual(expected);
              }
            }
          }
          expect(fileOnly.log.tailStats().hits).toBe(0);
          tailHits += tailed.log.tailStats().hits;
        } finally {
          fileOnly.close();
          tailed.close();
        }
      }),
      { numRuns: 150 },
    );
    // The property is not vacuous: the tail answered reads, not just the file.
    expect(tailHits).toBeGreaterThan(100);
  }, 120_000);

  it('writes a send longer than one multi-row insert in send order per partition, offsets consecutive, the file and the tail alike', async () => {
    const fileOnly = wiredLog(0);
    const tailed = wiredLog(1 << 20);
    // 2.5 inserts' worth on some partitions, two sends sharing one transaction, lone-surrogate keys among them.
    const keyOf = (i: number): string => (i % 37 === 0 ? `k\ud800${i % 5}` : `k${i % 11}`);
    const first = Array.from({ length: ROWS_PER_INSERT * 5 + 17 }, (_, i) => ({ key: keyOf(i), value: `v${i}`, headers: { i: String(i) } }));
    const second = Array.from({ length: ROWS_PER_INSERT + 3 }, (_, i) => ({ key: keyOf(i + 7), value: `w${i}` }));
    for (const l of [fileOnly, tailed]) await Promise.all([l.send('a', first), l.send('a', second)]);
    for (let p = 0; p < 3; p++) {
      const expected = [...first, ...second].filter((m) => partitionForKey(m.key, 3) === p).map((m) => m.value);
      expect(expected.length).toBeGreaterThan(ROWS_PER_INSERT);
      const [fromFile, fromTail] = readAll([fileOnly, tailed], { kind: 'read', topic: 'a', partition: p, at: 0, max: 10_000 });
      expect(fromTail).toEqual(fromFile);
      expect(fromFile!.map((m) => m.value.toString())).toEqual(expected);
      expect(fromFile!.map((m) => m.offset)).toEqual(expected.map((_, i) => String(i)));
      expect(fileOnly.log.endOffset({ topic: 'a', partition: p })).toBe(expected.length);
    }
    expect(tailed.log.tailStats().hits).toBeGreaterThan(0);
  });

  it('serves a read right after the commit from memory, and a read below its first offset from the file', async () => {
    const path = busFile();
    const wired = new WiredLog(path, 1 << 20);
    await wired.send('b', Array.from({ length: 10 }, (_, i) => ({ key: 'k', value: `v${i}`, headers: { n: String(i) } })));
    const recent = wired.log.read({ topic: 'b', partition: 0 }, 4, 3);
    expect(recent.map((m) => [m.offset, m.value.toString(), m.headers.n?.toString()])).toEqual([
      ['4', 'v4', '4'],
      ['5', 'v5', '5'],
      ['6', 'v6', '6'],
    ]);
    expect(wired.log.tailStats()).toMatchObject({ hits: 1, misses: 0, messages: 10 });

    // Reopened, the tail starts empty at the log's end: older messages come from the file.
    wired.close();
    const reopened = new WiredLog(path, 1 << 20);
    cleanups.push(() => reopened.close());
    expect(reopened.log.read({ topic: 'b', partition: 0 }, 8, 5).map((m) => m.value.toString())).toEqual(['v8', 'v9']);
    expect(reopened.log.tailStats()).toMatchObject({ hits: 0, misses: 1, messages: 0 });
  });

  it('never shows a message of a transaction that rolled back, and reuses its offsets', async () => {
    const wired = wiredLog(1 << 20);
    await wired.send('b', [{ key: 'k', value: 'kept' }]);
    const lost = wired.send('b', [{ key: 'k', value: 'rolled back' }]);
    await expect(Promise.all([lost, wired.failTransaction()])).rejects.toThrow('disk full');
    expect(wired.log.read({ topic: 'b', partition: 0 }, 0, 10).map((m) => m.value.toString())).toEqual(['kept']);
    await wired.send('b', [{ key: 'k', value: 'next' }]);
    expect(wired.log.read({ topic: 'b', partition: 0 }, 0, 10).map((m) => [m.offset, m.value.toString()])).toEqual([
      ['0', 'kept'],
      ['1', 'next'],
    ]);
  });

  it('keeps within its budget by dropping the oldest messages of the largest partitions first', async () => {
    const perMessage = ROW_OVERHEAD_BYTES + 1 + 100;
    const wired = wiredLog(20 * perMessage);
    // 'a' has three partitions: keys k0..k2 spread over them; 'b' gets a few.
    const big = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `${i % 3}`, value: Buffer.alloc(100, i) }));
    await wired.send('b', big(4));
    for (let i = 0; i < 5; i++) await wired.send('a', big(30));
    const stats = wired.log.tailStats();
    expect(stats.bytes).toBeLessThanOrEqual(20 * perMessage);
    expect(stats.messages).toBe(stats.bytes / perMessage);
    // The quiet partition keeps its 4 messages: the busy ones paid for the budget.
    wired.log.read({ topic: 'b', partition: 0 }, 0, 10);
    expect(wired.log.tailStats().hits).toBe(stats.hits + 1);
    // A single message larger than the whole budget is not kept, and is still read from the file.
    await wired.send('b', [{ key: 'x', value: Buffer.alloc(30 * perMessage, 7) }]);
    expect(wired.log.tailStats().bytes).toBeLessThanOrEqual(20 * perMessage);
    expect(wired.log.read({ topic: 'b', partition: 0 }, 4, 1)[0]?.value).toEqual(Buffer.alloc(30 * perMessage, 7));
  });

  it('drops what retention deleted, so a read below the new start reads on from it as before', async () => {
    const wired = wiredLog(1 << 20);
    await wired.send('b', Array.from({ length: 10 }, (_, i) => ({ key: 'k', value: `v${i}` })));
    await wired.commitAndPrune('b', 0, 6);
    expect(wired.log.startOffset({ topic: 'b', partition: 0 })).toBe(6);
    expect(wired.log.tailStats().messages).toBe(4);
    expect(wired.log.read({ topic: 'b', partition: 0 }, 2, 3).map((m) => m.offset)).toEqual(['6', '7', '8']);
  });

  it('hands every read fresh buffers: a handler mutating a value or header changes no redelivery', async () => {
    const bus: SqliteBus = createSqliteBus({ path: busFile(), pruneIntervalMs: 0 });
    cleanups.push(() => bus.close());
    await bus.ensureTopics([{ topic: 't', partitions: 1 }]);
    const deliveries: string[][] = [];
    let attempts = 0;
    const consumer = bus.consumer({ groupId: 'g', retryBackoffMs: 10 });
    await consumer.run({
      topics: ['t'],
      eachBatch: async (b) => {
        deliveries.push(b.messages.map((m) => `${m.value.toString()}|${m.headers.h?.toString()}`));
        for (const m of b.messages) {
          m.value.fill(0x21);
          m.headers.h?.fill(0x21);
        }
        if (++attempts === 1) throw new Error('handler failed after mutating its batch');
      },
    });
    await bus.producer().send('t', [
      { key: 'k', value: 'first', headers: { h: 'one' } },
      { key: 'k', value: 'second', headers: { h: 'two' } },
    ]);
    await vi.waitFor(() => expect(deliveries).toHaveLength(2), { timeout: 5000 });
    expect(deliveries).toEqual([
      ['first|one', 'second|two'],
      ['first|one', 'second|two'],
    ]);
    await consumer.stop();
  });

  it('refuses a budget that could not bound memory', () => {
    const db = openBusDatabase(busFile(), 'NORMAL');
    cleanups.push(() => void db.close());
    for (const tailBytes of [NaN, -1, Infinity]) expect(() => new SqliteLog(db, { tailBytes })).toThrow(/tailBytes must be a finite number/);
  });

  it('gives two reads of the same messages buffers that share no bytes', async () => {
    const wired = wiredLog(1 << 20);
    await wired.send('b', [{ key: 'k', value: 'abc', headers: { h: 'xyz' } }]);
    const [first] = wired.log.read({ topic: 'b', partition: 0 }, 0, 1);
    first!.value.fill(0);
    first!.headers.h!.fill(0);
    const [second] = wired.log.read({ topic: 'b', partition: 0 }, 0, 1);
    expect([second!.value.toString(), second!.headers.h!.toString()]).toEqual(['abc', 'xyz']);
    expect(wired.log.tailStats().hits).toBe(2);
  });
});
