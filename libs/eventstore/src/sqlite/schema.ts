import type { Database } from 'better-sqlite3';
import { EventStoreError } from '../errors.ts';

export const SCHEMA_VERSION = 1;
const SCHEMA_TABLE = 'dgt_eventstore_schema';

/**
 * Version 1. `position` is the rowid: assigned inside the single writer transaction, so it
 * is the global commit order. The canonical envelope is stored once (`json`); the other
 * columns exist only to be indexed or filtered without parsing it.
 *
 * Time windows are indexed per commit, not per event: `commits` holds one row per append with
 * its position range and `occurredAt` bounds (a block-range index). A per-event index on
 * `occurred_ms` would take a scattered B-tree insert for every fix (1,000 vehicles report the
 * same instants), which halves append throughput; a window read instead skips whole commits
 * and filters inside the ones that overlap.
 */
const v1 = `
CREATE TABLE events (
  position    INTEGER PRIMARY KEY,
  stream_id   TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  event_id    TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  occurred_ms INTEGER NOT NULL,
  recorded_at TEXT    NOT NULL,
  json        TEXT    NOT NULL
);
CREATE UNIQUE INDEX events_by_stream   ON events (stream_id, revision);
CREATE UNIQUE INDEX events_by_event_id ON events (event_id);
CREATE TABLE commits (
  first_position  INTEGER PRIMARY KEY,
  last_position   INTEGER NOT NULL,
  min_occurred_ms INTEGER NOT NULL,
  max_occurred_ms INTEGER NOT NULL
);
CREATE TABLE ${SCHEMA_TABLE} (version INTEGER NOT NULL, migrated_at TEXT NOT NULL);
`;

/** Creates the schema in an empty database; refuses databases that are not (or are a newer) dgt event store. */
export function migrate(db: Database, path: string, nowIso: string): void {
  db.transaction(() => {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    if (tables.length === 0) {
      db.exec(v1);
      db.prepare(`INSERT INTO ${SCHEMA_TABLE} (version, migrated_at) VALUES (?, ?)`).run(SCHEMA_VERSION, nowIso);
      return;
    }
    if (!tables.includes(SCHEMA_TABLE) || !tables.includes('events') || !tables.includes('commits'))
      throw new EventStoreError('STORE_UNREADABLE', `${path} is a SQLite database but not a dgt event store (tables: ${tables.join(', ')})`);
    const version = db.prepare(`SELECT max(version) FROM ${SCHEMA_TABLE}`).pluck().get() as number | null;
    if (version === null) throw new EventStoreError('STORE_UNREADABLE', `${path}: the event store has no schema version`);
    if (version > SCHEMA_VERSION)
      throw new EventStoreError('SCHEMA_TOO_NEW', `${path} has event store schema version ${version}; this code supports up to ${SCHEMA_VERSION}`);
    // Future migrations go here, one step per version.
  }).immediate();
}
