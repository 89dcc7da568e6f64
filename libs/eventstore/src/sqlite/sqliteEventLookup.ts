import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { EventStoreError } from '../errors.ts';
import type { RecordedEventLookup } from '../port.ts';

/** Ids per lookup statement, well under SQLite's parameter limit. */
const ID_CHUNK = 200;

export interface SqliteEventLookup extends RecordedEventLookup {
  close(): Promise<void>;
}

/**
 * A read-only window on a SQLite event store that another process writes (the recorder): the
 * canonical JSON recorded under some ids, through the unique `event_id` index. A standalone
 * ingest gateway uses it to tell a retry from a conflicting re-use of an id; it can never write.
 */
export function openSqliteEventLookup(options: { path: string }): SqliteEventLookup {
  const path = resolve(options.path);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const events = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").pluck().get();
    if (events === undefined) {
      db.close();
      throw new EventStoreError('STORE_UNREADABLE', `${path} is not a dgt event store (no events table)`);
    }
  } catch (err) {
    if (err instanceof EventStoreError) throw err;
    throw new EventStoreError('STORE_UNREADABLE', `cannot open the event store at ${path} read-only: ${(err as Error).message}`, { cause: err });
  }
  const statements = new Map<number, Statement>();
  let closed = false;
  return {
    async recordedJson(eventIds) {
      if (closed) throw new EventStoreError('STORE_CLOSED', `the event store lookup on ${path} is closed`);
      const found = new Map<string, string>();
      for (let i = 0; i < eventIds.length; i += ID_CHUNK) {
        const chunk = eventIds.slice(i, i + ID_CHUNK);
        let stmt = statements.get(chunk.length);
        if (stmt === undefined) {
          stmt = db.prepare(`SELECT event_id, json FROM events WHERE event_id IN (${chunk.map(() => '?').join(', ')})`).raw();
          statements.set(chunk.length, stmt);
        }
        for (const [id, json] of stmt.all(chunk) as [string, string][]) found.set(id, json);
      }
      return found;
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
