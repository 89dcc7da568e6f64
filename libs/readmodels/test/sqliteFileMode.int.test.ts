import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteReadModelStore } from '../src/sqlite/sqliteReadModelStore.ts';
import { batch, vehicleRow } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-readmodels-mode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('SQLite read-model store files', () => {
  it('are owner-only (0600): the database, its -wal and -shm', async () => {
    const path = join(dir, 'readmodels.sqlite');
    const store = await openSqliteReadModelStore({ path });
    try {
      await store.commit(batch('1', { vehicles: [vehicleRow('V1', 'C1')] }));
      expect(existsSync(`${path}-wal`)).toBe(true);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) expect([file, modeOf(file)]).toEqual([file, 0o600]);
    } finally {
      await store.close();
    }
  });
});
