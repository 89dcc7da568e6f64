import type { Database as Db } from 'better-sqlite3';

/** The settings every connection that reads or writes the store's events gets (the store's own, the append worker's). */
export function tuneConnection(db: Db, synchronous: 'NORMAL' | 'FULL'): void {
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  // Statement journals of the multi-row writes went to temp files: ~120 MB of writes per
  // million-event catch-up, for data that never outlives the statement.
  db.pragma('temp_store = MEMORY');
}
