import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { steppingClock } from '../src/clock.ts';
import { EventStoreError } from '../src/errors.ts';
import { pagesOf } from '../src/pagedIterable.ts';
import type { EventEnvelope, EventStore, ReadAllOptions, RecordedEvent } from '../src/port.ts';
import { plainFixesParsedAhead, runningReadAheadWorkers } from '../src/sqlite/readAhead.ts';
import { openSqliteEventStore } from '../src/sqlite/sqliteEventStore.ts';
import { collect } from './contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-eventstore-readahead-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = join(dir, 'store.sqlite');
const EVENTS = 3_000;

function event(i: number): { stream: string; event: EventEnvelope } {
  const vehicleId = `浙J${10_000 + (i % 7)}`;
  const occurredAt = new Date(Date.parse('2026-03-01T00:00:00Z') + i * 1000).toISOString().replace('Z', '+08:00');
  if (i % 50 === 0) return { stream: `consignment-WB-${i}`, event: { eventId: `c-${i}`, type: 'ConsignmentDeclared', occurredAt, data: { waybillNo: `WB-${i}`, vehicleId } } };
  return { stream: `vehicle-${vehicleId}`, event: { eventId: `f-${i}`, type: 'VehiclePositionReported', occurredAt, data: { vehicleId, lon: 121.4 + i * 1e-5, lat: 28.6, speedKmh: i % 90 } } };
}

async function fill(store: EventStore): Promise<void> {
  for (let from = 0; from < EVENTS; from += 100) {
    const byStream = new Map<string, EventEnvelope[]>();
    for (let i = from; i < from + 100; i++) {
      const { stream, event: e } = event(i);
      byStream.set(stream, [...(byStream.get(stream) ?? []), e]);
    }
    await store.appendMany([...byStream].map(([streamId, events]) => ({ streamId, events })));
  }
}

const opened: EventStore[] = [];
/** Workers per read in these tests, whatever the machine's core count. */
const WORKERS = 2;
/** Small pages: a read of EVENTS takes more pages than the workers may post ahead, so they wait for the consumer. */
const PAGE = 16;
function open(readAhead: 'worker' | 'inline', workers = WORKERS, pageSize = PAGE): EventStore {
  const store = openSqliteEventStore({ path, clock: steppingClock('2026-03-01T00:00:00.000Z'), readAhead, readAheadMinEvents: 100, readAheadPageSize: pageSize, readAheadWorkers: workers });
  opened.push(store);
  return store;
}
afterAll(async () => {
  for (const s of opened) await s.close();
});

async function workersGone(timeoutMs = 5_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (runningReadAheadWorkers() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return runningReadAheadWorkers();
}

describe('SQLite read-ahead worker', () => {
  it('returns what the inline read returns, for every kind of global read', async () => {
    const writer = open('inline');
    await fill(writer);
    const inline = open('inline');
    const worker = open('worker');
    const middle = (await collect(inline.readAll({ maxCount: 1234 }))).at(-1)?.position;
    const reads: ReadAllOptions[] = [
      {},
      { includeJson: true },
      { fromPosition: middle },
      { maxCount: 777 },
      { fromPosition: middle, maxCount: 500, includeJson: true },
      { filter: { types: ['ConsignmentDeclared'] } },
      { filter: { streamPrefixes: ['vehicle-'] } },
      { filter: { types: ['VehiclePositionReported'], streamPrefixes: ['vehicle-浙J10003', 'vehicle-浙J10005'] } },
      { filter: { types: [] } },
    ];
    for (const options of reads) {
      const expected = await collect(inline.readAll(options));
      expect(await collect(worker.readAll(options)), JSON.stringify(options)).toEqual(expected);
    }
    expect((await collect(worker.readAll({}))).length).toBe(EVENTS);
  });

  it('gives the same records with one, two or three workers taking turns, maxCount cut across them', async () => {
    const inline = open('inline');
    const middle = (await collect(inline.readAll({ maxCount: 1000 }))).at(-1)?.position;
    const reads: ReadAllOptions[] = [{}, { maxCount: 130 }, { maxCount: 2_999 }, { fromPosition: middle, maxCount: 701 }, { filter: { types: ['ConsignmentDeclared'] } }, { fromPosition: middle, includeJson: true }];
    for (const workers of [1, 2, 3]) {
      const store = open('worker', workers);
      for (const options of reads) {
        const expected = await collect(inline.readAll(options));
        const pages: number[] = [];
        const got: RecordedEvent[] = [];
        for await (const page of pagesOf(store.readAll(options))!) {
          pages.push(page.length);
          got.push(...page);
        }
        expect(got, `${workers} workers, ${JSON.stringify(options)}`).toEqual(expected);
        // Every page but the last is a whole window when nothing is filtered out.
        if (options.filter === undefined) expect(pages.slice(0, -1).every((n) => n === PAGE)).toBe(true);
      }
      expect(await workersGone()).toBe(0);
    }
  });

  it('hands out plain fixes parsed by the worker exactly as JSON.parse gives them (key order too), and every other layout as stored', async () => {
    const file = join(dir, 'layouts.sqlite');
    const writer = openSqliteEventStore({ path: file, readAhead: 'inline' });
    opened.push(writer);
    const at = (i: number) => new Date(Date.parse('2026-03-01T00:00:00Z') + i * 1000).toISOString().replace('Z', '+08:00');
    const fix = (i: number, data: Record<string, unknown>, extra: Partial<EventEnvelope> = {}): EventEnvelope => ({ eventId: `fix-${i}`, type: 'VehiclePositionReported', occurredAt: at(i), data, ...extra });
    const variants: ((i: number) => EventEnvelope)[] = [
      (i) => fix(i, { vehicleId: '浙J·12345', lon: 121.12345678901234, lat: 28.6, speedKmh: 0, headingDeg: 359.5 }),
      (i) => fix(i, { vehicleId: 'V1', lon: 121, lat: -0.000001, speedKmh: 1e-7 }),
      (i) => fix(i, { vehicleId: 'V1', lon: 1e21, lat: -0, speedKmh: 123456789.000001, headingDeg: 5e-324 }),
      // Coordinates of every length: short ones take the worker's own number reading, long ones Number().
      (i) => fix(i, { vehicleId: `V${i % 3}`, lon: -(120 + ((i * 7919) % 100_000) / 10 ** (i % 17)), lat: 0.1 * (i % 7) + 0.2, speedKmh: (i * 104_729) % 1_000_000_007, headingDeg: 360 / ((i % 9) + 1) }),
      (i) => fix(i, { vehicleId: 'V1', lon: 121.4, lat: 28.6, speedKmh: 60, headingDeg: 0 }, { meta: { source: 'jt808' } }),
      (i) => fix(i, { vehicleId: 'V1', lon: 121.4, lat: 28.6, speedKmh: 60 }, { schemaVersion: 1 }),
      (i) => fix(i, { vehicleId: 'V1', lon: 121.4, lat: 28.6, speedKmh: 60, altitudeM: 12 }),
      (i) => fix(i, { vehicleId: 'V1', lon: 121.4, lat: 28.6, speedKmh: 60, odometerKm: 1.5 }),
      (i) => fix(i, { vehicleId: 7, lon: 121.4, lat: 28.6, speedKmh: 60 }),
      (i) => fix(i, { vehicleId: 'V1', lon: '121.4', lat: 28.6, speedKmh: 60 }),
      (i) => fix(i, { vehicleId: 'V1', lon: [121, 4], lat: 28.6, speedKmh: 60 }),
      (i) => fix(i, { vehicleId: 'V"1\\', lon: 121.4, lat: 28.6, speedKmh: 60 }),
      (i) => fix(i, { vehicleId: 'V\t1', lon: 121.4, lat: 28.6, speedKmh: 60 }),
      (i) => ({ ...fix(i, { vehicleId: 'V1', lon: 121.4, lat: 28.6, speedKmh: 60 }), eventId: `fix\\${i}` }),
      (i) => ({ ...fix(i, { vehicleId: 'V1', lon: 121.4, lat: 28.6, speedKmh: 60 }), eventId: `fix-"${i}","type":"VehiclePositionReported","occurredAt":"x` }),
      (i) => ({ eventId: `c-${i}`, type: 'ConsignmentDeclared', occurredAt: at(i), data: { waybillNo: `WB-${i}`, note: '","type":"VehiclePositionReported","occurredAt":"' } }),
    ];
    const all = Array.from({ length: 400 }, (_, i) => (variants[i % variants.length] as (i: number) => EventEnvelope)(i));
    for (let from = 0; from < all.length; from += 50) await writer.append('vehicle-layouts', all.slice(from, from + 50));
    const inline = openSqliteEventStore({ path: file, readAhead: 'inline' });
    const worker = openSqliteEventStore({ path: file, readAhead: 'worker', readAheadMinEvents: 10, readAheadPageSize: 32 });
    opened.push(inline, worker);
    const plain = all.filter((_, i) => i % variants.length < 4).length;
    for (const includeJson of [false, true]) {
      const expected = await collect(inline.readAll({ includeJson }));
      const parsedBefore = plainFixesParsedAhead();
      const got = await collect(worker.readAll({ includeJson }));
      // The first four variants are plain fixes; meta, schemaVersion, extra or mistyped fields are not.
      expect(plainFixesParsedAhead() - parsedBefore).toBe(plain);
      expect(got).toHaveLength(all.length);
      // JSON.stringify keeps key order, so this compares order as well as values.
      expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
      expect(got).toEqual(expected);
    }
    for (const r of await collect(worker.readAll({ includeJson: true }))) expect(JSON.stringify(r.event)).toBe(JSON.stringify(JSON.parse(r.json as string)));
  });

  it('reads in a worker only when the read is long, and the worker ends with the read', async () => {
    const store = open('worker');
    const long = store.readAll()[Symbol.asyncIterator]();
    expect((await long.next()).done).toBe(false);
    expect(runningReadAheadWorkers()).toBe(WORKERS);
    let n = 1;
    while (!(await long.next()).done) n++;
    expect(n).toBe(EVENTS);
    expect(await workersGone()).toBe(0);

    const short = await collect(store.readAll({ maxCount: 99 }));
    expect(short).toHaveLength(99);
    expect(runningReadAheadWorkers()).toBe(0);
  });

  it('still hands out every page the workers posted after they have exited, then ends normally', async () => {
    // 47 pages of 64: fewer than the workers may post ahead, so they post them all and exit.
    const store = open('worker', WORKERS, 64);
    const expected = (await collect(open('inline').readAll())).map((r) => r.position);
    const it = store.readAll()[Symbol.asyncIterator]();
    const first = await it.next();
    expect(await workersGone()).toBe(0);
    const got = [first.value.position];
    for (let r = await it.next(); !r.done; r = await it.next()) got.push(r.value.position);
    expect(got).toEqual(expected);
  });

  it('catches a subscription up through a worker, then follows new appends live without gap or repeat', async () => {
    const store = open('worker');
    const sub = store.subscribeAll({ filter: { types: ['VehiclePositionReported'] } });
    const it = sub[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    expect(runningReadAheadWorkers()).toBe(WORKERS);
    const recorded = (await collect(store.readAll({ filter: { types: ['VehiclePositionReported'] } }))).map((r) => r.position);
    const seen = [first.value.position];
    while (seen.length < recorded.length) seen.push((await it.next()).value.position);
    expect(seen).toEqual(recorded);
    await store.append('vehicle-live', [{ eventId: 'live-1', type: 'VehiclePositionReported', occurredAt: '2026-03-02T00:00:00+08:00', data: {} }]);
    expect((await it.next()).value.event.eventId).toBe('live-1');
    expect(await workersGone()).toBe(0);
    await sub.close();
    expect((await it.next()).done).toBe(true);
  });

  it('hands a long read out in pages (same records as item by item) and stops the worker when the pages are abandoned', async () => {
    const store = open('worker');
    const expected = await collect(open('inline').readAll());
    const pages = pagesOf(store.readAll());
    expect(pages).toBeDefined();
    const got: RecordedEvent[] = [];
    for await (const page of pages!) got.push(...page);
    expect(got).toEqual(expected);
    expect(await workersGone()).toBe(0);
    for await (const page of pagesOf(store.readAll())!) if (page.length > 0) break;
    expect(await workersGone()).toBe(0);
  });

  it('stops the worker when the consumer breaks out of the loop', async () => {
    const store = open('worker');
    let seen = 0;
    for await (const r of store.readAll({ includeJson: true })) {
      expect(r.json).toBeTypeOf('string');
      if (++seen === 10) break;
    }
    expect(seen).toBe(10);
    expect(await workersGone()).toBe(0);
  });

  it('fails the rest of a read with STORE_CLOSED once the store is closed, and stops its worker', async () => {
    const store = openSqliteEventStore({ path, readAhead: 'worker', readAheadMinEvents: 100, readAheadPageSize: PAGE, readAheadWorkers: WORKERS });
    const it = store.readAll()[Symbol.asyncIterator]();
    await it.next();
    expect(runningReadAheadWorkers()).toBe(WORKERS);
    await store.close();
    expect(await workersGone()).toBe(0);
    const err = await (async () => {
      for (;;) if ((await it.next()).done) return null;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventStoreError);
    expect((err as EventStoreError).code).toBe('STORE_CLOSED');
  });

  it('refuses a worker count that is not a positive integer, before opening the file', () => {
    for (const readAheadWorkers of [0, 1.5, Number.NaN]) {
      const file = join(dir, `never-${readAheadWorkers}.sqlite`);
      expect(() => openSqliteEventStore({ path: file, readAheadWorkers })).toThrow(/readAheadWorkers must be a positive integer/);
      expect(existsSync(file)).toBe(false);
    }
  });

  it('surfaces a failure inside the worker as the SqliteError, with its code (here: the file was deleted under the store)', async () => {
    const other = join(dir, 'gone.sqlite');
    const store = openSqliteEventStore({ path: other, readAhead: 'worker', readAheadMinEvents: 1, readAheadPageSize: 8 });
    await fill(store);
    rmSync(other);
    const err = await collect(store.readAll()).catch((e: unknown) => e);
    expect((err as { name?: string }).name).toBe('SqliteError');
    expect((err as { code?: string }).code).toMatch(/^SQLITE_/);
    expect(await workersGone()).toBe(0);
    await store.close();
  });
});
