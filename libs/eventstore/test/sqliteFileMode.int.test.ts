import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-eventstore-mode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const modeOf = (path: string): number => statSync(path).mode & 0o777;
const fix = (id: string) => ({ eventId: id, type: 'VehiclePositionReported', occurredAt: '2026-03-02T08:00:00+08:00', data: { vehicleId: 'V1', lon: 121.5, lat: 28.7, speedKmh: 0 } });

describe('SQLite event store files', () => {
  it('are owner-only (0600): the database, its -wal and -shm, and a folder it creates (0700)', async () => {
    const path = join(dir, 'new', 'events.sqlite');
    const store = openSqliteEventStore({ path });
    try {
      await store.append('vehicle-V1', [fix('p-1')]);
      expect(existsSync(`${path}-wal`)).toBe(true);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) expect([file, modeOf(file)]).toEqual([file, 0o600]);
      expect(modeOf(join(dir, 'new'))).toBe(0o700);
    } finally {
      await store.close();
    }
  });

  it('tightens a world-readable store written by an earlier version when it is opened again', async () => {
    const path = join(dir, 'old.sqlite');
    const first = openSqliteEventStore({ path });
    await first.append('vehicle-V1', [fix('p-1')]);
    await first.close();
    chmodSync(path, 0o644);
    const again = openSqliteEventStore({ path });
    try {
      expect(modeOf(path)).toBe(0o600);
    } finally {
      await again.close();
    }
  });
});
