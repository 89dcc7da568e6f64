import { join } from 'node:path';
import Database from 'better-sqlite3';

export interface StoreWriteLock {
  release(): void;
}

/**
 * Holds the write lock of a data directory's event store (`BEGIN IMMEDIATE` on events.sqlite from
 * this process): the stack's recorder cannot append meanwhile (its append waits out the store's
 * 5 s busy timeout, then fails and is retried), while the gateway acknowledges what reaches the
 * bus. A batch sent after the lock was taken and acknowledged before the kill is then certain to
 * be only in the bus — a recorder that fell behind, made deterministic — so the crash tests fail
 * for a bus that loses it, instead of passing whenever the recorder happened to keep up.
 */
export function holdStoreWriteLock(dataDir: string): StoreWriteLock {
  const db = new Database(join(dataDir, 'events.sqlite'), { fileMustExist: true, timeout: 10_000 });
  db.exec('BEGIN IMMEDIATE');
  return {
    release: () => {
      db.exec('ROLLBACK');
      db.close();
    },
  };
}
