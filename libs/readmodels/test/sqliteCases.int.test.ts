import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteReadModelStore } from '../src/sqlite/sqliteReadModelStore.ts';
import { caseRowFixture } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-readmodels-cases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ALL = { carrierId: null };
let n = 0;
const freshPath = () => join(dir, `c-${++n}.sqlite`);

describe('SQLite case list', () => {
  it("a read-only connection sees the writer's case commits as they land and refuses to write cases", async () => {
    const path = freshPath();
    const writer = await openSqliteReadModelStore({ path });
    await writer.commitCases({ checkpoint: '3', cases: [caseRowFixture('C-1')] });
    const reader = await openSqliteReadModelStore({ path, readonly: true });
    try {
      const before = await reader.generation();
      await writer.commitCases({ checkpoint: '4', cases: [caseRowFixture('C-2', { openedAt: '2026-03-02T08:00:00+08:00' })] });
      expect(await reader.caseCheckpoint()).toBe('4');
      expect((await reader.cases({ scope: ALL, limit: 10 })).items.map((c) => c.caseId)).toEqual(['C-2', 'C-1']);
      expect(await reader.generation()).not.toBe(before);
      await expect(reader.commitCases({ checkpoint: '5', cases: [] })).rejects.toMatchObject({ code: 'READ_ONLY' });
      expect(await writer.caseCheckpoint()).toBe('4');
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it('a case commit that fails inside its transaction leaves the rows and the case checkpoint as they were', async () => {
    const path = freshPath();
    const store = await openSqliteReadModelStore({ path });
    try {
      await store.commitCases({ checkpoint: '1', cases: [caseRowFixture('C-1')] });
      // The schema cannot refuse a row the checks let through, so make the table refuse one.
      const raw = new Database(path);
      raw.exec("CREATE TRIGGER refuse_c3 BEFORE INSERT ON rm_cases WHEN NEW.case_id = 'C-3' BEGIN SELECT RAISE(ABORT, 'refused C-3'); END;");
      raw.close();
      await expect(store.commitCases({ checkpoint: '2', cases: [caseRowFixture('C-2'), caseRowFixture('C-3')] })).rejects.toThrow(/refused C-3/);
      expect(await store.caseCheckpoint()).toBe('1');
      expect((await store.cases({ scope: ALL, limit: 10 })).items.map((c) => c.caseId)).toEqual(['C-1']);
    } finally {
      await store.close();
    }
  });

  it('lists cases through the indexes meant for them (no sort of the whole table)', async () => {
    const path = freshPath();
    await (await openSqliteReadModelStore({ path })).close();
    const raw = new Database(path, { readonly: true });
    const plan = (sql: string) => (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan('SELECT opened_ms, json FROM rm_cases ORDER BY opened_ms DESC, case_id DESC LIMIT 10')).toContain('rm_cases_by_opened');
    expect(plan('SELECT opened_ms, json FROM rm_cases ORDER BY opened_ms DESC, case_id DESC LIMIT 10')).not.toContain('TEMP B-TREE');
    expect(plan("SELECT opened_ms, json FROM rm_cases WHERE carrier_id = 'C-A' ORDER BY opened_ms DESC, case_id DESC LIMIT 10")).toContain('rm_cases_by_carrier');
    raw.close();
  });
});
