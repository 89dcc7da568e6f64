import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATA_DIR_LOCK_FILE, lockDataDir, type DataDirLock, type LockHolder } from '../src/index.ts';

const dirs: string[] = [];
const locks: DataDirLock[] = [];

afterEach(() => {
  for (const l of locks.splice(0)) l.release();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmpData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dgt-lock-'));
  dirs.push(dir);
  return dir;
}

function lock(dataDir: string, onStaleLock?: (stale: LockHolder | undefined) => void): DataDirLock {
  const l = lockDataDir(dataDir, onStaleLock === undefined ? {} : { onStaleLock });
  locks.push(l);
  return l;
}

/** The pid of a process that has exited (and been reaped), so no process has it right now. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn node');
  await new Promise((resolve) => child.once('exit', resolve));
  return pid;
}

/** A process that runs until the test kills it. */
function livingProcess(): { pid: number; stop: () => void } {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('could not spawn node');
  return { pid: child.pid, stop: () => child.kill('SIGKILL') };
}

describe('data directory lock', () => {
  it('writes dgt.lock with this process id and start time', () => {
    const dir = tmpData();
    const l = lockDataDir(dir, { now: () => new Date('2026-03-01T08:00:00Z') });
    locks.push(l);
    expect(l.path).toBe(join(dir, DATA_DIR_LOCK_FILE));
    expect(JSON.parse(readFileSync(l.path, 'utf8'))).toMatchObject({ pid: process.pid, startedAt: '2026-03-01T08:00:00.000Z' });
  });

  it('creates a data directory that does not exist yet', () => {
    const dir = join(tmpData(), 'nested', 'data');
    const l = lock(dir);
    expect(existsSync(l.path)).toBe(true);
  });

  it('refuses a second lock on the same directory, naming the holder pid and the directory', () => {
    const dir = tmpData();
    lock(dir);
    let caught: unknown;
    try {
      lock(dir);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ name: 'StackError', code: 'DATA_DIR_IN_USE' });
    expect((caught as Error).message).toContain(`data directory ${dir} is in use by process ${process.pid}`);
    expect((caught as Error).message).toContain('--data <other dir>');
  });

  it('refuses a lock held by another running process', () => {
    const dir = tmpData();
    const other = livingProcess();
    try {
      writeFileSync(join(dir, DATA_DIR_LOCK_FILE), JSON.stringify({ pid: other.pid, startedAt: '2026-03-01T08:00:00.000Z' }));
      expect(() => lock(dir)).toThrow(`in use by process ${other.pid} (started 2026-03-01T08:00:00.000Z)`);
      expect(JSON.parse(readFileSync(join(dir, DATA_DIR_LOCK_FILE), 'utf8'))).toMatchObject({ pid: other.pid });
    } finally {
      other.stop();
    }
  });

  it('takes over a stale lock whose process no longer runs, and says so', async () => {
    const dir = tmpData();
    const pid = await deadPid();
    writeFileSync(join(dir, DATA_DIR_LOCK_FILE), JSON.stringify({ pid, startedAt: '2026-03-01T08:00:00.000Z' }));
    const stale: (LockHolder | undefined)[] = [];
    const l = lock(dir, (s) => stale.push(s));
    expect(stale).toEqual([{ pid, startedAt: '2026-03-01T08:00:00.000Z' }]);
    expect(JSON.parse(readFileSync(l.path, 'utf8'))).toMatchObject({ pid: process.pid });
    // Nothing left behind from moving the stale lock aside.
    expect(readdirSync(dir)).toEqual([DATA_DIR_LOCK_FILE]);
  });

  it('takes over a lock naming this process id that this process does not hold (a leftover of an earlier run with the same pid)', () => {
    const dir = tmpData();
    writeFileSync(join(dir, DATA_DIR_LOCK_FILE), JSON.stringify({ pid: process.pid, startedAt: '2026-03-01T08:00:00.000Z' }));
    const stale: (LockHolder | undefined)[] = [];
    lock(dir, (s) => stale.push(s));
    expect(stale.map((s) => s?.pid)).toEqual([process.pid]);
  });

  it('takes over an unreadable lock once it is older than a moment, but not a fresh one', () => {
    const dir = tmpData();
    const path = join(dir, DATA_DIR_LOCK_FILE);
    writeFileSync(path, '');
    expect(() => lock(dir)).toThrow('in use by another process (starting right now)');
    writeFileSync(path, 'garbage');
    // As if a crash long ago left it half-written.
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(path, longAgo, longAgo);
    const stale: (LockHolder | undefined)[] = [];
    lock(dir, (s) => stale.push(s));
    expect(stale).toEqual([undefined]);
  });

  it('release removes the lock file, is idempotent, and the directory can be locked again', () => {
    const dir = tmpData();
    const l = lockDataDir(dir);
    l.release();
    expect(existsSync(l.path)).toBe(false);
    expect(() => l.release()).not.toThrow();
    const again = lock(dir);
    expect(existsSync(again.path)).toBe(true);
    // A late second release of the first lock must not remove the new holder's file.
    l.release();
    expect(existsSync(again.path)).toBe(true);
  });

  it('release leaves a lock file alone that is no longer its own', () => {
    const dir = tmpData();
    const l = lockDataDir(dir);
    writeFileSync(l.path, JSON.stringify({ pid: 1, startedAt: 'someone else' }));
    l.release();
    expect(readFileSync(l.path, 'utf8')).toContain('someone else');
  });
});
