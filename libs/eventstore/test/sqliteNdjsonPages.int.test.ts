import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steppingClock } from '../src/clock.ts';
import { pagesOf } from '../src/pagedIterable.ts';
import type { EventEnvelope, EventStore, ReadAllOptions, RecordedEvent } from '../src/port.ts';
import { pageNdjson } from '../src/sqlite/pageNdjson.ts';
import { openSqliteEventStore } from '../src/sqlite/sqliteEventStore.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-eventstore-ndjson-'));
const path = join(dir, 'store.sqlite');
const EVENTS = 2_000;
/** Ids whose stored text gets a lone-surrogate escape, as an older version wrote them. */
const ESCAPED = 'MARK';

function event(i: number): { stream: string; event: EventEnvelope } {
  const vehicleId = `浙J${10_000 + (i % 5)}`;
  const occurredAt = new Date(Date.parse('2026-03-01T00:00:00Z') + i * 1000).toISOString().replace('Z', '+08:00');
  if (i % 40 === 0) return { stream: `consignment-WB-${i}`, event: { eventId: `c-${i}`, type: 'ConsignmentDeclared', occurredAt, data: { waybillNo: `WB-${i}`, vehicleId } } };
  const eventId = i % 97 === 0 ? `f-${i}-${ESCAPED}` : `f-${i}`;
  return { stream: `vehicle-${vehicleId}`, event: { eventId, type: 'VehiclePositionReported', occurredAt, data: { vehicleId, lon: 121.4 + i * 1e-5, lat: 28.6, speedKmh: i % 90, headingDeg: i % 360 } } };
}

const opened: EventStore[] = [];
function open(readAhead: 'worker' | 'inline'): EventStore {
  const store = openSqliteEventStore({ path, clock: steppingClock('2026-03-01T00:00:00.000Z'), readAhead, readAheadMinEvents: 100, readAheadPageSize: 64, readAheadWorkers: 2 });
  opened.push(store);
  return store;
}

beforeAll(async () => {
  const writer = open('inline');
  for (let from = 0; from < EVENTS; from += 100) {
    const byStream = new Map<string, EventEnvelope[]>();
    for (let i = from; i < from + 100; i++) {
      const { stream, event: e } = event(i);
      byStream.set(stream, [...(byStream.get(stream) ?? []), e]);
    }
    await writer.appendMany([...byStream].map(([streamId, events]) => ({ streamId, events })));
  }
  const db = new Database(path);
  expect(db.prepare('UPDATE events SET json = replace(json, ?, ?)').run(ESCAPED, '\\ud800').changes).toBeGreaterThan(10);
  db.close();
});

afterAll(async () => {
  for (const s of opened) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pages(store: EventStore, options: ReadAllOptions): Promise<(readonly RecordedEvent[])[]> {
  const out: (readonly RecordedEvent[])[] = [];
  for await (const page of pagesOf(store.readAll(options)) ?? []) out.push(page);
  return out;
}

const options: ReadAllOptions = { filter: { types: ['VehiclePositionReported', 'ConsignmentDeclared'] }, includeJson: true };

describe('SQLite read-ahead with ndjsonPages', () => {
  it("hands each page's stored JSON as NDJSON bytes, equal to the inline read's json lines, and leaves json off only the events they cover", async () => {
    const inline = (await pages(open('inline'), options)).flat();
    const paged = await pages(open('worker'), { ...options, ndjsonPages: true });
    expect(paged.flat().map((r) => r.event)).toEqual(inline.map((r) => r.event));
    let at = 0;
    let covered = 0;
    let escaped = 0;
    for (const page of paged) {
      const ndjson = pageNdjson(page);
      expect(ndjson).toBeDefined();
      const { bytes, ends } = ndjson!;
      let start = 0;
      page.forEach((record, i) => {
        const stored = (inline[at++] as RecordedEvent).json as string;
        const end = ends[i] as number;
        if (end < 0) {
          // A text with a backslash travels as a string: the digest must see its escapes.
          expect(record.json).toBe(stored);
          expect(stored).toContain('\\');
          escaped++;
          return;
        }
        expect(Buffer.from(bytes.subarray(start, end)).toString('utf8')).toBe(`${stored}\n`);
        expect(record.json === undefined || record.json === stored).toBe(true);
        start = end;
        covered++;
      });
      expect(start).toBe(bytes.length);
    }
    expect(at).toBe(inline.length);
    expect(covered).toBeGreaterThan(EVENTS / 2);
    expect(escaped).toBeGreaterThan(10);
  });

  it('leaves reads without it as they were: every event with its json, no page NDJSON', async () => {
    const paged = await pages(open('worker'), options);
    expect(paged.every((page) => pageNdjson(page) === undefined)).toBe(true);
    expect(paged.flat().every((r) => typeof r.json === 'string')).toBe(true);
    const inlinePaged = await pages(open('inline'), { ...options, ndjsonPages: true });
    expect(inlinePaged.every((page) => pageNdjson(page) === undefined)).toBe(true);
    expect(inlinePaged.flat().every((r) => typeof r.json === 'string')).toBe(true);
  });
});
