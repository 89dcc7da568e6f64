import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '@dgt/events';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteEventLookup } from '../src/sqlite/sqliteEventLookup.ts';
import { openSqliteEventStore } from '../src/sqlite/sqliteEventStore.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-eventstore-lookup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fix = (eventId: string) => ({ eventId, type: 'VehiclePositionReported', occurredAt: '2026-03-01T08:00:00+08:00', data: { vehicleId: 'V1', lon: 121.4, lat: 28.6, speedKmh: 0 } });

describe('read-only SQLite event lookup', () => {
  it('finds what the writer recorded, also after it opened, as the stored canonical JSON', async () => {
    const path = join(dir, 'events.sqlite');
    const store = openSqliteEventStore({ path, readAhead: 'inline' });
    await store.append('vehicle-V1', [fix('a')]);
    const lookup = openSqliteEventLookup({ path });
    try {
      expect(await lookup.recordedJson(['a', 'b'])).toEqual(new Map([['a', canonicalJson(fix('a'))]]));
      await store.append('vehicle-V1', [fix('b')]);
      expect([...(await lookup.recordedJson(['a', 'b'])).keys()].sort()).toEqual(['a', 'b']);
    } finally {
      await lookup.close();
      await store.close();
    }
    await expect(lookup.recordedJson(['a'])).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });

  it('refuses a missing file and a file that is not an event store, naming the path', () => {
    expect(() => openSqliteEventLookup({ path: join(dir, 'absent.sqlite') })).toThrow(expect.objectContaining({ code: 'STORE_UNREADABLE', message: expect.stringContaining('absent.sqlite') }));
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database');
    expect(() => openSqliteEventLookup({ path: text })).toThrow(expect.objectContaining({ code: 'STORE_UNREADABLE' }));
  });
});
