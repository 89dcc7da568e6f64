import { randomUUID } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { DataDirLockError } from './dataDirLockError.ts';
import { makePrivateDir } from './privateFiles.ts';
import { processIdentity } from './processIdentity.ts';

export const DATA_DIR_LOCK_FILE = 'dgt.lock';

/** What a lock file says about the process that holds it. */
export interface LockHolder {
  readonly pid: number;
  readonly startedAt: string;
  readonly host?: string;
  /** `processIdentity` of the holder when it took the lock (Linux), to tell a reused pid from it. */
  readonly process?: string;
}

export interface DataDirLock {
  /** `<dataDir>/dgt.lock`. */
  readonly path: string;
  /** Removes the lock file if it is still this lock's; safe to call twice. */
  release(): void;
}

export interface LockDataDirOptions {
  /** Told when a lock left by a process that no longer runs is taken over. */
  readonly onStaleLock?: (stale: LockHolder | undefined, path: string) => void;
  /** Start time written into the lock. Default now. */
  readonly now?: () => Date;
  /** The way out offered when the directory is in use, e.g. `use --data <other dir>`. */
  readonly otherDirHint?: string;
}

/**
 * Lock files this process holds. A lock naming our own pid but not listed here is a leftover of
 * an earlier process that had the same pid (containers start every run as pid 1), not ours.
 */
const heldHere = new Set<string>();

/** How long an unreadable lock file counts as another process still writing it. */
const UNREADABLE_GRACE_MS = 2_000;
const MAX_ATTEMPTS = 5;

/**
 * Takes `<dataDir>/dgt.lock` exclusively, so that two stacks never write the same SQLite files
 * or run two projectors over them. A lock whose process no longer runs (or whose pid now names
 * another process) is taken over; one whose process runs makes this throw DataDirLockError
 * `DATA_DIR_IN_USE` naming that process. A missing directory is created owner-only.
 */
export function lockDataDir(dataDir: string, options: LockDataDirOptions = {}): DataDirLock {
  makePrivateDir(dataDir);
  const path = resolve(join(dataDir, DATA_DIR_LOCK_FILE));
  const token = randomUUID();
  const identity = processIdentity(process.pid);
  const startedAt = (options.now?.() ?? new Date()).toISOString();
  const content = `${JSON.stringify({ pid: process.pid, startedAt, host: hostname(), ...(identity === null ? {} : { process: identity }), token })}\n`;
  const hint = options.otherDirHint ?? 'use another data directory';

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (tryCreate(path, content)) {
      heldHere.add(path);
      return lockHandle(path, content);
    }
    const existing = readLock(path);
    if (existing === undefined) continue; // removed meanwhile: try again
    if (existing.holder === undefined) {
      // Just created by another process that has not written its pid yet, or left empty by a crash.
      if (existing.ageMs < UNREADABLE_GRACE_MS) throw inUse(dataDir, path, undefined, hint);
    } else if (isRunning(existing.holder, path)) {
      throw inUse(dataDir, path, existing.holder, hint);
    }
    if (moveAsideIfUnchanged(path, existing.text)) options.onStaleLock?.(existing.holder, path);
  }
  throw new DataDirLockError(`could not lock the data directory ${dataDir}: ${path} keeps changing; is another dgt starting on it?`);
}

function tryCreate(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } catch (error) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw error;
  }
  closeSync(fd);
  return true;
}

function readLock(path: string): { text: string; holder: LockHolder | undefined; ageMs: number } | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    const ageMs = Date.now() - statSync(path).mtimeMs;
    return { text, holder: parseHolder(text), ageMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as { pid?: unknown; startedAt?: unknown; host?: unknown; process?: unknown };
    // pid 0 or negative would make process.kill address a whole process group.
    if (typeof value.pid !== 'number' || !Number.isSafeInteger(value.pid) || value.pid <= 0) return undefined;
    return {
      pid: value.pid,
      startedAt: typeof value.startedAt === 'string' ? value.startedAt : 'unknown',
      ...(typeof value.host === 'string' ? { host: value.host } : {}),
      ...(typeof value.process === 'string' ? { process: value.process } : {}),
    };
  } catch {
    return undefined;
  }
}

function isRunning(holder: LockHolder, path: string): boolean {
  const { pid } = holder;
  if (pid === process.pid) return heldHere.has(path);
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  return !pidReused(holder);
}

/**
 * True when the pid runs but is not the process that wrote the lock: its start time differs.
 * Only decidable on the same host, for locks that recorded it, where /proc answers.
 */
function pidReused(holder: LockHolder): boolean {
  if (holder.process === undefined || (holder.host !== undefined && holder.host !== hostname())) return false;
  const now = processIdentity(holder.pid);
  return now !== null && now !== holder.process;
}

/**
 * Removes a stale lock only if it is still the one judged stale: rename is atomic, so of two
 * processes taking over the same stale lock only one moves it, and one that would move a lock
 * freshly taken by the other puts it back.
 */
function moveAsideIfUnchanged(path: string, staleText: string): boolean {
  const aside = `${path}.stale-${process.pid}-${randomUUID()}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    if (readFileSync(aside, 'utf8') === staleText) return true;
    try {
      linkSync(aside, path);
    } catch {
      // Yet another process locked it meanwhile; that lock stands.
    }
    return false;
  } finally {
    rmSync(aside, { force: true });
  }
}

function lockHandle(path: string, content: string): DataDirLock {
  let released = false;
  return {
    path,
    release: () => {
      if (released) return;
      released = true;
      heldHere.delete(path);
      try {
        // Never remove a lock that is no longer ours (deleted by hand and taken by another stack).
        if (readFileSync(path, 'utf8') === content) rmSync(path, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    },
  };
}

function inUse(dataDir: string, path: string, holder: LockHolder | undefined, hint: string): DataDirLockError {
  const who = holder === undefined ? 'another process (starting right now)' : `process ${holder.pid}${holder.host === undefined || holder.host === hostname() ? '' : ` on ${holder.host}`} (started ${holder.startedAt})`;
  return new DataDirLockError(`data directory ${dataDir} is in use by ${who}; stop it first or ${hint} (if no dgt runs as that process, delete ${path})`);
}
