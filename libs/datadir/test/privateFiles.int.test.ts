import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createPrivateWriteStream, makePrivateDir, preparePrivateSqliteFile, writePrivateFile } from '../src/index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dgt-private-'));
  dirs.push(dir);
  return dir;
}

const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('files created owner-only', () => {
  it('a SQLite database prepared before opening stays 0600, and so do the -wal and -shm SQLite creates beside it', () => {
    const path = join(tmp(), 'nested', 'store.sqlite');
    preparePrivateSqliteFile(path);
    expect(modeOf(path)).toBe(0o600);
    expect(modeOf(join(path, '..'))).toBe(0o700);
    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
      expect(existsSync(`${path}-wal`)).toBe(true);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) expect([file, modeOf(file)]).toEqual([file, 0o600]);
    } finally {
      db.close();
    }
  });

  it('tightens a world-readable database and its companions left by an earlier version', () => {
    const path = join(tmp(), 'old.sqlite');
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      writeFileSync(file, '');
      chmodSync(file, 0o644);
    }
    preparePrivateSqliteFile(path);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect([file, modeOf(file)]).toEqual([file, 0o600]);
  });

  it('writes data files 0600, also over an existing world-readable file', () => {
    const dir = tmp();
    const fresh = join(dir, 'report.json');
    writePrivateFile(fresh, '{}');
    expect(modeOf(fresh)).toBe(0o600);
    const old = join(dir, 'report.html');
    writeFileSync(old, 'old');
    chmodSync(old, 0o644);
    writePrivateFile(old, 'new');
    expect(modeOf(old)).toBe(0o600);
  });

  it('streams an export into a 0600 file', async () => {
    const path = join(tmp(), 'export.ndjson');
    const stream = createPrivateWriteStream(path);
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end('{}\n', () => resolve());
    });
    expect(modeOf(path)).toBe(0o600);
  });

  it('creates missing folders 0700 and leaves existing ones as they are', () => {
    const base = tmp();
    chmodSync(base, 0o755);
    makePrivateDir(join(base, 'a', 'b'));
    expect(modeOf(join(base, 'a'))).toBe(0o700);
    expect(modeOf(join(base, 'a', 'b'))).toBe(0o700);
    expect(modeOf(base)).toBe(0o755);
  });
});
