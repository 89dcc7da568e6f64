import { preparePrivateSqliteFile } from '@dgt/datadir';
import Database from 'better-sqlite3';
import { BusError } from '../errors.ts';

export type Db = Database.Database;

/**
 * `NORMAL`: a commit has written the WAL (the OS holds it) before `send` resolves, so a killed or
 * crashed process loses nothing; an OS crash or power loss can lose the last commits.
 * `FULL`: every commit also fsyncs the WAL, so a resolved send survives power loss too.
 */
export type BusSynchronous = 'NORMAL' | 'FULL';

const SCHEMA_VERSION = 1;

/**
 * Version 1. One table per partition (`log_<id>`, created with the topic) whose rowid is the
 * offset, as Kafka keeps one log per partition: appends go to the end of its own B-tree, a batch
 * is one contiguous range read, and retention deletes a prefix. `partitions` keeps each log's
 * start and end (the end survives retention deleting every message). `offsets` are the groups'
 * committed offsets, with the time of the last commit for offsets retention.
 */
const v1 = `
CREATE TABLE dgt_bus_schema (version INTEGER NOT NULL);
CREATE TABLE partitions (
  id        INTEGER PRIMARY KEY,
  topic     TEXT    NOT NULL,
  partition INTEGER NOT NULL,
  log_start INTEGER NOT NULL,
  log_end   INTEGER NOT NULL,
  UNIQUE (topic, partition)
);
CREATE TABLE offsets (
  group_id     TEXT    NOT NULL,
  topic        TEXT    NOT NULL,
  partition    INTEGER NOT NULL,
  next_offset  INTEGER NOT NULL,
  committed_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, topic, partition)
) WITHOUT ROWID;
`;

/** The statement that creates one partition's log table. */
export const logTableSql = (id: number): string =>
  `CREATE TABLE log_${id} (msg_offset INTEGER PRIMARY KEY, key TEXT NOT NULL, value BLOB NOT NULL, headers BLOB, timestamp INTEGER NOT NULL)`;

/** Opens (creating if missing) the bus file, private to its owner, for this process alone. */
export function openBusDatabase(path: string, synchronous: BusSynchronous): Db {
  // Messages are events a gateway acknowledged: as private as the event store (0600, and so its -wal).
  preparePrivateSqliteFile(path);
  let db: Db | undefined;
  try {
    // No other connection ever shares the file (see below), so waiting for a lock would only
    // delay the error of a second process opening it.
    db = new Database(path, { timeout: 1000 });
    // Before WAL is entered: SQLite then keeps the WAL index in heap memory (no -shm file) and
    // holds the file lock, so a second process opening the same bus fails instead of sharing it.
    db.pragma('locking_mode = EXCLUSIVE');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`cannot switch to WAL journal mode (got ${String(mode)})`);
    db.pragma(`synchronous = ${synchronous}`);
    // Checkpoints stay at SQLite's default (every 4 MiB of WAL): they run inside a commit, and
    // 16 MiB ones gained no measurable throughput but tripled the p99 of a send (bench/).
    // A checkpoint resets the WAL but leaves the file at its peak size; keep that bounded.
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    migrate(db, path);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof BusError) throw error;
    const locked = (error as { code?: string }).code === 'SQLITE_BUSY' ? ' (another process has it open)' : '';
    throw new BusError('ADMIN_FAILED', `cannot open the bus file ${path}: ${(error as Error).message}${locked}`, { cause: error });
  }
}

function migrate(db: Db, path: string): void {
  db.transaction(() => {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    if (tables.length === 0) {
      db.exec(v1);
      db.prepare('INSERT INTO dgt_bus_schema (version) VALUES (?)').run(SCHEMA_VERSION);
      return;
    }
    if (!tables.includes('dgt_bus_schema') || !tables.includes('partitions') || !tables.includes('offsets'))
      throw new BusError('ADMIN_FAILED', `${path} is a SQLite database but not a dgt bus (tables: ${tables.join(', ')})`);
    const version = db.prepare('SELECT max(version) FROM dgt_bus_schema').pluck().get() as number | null;
    if (version === null || version > SCHEMA_VERSION)
      throw new BusError('ADMIN_FAILED', `${path} has bus schema version ${String(version)}; this code supports ${SCHEMA_VERSION}`);
  }).immediate();
}
