import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteReadModelStore } from '../src/sqlite/sqliteReadModelStore.ts';
import { statisticsSql } from '../src/sqlite/statisticsQueries.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-readmodels-statistics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite statistics queries', () => {
  for (const scoped of [false, true]) {
    it(`read only the window's rows through an index (${scoped ? 'a carrier’s key' : 'all carriers'})`, async () => {
      // How SQLite runs each breakdown: every one must read a range of the window's index, never the whole table.
      const path = join(dir, `plan-${String(scoped)}.sqlite`);
      await (await openSqliteReadModelStore({ path })).close();
      const db = new Database(path, { readonly: true });
      try {
        const params = scoped ? ['C-A', 0, 1] : [0, 1];
        for (const [breakdown, sql] of Object.entries(statisticsSql(scoped))) {
          const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join(' | ');
          const table = breakdown === 'segmentHour' ? 'rm_advisories' : 'rm_violations';
          expect(plan, breakdown).toMatch(new RegExp(`SEARCH (${table}|g) USING (COVERING )?INDEX ${table}_by_${scoped ? 'carrier' : 'start'} \\(${scoped ? 'carrier_id=\\? AND ' : ''}started_ms>\\? AND started_ms<\\?\\)`));
          expect(plan, breakdown).not.toMatch(new RegExp(`SCAN ${table}\\b`));
        }
      } finally {
        db.close();
      }
    });
  }
});
