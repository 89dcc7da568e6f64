import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { consignmentEventTypes, type DgtEvent } from '@dgt/events';
import { type EventStore, openSqliteEventStore, pageNdjson, pagesOf, streamFor } from '@dgt/eventstore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSelection, normaliseSelection, renderReport, runReplay, storeSource } from '../src/index.ts';
import { thresholds } from './evidenceFixtures.ts';
import { scenario } from './fixtures.ts';

/*
 * A whole-store replay from SQLite digests the stored JSON as the read-ahead worker hands it: one
 * NDJSON buffer per page. It must give exactly the report (digest included) of the inline read,
 * where every event carries its JSON as a string — also with invalid events and with texts an
 * older version stored with lone-surrogate escapes (digested as U+FFFD).
 */

const dir = mkdtempSync(join(tmpdir(), 'dgt-replay-ndjson-'));
const path = join(dir, 'events.sqlite');
const MARK = 'MARK';

/** The scenario, then more fixes of other vehicles: some invalid, some stored with an escape. */
function events(): DgtEvent[] {
  const out = scenario('02-parked-laden-roadside-25min');
  for (let i = 0; i < 1_500; i++) {
    const vehicleId = `浙J${20_000 + (i % 6)}`;
    const occurredAt = new Date(Date.parse('2026-03-01T16:00:00Z') + i * 20_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
    const speedKmh = i % 211 === 5 ? 999 : (i * 7) % 90;
    out.push({ eventId: `x-${i}${i % 113 === 3 ? MARK : ''}`, type: 'VehiclePositionReported', occurredAt, data: { vehicleId, lon: 121.3 + i * 2e-5, lat: 28.6, speedKmh, headingDeg: i % 360 } } as DgtEvent);
  }
  return out;
}

const opened: EventStore[] = [];
function open(readAhead: 'worker' | 'inline'): EventStore {
  const store = openSqliteEventStore({ path, readAhead, readAheadMinEvents: 10, readAheadPageSize: 50 });
  opened.push(store);
  return store;
}

beforeAll(async () => {
  const writer = openSqliteEventStore({ path });
  for (const e of events()) await writer.append(streamFor(e), [e]);
  await writer.close();
  // As an older version stored them: the escape of half a surrogate pair in the JSON text.
  const db = new Database(path);
  expect(db.prepare('UPDATE events SET json = replace(json, ?, ?)').run(MARK, '\\ud800').changes).toBeGreaterThan(5);
  // Stored text that is not what canonicalJson would write now (a number as an older writer put it):
  // the digest and an export take the stored bytes, never a re-rendering.
  expect(db.prepare(`UPDATE events SET json = replace(json, '"lat":28.6,', '"lat":28.60,') WHERE position % 3 = 0`).run().changes).toBeGreaterThan(100);
  db.close();
});

afterAll(async () => {
  for (const s of opened) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function wholeReport(store: EventStore): Promise<string> {
  const { report } = await runReplay({ selection: normaliseSelection({}), thresholds }, storeSource(store));
  return renderReport(report).json;
}

describe('whole-store replay over page NDJSON', () => {
  it('gives the report.json bytes of the inline read, digest, invalid events and U+FFFD lines included', async () => {
    const worker = open('worker');
    // The path under test is taken: the worker hands NDJSON pages to this read.
    const types = ['VehiclePositionReported', ...consignmentEventTypes];
    let withBytes = 0;
    for await (const page of pagesOf(worker.readAll({ filter: { types }, includeJson: true, ndjsonPages: true })) ?? []) if (pageNdjson(page) !== undefined) withBytes++;
    expect(withBytes).toBeGreaterThan(10);

    const viaPages = await wholeReport(worker);
    const inline = await wholeReport(open('inline'));
    expect(viaPages).toBe(inline);
    const report = JSON.parse(inline) as { counts: { invalid: number; detections: number }; digest: { events: number } };
    expect(report.counts.invalid).toBeGreaterThan(3);
    expect(report.counts.detections).toBeGreaterThan(0);
    expect(report.digest.events).toBeGreaterThan(1_500);
    expect(inline).toContain('\uFFFD');
  });

  it('exports the same lines from the read-ahead as inline: item-wise readers still get each stored text', async () => {
    const exported = async (store: EventStore): Promise<string[]> => {
      const lines: string[] = [];
      await exportSelection(normaliseSelection({}), storeSource(store), async (line) => void lines.push(line));
      return lines;
    };
    const viaWorker = await exported(open('worker'));
    expect(viaWorker).toEqual(await exported(open('inline')));
    expect(viaWorker.length).toBeGreaterThan(1_500);
  });
});
