import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventEnvelope, EventStore, RecordedEvent } from '../src/port.ts';
import { openSqliteEventStore } from '../src/sqlite/sqliteEventStore.ts';
import { runningCheckpointWorkers, WORKER_SAFETY_NET_PAGES } from '../src/sqlite/walCheckpointer.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fix = (id: string, vehicle: number): EventEnvelope => ({
  eventId: id,
  type: 'VehiclePositionReported',
  occurredAt: '2026-03-01T08:00:00Z',
  data: { vehicleId: `V${vehicle}`, lon: 121.4, lat: 28.6, speedKmh: 42, note: 'x'.repeat(300) },
});

/** `count` fixes over `vehicles` streams, in appendMany calls of `batch`. */
async function appendFixes(store: EventStore, prefix: string, count: number, vehicles: number, batch: number): Promise<void> {
  for (let i = 0; i < count; i += batch) {
    const byStream = new Map<string, EventEnvelope[]>();
    for (let k = i; k < Math.min(count, i + batch); k++) {
      const stream = `vehicle-V${k % vehicles}`;
      byStream.set(stream, [...(byStream.get(stream) ?? []), fix(`${prefix}-${k}`, k % vehicles)]);
    }
    await store.appendMany([...byStream].map(([streamId, events]) => ({ streamId, events, expectedRevision: 'any' as const })));
  }
}

async function collect(it: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

describe('SQLite event store with checkpoint worker', () => {
  it('copies committed pages into the database file from a worker while the writer stays under its own checkpoint threshold', async () => {
    const path = join(dir, 'worker.sqlite');
    const store = openSqliteEventStore({ path, checkpoint: 'worker', checkpointIntervalMs: 20 });
    expect(runningCheckpointWorkers()).toBe(1);
    const emptySize = statSync(path).size;
    // ~2 MB of WAL: under SQLite's default threshold (1,000 pages) too, so no checkpoint of the
    // writer's own would run even without the worker (checked: inline, the file does not grow).
    await appendFixes(store, 'a', 2500, 50, 500);
    expect(WORKER_SAFETY_NET_PAGES).toBeGreaterThan(1000);
    // Only a checkpoint grows the main file, so the worker did.
    expect(await until(() => statSync(path).size > emptySize + 500_000, 5000)).toBe(true);
    await store.close();
    expect(runningCheckpointWorkers()).toBe(0);
  });

  it('keeps every appended event, in order, across the worker checkpointing and a reopen', async () => {
    const path = join(dir, 'reopen.sqlite');
    const store = openSqliteEventStore({ path, checkpoint: 'worker', checkpointIntervalMs: 5 });
    await appendFixes(store, 'b', 4000, 7, 250);
    await store.close();

    const raw = new Database(path);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    const reopened = openSqliteEventStore({ path, readAhead: 'inline' });
    const all = await collect(reopened.readAll());
    // Each stream's events together per call, in position order: every id once.
    expect(all.map((e) => e.event.eventId).sort()).toEqual(Array.from({ length: 4000 }, (_, k) => `b-${k}`).sort());
    expect(all.every((e, i) => i === 0 || Number(e.position) > Number(all[i - 1]!.position))).toBe(true);
    const revisions = (await collect(reopened.readStream('vehicle-V3'))).map((e) => e.revision);
    expect(revisions).toEqual(revisions.map((_, i) => i));
    expect(revisions).toHaveLength(Math.ceil((4000 - 3) / 7));
    await reopened.close();
  });

  it('answers each stream its next revision from the stream index, whatever its length', async () => {
    const path = join(dir, 'revisions.sqlite');
    const store = openSqliteEventStore({ path });
    await appendFixes(store, 'c', 900, 3, 300);
    const results = await store.appendMany([
      { streamId: 'vehicle-V0', events: [fix('c-x0', 0)], expectedRevision: 299 },
      { streamId: 'vehicle-V9', events: [fix('c-x9', 9)], expectedRevision: 'no-stream' },
      { streamId: 'vehicle-V2', events: [fix('c-x2', 2)], expectedRevision: 299 },
    ]);
    expect(results.map((r) => r.nextExpectedRevision)).toEqual([300, 0, 300]);
    await expect(store.appendMany([{ streamId: 'vehicle-V1', events: [fix('c-y1', 1)], expectedRevision: 298 }, { streamId: 'vehicle-V7', events: [fix('c-y7', 7)] }])).rejects.toThrow(/vehicle-V1/);
    await store.close();
  });
});
