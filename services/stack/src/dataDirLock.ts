import { randomUUID } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { StackError } from './stackError.ts';

export const DATA_DIR_LOCK_FILE = 'dgt.lock';

/** What a lock file says about the process that holds it. */
export interface LockHolder {
  readonly pid: number;
  readonly startedAt: string;
  readonly host?: string;
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
 * or run two projectors over them. A lock whose process no longer runs is taken over; one whose
 * process runs makes this throw StackError `DATA_DIR_IN_USE` naming that process.
 */
export function lockDataDir(dataDir: string, options: LockDataDirOptions = {}): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = resolve(join(dataDir, DATA_DIR_LOCK_FILE));
  const token = randomUUID();
  const content = `${JSON.stringify({ pid: process.pid, startedAt: (options.now?.() ?? new Date()).toISOString(), host: hostname(), token })}\n`;

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (tryCreate(path, content)) {
      heldHere.add(path);
      return lockHandle(path, content);
    }
    const existing = readLock(path);
    if (existing === undefined) continue; // removed meanwhile: try again
    if (existing.holder === undefined) {
      // Just created by another process that has not written its pid yet, or left empty by a crash.
      if (existing.ageMs < UNREADABLE_GRACE_MS) throw inUse(dataDir, path, undefined);
    } else if (isRunning(existing.holder.pid, path)) {
      throw inUse(dataDir, path, existing.holder);
    }
    if (moveAsideIfUnchanged(path, existing.text)) options.onStaleLock?.(existing.holder, path);
  }
  throw new StackError('DATA_DIR_IN_USE', `could not lock the data directory ${dataDir}: ${path} keeps changing; is another dgt starting on it?`);
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
    const value = JSON.parse(text) as { pid?: unknown; startedAt?: unknown; host?: unknown };
    // pid 0 or negative would make process.kill address a whole process group.
    if (typeof value.pid !== 'number' || !Number.isSafeInteger(value.pid) || value.pid <= 0) return undefined;
    return {
      pid: value.pid,
      startedAt: typeof value.startedAt === 'string' ? value.startedAt : 'unknown',
      ...(typeof value.host === 'string' ? { host: value.host } : {}),
    };
  } catch {
    return undefined;
  }
}

function isRunning(pid: number, path: string): boolean {
  if (pid === process.pid) return heldHere.has(path);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
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

function inUse(dataDir: string, path: string, holder: LockHolder | undefined): StackError {
  const who = holder === undefined ? 'another process (starting right now)' : `process ${holder.pid}${holder.host === undefined || holder.host === hostname() ? '' : ` on ${holder.host}`} (started ${holder.startedAt})`;
  return new StackError(
    'DATA_DIR_IN_USE',
    `data directory ${dataDir} is in use by ${who}; stop it first or use --data <other dir> (if no dgt runs as that process, delete ${path})`,
  );
}
