import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSqliteBus, type ReceivedMessage, type SqliteBus, type SqliteBusOptions } from '../src/index.ts';

const dirs: string[] = [];
const open: SqliteBus[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function busFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dgt-sqlite-bus-'));
  dirs.push(dir);
  return join(dir, 'bus.sqlite');
}

function openBus(options: SqliteBusOptions): SqliteBus {
  const bus = createSqliteBus({ pruneIntervalMs: 0, ...options });
  open.push(bus);
  return bus;
}

async function closeBus(bus: SqliteBus): Promise<void> {
  await bus.close();
  open.splice(open.indexOf(bus), 1);
}

const numbered = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ key: `k${(from + i) % 7}`, value: String(from + i) }));

/** Consumes with `groupId` until `count` messages arrived; returns their values in arrival order, then stops. */
async function consume(bus: SqliteBus, groupId: string, topics: string[], count: number, options: { startFrom?: 'earliest' | 'latest' } = {}): Promise<string[]> {
  const seen: string[] = [];
  const consumer = bus.consumer({ groupId, ...options });
  await consumer.run({ topics, eachBatch: async (b) => void seen.push(...b.messages.map((m) => m.value.toString())) });
  await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(count), { timeout: 5000 });
  await consumer.stop();
  return seen;
}

describe('SQLite bus: durable across restarts', () => {
  it('keeps messages and committed offsets when closed and reopened', async () => {
    const path = busFile();
    const first = openBus({ path });
    await first.ensureTopics([{ topic: 't', partitions: 2 }]);
    await first.producer().send('t', numbered(0, 30));
    expect((await consume(first, 'g', ['t'], 30)).length).toBe(30);
    await first.producer().send('t', numbered(30, 10));
    await closeBus(first);

    const second = openBus({ path });
    // Topics survive: no ensureTopics needed after a restart.
    expect(second.backlog('g', ['t'])).toBe(10);
    expect((await consume(second, 'g', ['t'], 10)).sort((a, b) => Number(a) - Number(b))).toEqual(numbered(30, 10).map((m) => m.value));
    expect(second.backlog('g', ['t'])).toBe(0);
    // A group that never committed still gets everything; the backlog is per group.
    expect((await consume(second, 'new-group', ['t'], 40)).length).toBe(40);
    expect(second.backlog('idle-group', ['t'])).toBe(40);
    expect(second.backlog('g', ['t'])).toBe(0);
  });

  it('counts in its stats what the in-memory tail holds and which reads it answered', async () => {
    const bus = openBus({ path: busFile(), tailBytes: 1024 * 1024 });
    await bus.ensureTopics([{ topic: 't', partitions: 2 }]);
    await bus.producer().send('t', numbered(0, 12));
    const before = bus.stats();
    expect(before.messages).toBe(12);
    expect(before.tail).toMatchObject({ budgetBytes: 1024 * 1024, messages: 12, hits: 0, misses: 0 });
    expect(before.tail.bytes).toBeGreaterThan(0);
    expect((await consume(bus, 'g', ['t'], 12)).length).toBe(12);
    const after = bus.stats().tail;
    // Read while just committed: from memory, not the file.
    expect(after.hits).toBeGreaterThan(0);
    expect(after.misses).toBe(0);
    await closeBus(bus);
  });

  it('gives each partition’s lag of a group, summing to its backlog, as messages come and are committed', async () => {
    const bus = openBus({ path: busFile() });
    await bus.ensureTopics([{ topic: 't', partitions: 3 }, { topic: 'u', partitions: 1 }]);
    await bus.producer().send('t', numbered(0, 30));
    await bus.producer().send('u', numbered(0, 4));
    const lag = bus.lag('g', ['t', 'u']);
    // Every partition is named, an empty one too; together they are the backlog.
    expect(lag.map((p) => `${p.topic}/${p.partition}`)).toEqual(['t/0', 't/1', 't/2', 'u/0']);
    expect(lag.reduce((sum, p) => sum + p.lag, 0)).toBe(34);
    expect(lag.find((p) => p.topic === 'u')?.lag).toBe(4);
    expect(bus.backlog('g', ['t', 'u'])).toBe(34);
    // Keys spread over the partitions as Kafka's partitioner does: not all in one.
    expect(lag.filter((p) => p.topic === 't' && p.lag > 0).length).toBeGreaterThan(1);
    expect((await consume(bus, 'g', ['t'], 30)).length).toBe(30);
    expect(bus.lag('g', ['t', 'u'])).toEqual([
      { topic: 't', partition: 0, lag: 0 },
      { topic: 't', partition: 1, lag: 0 },
      { topic: 't', partition: 2, lag: 0 },
      { topic: 'u', partition: 0, lag: 4 },
    ]);
    await closeBus(bus);
  });

  it('loses no acknowledged message when the process is killed right after sends resolved', async () => {
    const path = busFile();
    const script = fileURLToPath(new URL('./support/sendUntilKilled.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, path, 'NORMAL'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acked = new Set<number>();
    let buffered = '';
    let batches = 0;
    const killAfter = 300 + Math.floor(Math.random() * 300);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^acked (\d+) (\d+)$/.exec(line);
        if (m === null) continue;
        for (let n = Number(m[1]); n < Number(m[2]); n++) acked.add(n);
        // Killed while senders are mid-transaction, right after this batch was acknowledged.
        if (++batches === killAfter) child.kill('SIGKILL');
      }
    });
    expect(await exited).toBe('SIGKILL');

    const bus = openBus({ path });
    const stored = new Map<number, number>();
    const consumer = bus.consumer({ groupId: 'check' });
    const total = bus.backlog('check', ['acked']);
    let read = 0;
    await consumer.run({
      topics: ['acked'],
      eachBatch: async (b) => {
        for (const m of b.messages) stored.set(Number(m.value.toString()), (stored.get(Number(m.value.toString())) ?? 0) + 1);
        read += b.messages.length;
      },
    });
    await vi.waitFor(() => expect(read).toBe(total), { timeout: 10_000 });
    await consumer.stop();
    const missing = [...acked].filter((n) => !stored.has(n));
    console.log(`sqlite bus kill test: ${acked.size} messages acknowledged in ${batches} sends before SIGKILL, ${stored.size} in the file after reopening, ${missing.length} acknowledged but missing`);
    expect(acked.size).toBeGreaterThan(1000);
    expect(missing).toEqual([]);
    expect([...stored.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);

  it('refuses a second opener of the same file while the first has it open', async () => {
    const path = busFile();
    openBus({ path });
    expect(() => createSqliteBus({ path, pruneIntervalMs: 0 })).toThrow(/cannot open the bus file .*another process has it open/);
  });

  it('creates the bus file and its WAL readable by the owner only', async () => {
    const path = busFile();
    const bus = openBus({ path });
    await bus.ensureTopics([{ topic: 't', partitions: 1 }]);
    await bus.producer().send('t', numbered(0, 5));
    for (const file of [path, `${path}-wal`]) {
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
  });
});

describe('SQLite bus: group commit', () => {
  it('commits sends issued together in one transaction, and resolves none of them before it', async () => {
    const bus = openBus({ path: busFile() });
    await bus.ensureTopics([{ topic: 't', partitions: 3 }]);
    const producers = Array.from({ length: 10 }, () => bus.producer());
    const before = bus.stats().transactions;
    let resolved = 0;
    const sends = Array.from({ length: 50 }, (_, i) =>
      producers[i % 10]!.send('t', numbered(i * 20, 20)).then(() => void resolved++),
    );
    // Nothing is visible or acknowledged until the shared transaction has committed.
    expect(bus.backlog('g', ['t'])).toBe(0);
    await Promise.resolve();
    expect(resolved).toBe(0);
    await Promise.all(sends);
    expect(bus.stats().transactions - before).toBe(1);
    expect(bus.backlog('g', ['t'])).toBe(1000);
  });

  it('caps a transaction at maxMessagesPerTransaction and commits the rest right after', async () => {
    const bus = openBus({ path: busFile(), maxMessagesPerTransaction: 250 });
    await bus.ensureTopics([{ topic: 't', partitions: 2 }]);
    const producer = bus.producer();
    const before = bus.stats().transactions;
    await Promise.all(Array.from({ length: 10 }, (_, i) => producer.send('t', numbered(i * 100, 100))));
    // Two sends of 100 fit under 250; a third would not.
    expect(bus.stats().transactions - before).toBe(5);
    expect(bus.backlog('g', ['t'])).toBe(1000);
  });

  it('gives sends that arrive one after another their own transactions', async () => {
    const bus = openBus({ path: busFile() });
    await bus.ensureTopics([{ topic: 't', partitions: 1 }]);
    const producer = bus.producer();
    const before = bus.stats().transactions;
    for (let i = 0; i < 5; i++) await producer.send('t', numbered(i, 1));
    expect(bus.stats().transactions - before).toBe(5);
  });

  it('waits groupCommitWindowMs for more sends when told to', async () => {
    const bus = openBus({ path: busFile(), groupCommitWindowMs: 30 });
    await bus.ensureTopics([{ topic: 't', partitions: 1 }]);
    const producer = bus.producer();
    const before = bus.stats().transactions;
    const first = producer.send('t', numbered(0, 1));
    await new Promise((r) => setTimeout(r, 5));
    const second = producer.send('t', numbered(1, 1));
    await Promise.all([first, second]);
    expect(bus.stats().transactions - before).toBe(1);
  });
});

describe('SQLite bus: retention', () => {
  const day = 24 * 60 * 60 * 1000;

  it('keeps what the retained recorder has not committed, running or not, and deletes what it has', async () => {
    const path = busFile();
    const bus = openBus({ path, retain: [{ groupId: 'recorder', topics: ['positions'] }] });
    await bus.ensureTopics([{ topic: 'positions', partitions: 2 }]);
    await bus.producer().send('positions', numbered(0, 40));
    // The recorder has not run yet: everything is pinned, however old.
    expect((await bus.prune()).deletedMessages).toBe(0);

    await consume(bus, 'recorder', ['positions'], 40);
    await bus.producer().send('positions', numbered(40, 15));
    expect((await bus.prune()).deletedMessages).toBe(40);
    expect(bus.backlog('recorder', ['positions'])).toBe(15);
    await closeBus(bus);

    const reopened = openBus({ path, retain: [{ groupId: 'recorder', topics: ['positions'] }] });
    expect((await consume(reopened, 'recorder', ['positions'], 15)).sort((a, b) => Number(a) - Number(b))).toEqual(numbered(40, 15).map((m) => m.value));
  });

  it('holds what a running group has not committed yet', async () => {
    const bus = openBus({ path: busFile() });
    await bus.ensureTopics([{ topic: 't', partitions: 1 }]);
    await bus.producer().send('t', numbered(0, 10));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const got: ReceivedMessage[] = [];
    const consumer = bus.consumer({ groupId: 'slow' });
    await consumer.run({ topics: ['t'], eachBatch: async (b) => void (got.push(...b.messages), await gate) });
    await vi.waitFor(() => expect(got).toHaveLength(10));
    expect((await bus.prune()).deletedMessages).toBe(0);
    release();
    await vi.waitFor(async () => expect((await bus.prune()).deletedMessages).toBe(10));
    await consumer.stop();
  });

  it('lets a stopped per-process group (the API alert stream) pin nothing, and expires its offsets like Kafka', async () => {
    let now = Date.parse('2026-03-01T00:00:00Z');
    const bus = openBus({ path: busFile(), now: () => now, retentionMs: 7 * day, offsetsRetentionMs: 7 * day });
    await bus.ensureTopics([{ topic: 'alerts', partitions: 1 }]);
    const stream = bus.consumer({ groupId: 'api-alerts-pid-1', startFrom: 'latest' });
    const seen: string[] = [];
    await stream.run({ topics: ['alerts'], eachBatch: async (b) => void seen.push(...b.messages.map((m) => m.value.toString())) });
    await bus.producer().send('alerts', numbered(0, 5));
    await vi.waitFor(() => expect(seen).toHaveLength(5));
    await stream.stop();
    await bus.producer().send('alerts', numbered(5, 5));

    // Stopped and not retained: the 5 it never read are kept only for the log retention time.
    now += 6 * day;
    expect(await bus.prune()).toMatchObject({ deletedMessages: 0, expiredGroups: [] });
    now += 2 * day;
    expect(await bus.prune()).toMatchObject({ deletedMessages: 10, expiredGroups: ['api-alerts-pid-1'] });
    // Its offsets are gone: back again, it starts where its startFrom says, as a new group would.
    await bus.producer().send('alerts', numbered(10, 3));
    expect(await consume(bus, 'api-alerts-pid-1', ['alerts'], 3, { startFrom: 'earliest' })).toEqual(['10', '11', '12']);
  });

  it('deletes a large backlog in bounded transactions and reports that more is left', async () => {
    const bus = openBus({ path: busFile(), maxDeletesPerPartition: 100 });
    await bus.ensureTopics([{ topic: 't', partitions: 1 }]);
    await bus.producer().send('t', numbered(0, 250));
    await consume(bus, 'g', ['t'], 250);
    await bus.prune();
    const counts: number[] = [];
    for (let more = true; more; ) {
      const r = await bus.prune();
      counts.push(r.deletedMessages);
      more = r.more;
    }
    // Stopped and not retained: 'g' pins nothing, so what is left goes by age (none is a week old).
    expect(counts).toEqual([0]);

    const pinned = openBus({ path: busFile(), maxDeletesPerPartition: 100, retain: [{ groupId: 'g', topics: ['t'] }] });
    await pinned.ensureTopics([{ topic: 't', partitions: 1 }]);
    await pinned.producer().send('t', numbered(0, 250));
    await consume(pinned, 'g', ['t'], 250);
    await pinned.prune();
    const rounds: number[] = [];
    for (let more = true; more; ) {
      const r = await pinned.prune();
      rounds.push(r.deletedMessages);
      more = r.more;
    }
    expect(rounds).toEqual([100, 100, 50]);
  });
});
