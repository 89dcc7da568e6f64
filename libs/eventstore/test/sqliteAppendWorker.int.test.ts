import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { steppingClock } from '../src/clock.ts';
import { isWrongExpectedRevision } from '../src/errors.ts';
import type { AppendResult, EventEnvelope, EventStore, RecordedEvent } from '../src/port.ts';
import { openSqliteEventStore } from '../src/sqlite/sqliteEventStore.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-append-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const storeModule = fileURLToPath(new URL('../src/sqlite/sqliteEventStore.ts', import.meta.url));

const event = (id: string, note: string): EventEnvelope => ({ eventId: id, type: 'Noted', occurredAt: '2026-03-01T08:00:00Z', data: { note } });

async function collect(it: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

/** One appendMany call of the generated script: streams with events, ids drawn from a small pool so duplicates and conflicts happen. */
const callArb = fc.array(
  fc.record({
    stream: fc.integer({ min: 0, max: 5 }),
    expected: fc.oneof(fc.constant('any' as const), fc.constant('no-stream' as const), fc.integer({ min: -1, max: 4 })),
    events: fc.array(fc.record({ id: fc.integer({ min: 0, max: 30 }), note: fc.constantFrom('a', 'b') }), { maxLength: 4 }),
  }),
  { minLength: 1, maxLength: 4 },
);

type Outcome = { ok: AppendResult[] } | { error: string };

async function run(store: EventStore, calls: readonly (typeof callArb extends fc.Arbitrary<infer T> ? T : never)[], prefix: string): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const call of calls) {
    const seen = new Set<number>();
    // appendMany refuses a stream named twice in one call (INVALID_ARGUMENT, before anything runs): keep that case rare.
    const batches = call
      .filter((b) => !seen.has(b.stream) && seen.add(b.stream))
      .map((b) => ({ streamId: `${prefix}s-${b.stream}`, expectedRevision: b.expected === -1 ? ('any' as const) : b.expected, events: b.events.map((e) => event(`${prefix}e-${e.id}`, e.note)) }));
    try {
      outcomes.push({ ok: await store.appendMany(batches) });
    } catch (error) {
      outcomes.push({ error: `${isWrongExpectedRevision(error) ? 'wrong-revision ' : ''}${(error as Error).name} ${(error as { code?: string }).code} ${(error as Error).message}` });
    }
  }
  return outcomes;
}

describe('SQLite event store, appends on a worker thread', () => {
  it('gives the same results, errors and record as appending inline, for any sequence of appendMany calls', async () => {
    // One pair of stores for every run (a worker costs a few hundred ms to start); each run has
    // its own ids and streams, and both stores see the same history, so positions match too.
    const inline = openSqliteEventStore({ path: join(dir, `inline-${++n}.sqlite`), clock: steppingClock('2026-03-01T09:00:00Z'), readAhead: 'inline' });
    const worker = openSqliteEventStore({ path: join(dir, `worker-${++n}.sqlite`), clock: steppingClock('2026-03-01T09:00:00Z'), readAhead: 'inline', append: 'worker' });
    let round = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(callArb, { minLength: 1, maxLength: 8 }), async (calls) => {
          const prefix = `r${++round}-`;
          expect(await run(worker, calls, prefix)).toEqual(await run(inline, calls, prefix));
          expect(await collect(worker.readAll({ includeJson: true }))).toEqual(await collect(inline.readAll({ includeJson: true })));
        }),
        { numRuns: 60 },
      );
    } finally {
      await Promise.all([inline.close(), worker.close()]);
    }
  }, 60_000);

  it('throws the same WrongExpectedRevisionError as the inline path, with its fields', async () => {
    const store = openSqliteEventStore({ path: join(dir, `revision-${++n}.sqlite`), append: 'worker' });
    await store.append('s-1', [event('a', 'x')]);
    const error = await store.append('s-1', [event('b', 'x')], { expectedRevision: 5 }).catch((e: unknown) => e);
    expect(isWrongExpectedRevision(error)).toBe(true);
    expect(error).toMatchObject({ name: 'WrongExpectedRevisionError', streamId: 's-1', expected: 5, actual: 0 });
    await store.close();
  });

  it('lets a live subscription on the main connection see what the worker appended', async () => {
    const store = openSqliteEventStore({ path: join(dir, `live-${++n}.sqlite`), append: 'worker', pollIntervalMs: 60_000 });
    const sub = store.subscribeAll();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const e of sub) {
        seen.push(e.event.eventId);
        if (seen.length === 2) break;
      }
    })();
    await store.appendMany([{ streamId: 's-1', events: [event('a', 'x')] }, { streamId: 's-2', events: [event('b', 'y')] }]);
    // A 60 s poll interval: only the store's own signal after the worker's commit can wake it in time.
    await reading;
    expect(seen).toEqual(['a', 'b']);
    await store.close();
  });

  it('keeps a process alive while an append is pending, and lets it exit once idle without close()', () => {
    const path = join(dir, `process-${++n}.sqlite`);
    const script = `
      const { openSqliteEventStore } = await import(${JSON.stringify(storeModule)});
      const store = openSqliteEventStore({ path: ${JSON.stringify(path)}, append: 'worker' });
      const [r] = await store.appendMany([{ streamId: 's-1', events: [{ eventId: 'a', type: 'Noted', occurredAt: '2026-03-01T08:00:00Z', data: {} }] }]);
      console.log('written', r.written);
    `;
    // No close(): the process must still end by itself (the worker is unreferenced when idle).
    const file = join(dir, `process-${n}.mjs`);
    writeFileSync(file, script);
    const out = execFileSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 30_000 });
    expect(out.trim()).toBe('written 1');
  });

  it('finishes close() in a process with nothing else left to do, so the process ends with its own exit code', () => {
    const path = join(dir, `closing-${++n}.sqlite`);
    const file = join(dir, `closing-${n}.mjs`);
    writeFileSync(
      file,
      `const { openSqliteEventStore } = await import(${JSON.stringify(storeModule)});
      const store = openSqliteEventStore({ path: ${JSON.stringify(path)}, append: 'worker' });
      await store.appendMany([{ streamId: 's-1', events: [{ eventId: 'a', type: 'Noted', occurredAt: '2026-03-01T08:00:00Z', data: {} }] }]);
      await store.close();
      console.log('closed');
      process.exitCode = 3;`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stdout.trim()).toBe('closed');
    expect(child.status).toBe(3);
  });
});
