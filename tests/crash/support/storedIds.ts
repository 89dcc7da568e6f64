import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * How often each event id starting with `prefix` is in the SQLite event store of a data
 * directory (`events.sqlite`), read directly: the check must not trust the code under test.
 * Safe beside a running stack (WAL readers do not block its writer).
 */
export function storedIdCounts(dataDir: string, prefix: string): Map<string, number> {
  const db = new Database(join(dataDir, 'events.sqlite'), { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // A range on the unique event_id index: every id that starts with the prefix.
    const rows = db
      .prepare('SELECT event_id, count(*) FROM events WHERE event_id >= ? AND event_id < ? GROUP BY event_id')
      .raw(true)
      .all(prefix, `${prefix}\uffff`) as [string, number][];
    return new Map(rows);
  } finally {
    db.close();
  }
}
