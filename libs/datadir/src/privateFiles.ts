import { chmodSync, closeSync, createWriteStream, mkdirSync, openSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Owner read and write only. The event store is the evidence record, the read models show where
 * every vehicle is, reports name vehicles and waybills, key files hold secrets: none of it is for
 * the other accounts of the machine.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** The files SQLite keeps beside a database; it creates them with the database file's mode. */
const sqliteCompanions = ['-wal', '-shm', '-journal'] as const;

const posix = process.platform !== 'win32';

/** Creates a folder (and missing parents) owner-only; folders that exist are left as they are. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Takes group and other permissions off an existing file of ours (one written by an earlier
 * version, or by a umask-less tool). A file of another user, or one that does not exist, is left
 * alone: this only ever narrows access.
 */
export function tightenFile(path: string): void {
  if (!posix) return;
  let mode: number;
  let uid: number;
  try {
    ({ mode, uid } = statSync(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((mode & 0o077) === 0 || uid !== process.getuid?.()) return;
  // By path, never through a file descriptor: closing any descriptor of a SQLite file drops every
  // POSIX lock this process holds on it, including those of open connections.
  chmodSync(path, mode & 0o700);
}

/**
 * Makes a SQLite database file owner-only before SQLite opens it: a missing file is created empty
 * with mode 0600 (SQLite would create it 0644 under the usual umask, and its -wal and -shm files
 * copy the database file's mode); an existing one, and companions left beside it, are tightened.
 * Its folder is created owner-only when missing.
 */
export function preparePrivateSqliteFile(path: string): void {
  makePrivateDir(dirname(path));
  if (!createPrivateFile(path)) tightenFile(path);
  for (const suffix of sqliteCompanions) tightenFile(`${path}${suffix}`);
}

/** Creates an empty file with mode 0600; false when it exists already (it is left untouched). */
export function createPrivateFile(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  closeSync(fd);
  return true;
}

/** `writeFileSync` for files holding data or secrets: 0600 when created, tightened when it existed. */
export function writePrivateFile(path: string, data: string | Uint8Array): void {
  writeFileSync(path, data, { mode: PRIVATE_FILE_MODE });
  tightenFile(path);
}

/** `createWriteStream` for files holding data: 0600 when created, tightened when it existed. */
export function createPrivateWriteStream(path: string): WriteStream {
  const stream = createWriteStream(path, { mode: PRIVATE_FILE_MODE });
  // The file exists once the stream opened it; an older file keeps its mode until tightened.
  stream.once('open', () => tightenFile(path));
  return stream;
}
