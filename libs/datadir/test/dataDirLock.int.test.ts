import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATA_DIR_LOCK_FILE, lockDataDir, processIdentity, type DataDirLock, type LockHolder } from '../src/index.ts';

// The lock's general behaviour (refusal, stale takeover, release) is tested through the stack's
// wrapper in services/stack/test/dataDirLock.int.test.ts; these are the library's own additions.

const dirs: string[] = [];
const locks: DataDirLock[] = [];
const children: (() => void)[] = [];

afterEach(() => {
  for (const l of locks.splice(0)) l.release();
  for (const stop of children.splice(0)) stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmpData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dgt-datadir-'));
  dirs.push(dir);
  return dir;
}

/** A process that runs until the test ends. */
function livingProcess(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('could not spawn node');
  children.push(() => child.kill('SIGKILL'));
  return child.pid;
}

const linux = processIdentity(process.pid) !== null;

describe('data directory lock (library)', () => {
  it('refuses with DataDirLockError, offering the way out the caller names', () => {
    const dir = tmpData();
    locks.push(lockDataDir(dir));
    expect(() => lockDataDir(dir, { otherDirHint: 'point DGT_READMODELS_PATH elsewhere' })).toThrow(
      expect.objectContaining({ name: 'DataDirLockError', code: 'DATA_DIR_IN_USE', message: expect.stringContaining('stop it first or point DGT_READMODELS_PATH elsewhere') }),
    );
  });

  it.runIf(linux)('records which process holds it beyond the pid: its start time in this boot', () => {
    const l = lockDataDir(tmpData());
    locks.push(l);
    const written = JSON.parse(readFileSync(l.path, 'utf8')) as { process?: string };
    expect(written.process).toBe(processIdentity(process.pid));
    expect(written.process).toMatch(/^[0-9a-f-]+:\d+$/);
  });

  it.runIf(linux)('takes over a lock whose pid now belongs to another process (pid reuse), but not one whose process still runs', () => {
    const dir = tmpData();
    const pid = livingProcess();
    const path = join(dir, DATA_DIR_LOCK_FILE);
    const identity = processIdentity(pid);
    expect(identity).not.toBeNull();
    writeFileSync(path, JSON.stringify({ pid, startedAt: '2026-03-01T08:00:00.000Z', host: hostname(), process: identity }));
    expect(() => lockDataDir(dir)).toThrow(`in use by process ${pid}`);

    // Same pid, but the process that wrote this lock started at another tick: it has exited and the pid was reused.
    const [boot, ticks] = (identity as string).split(':') as [string, string];
    writeFileSync(path, JSON.stringify({ pid, startedAt: '2026-03-01T08:00:00.000Z', host: hostname(), process: `${boot}:${Number(ticks) - 1}` }));
    const stale: (LockHolder | undefined)[] = [];
    locks.push(lockDataDir(dir, { onStaleLock: (s) => stale.push(s) }));
    expect(stale.map((s) => s?.pid)).toEqual([pid]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('creates a missing data directory owner-only', () => {
    const dir = join(tmpData(), 'data');
    locks.push(lockDataDir(dir));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
});
