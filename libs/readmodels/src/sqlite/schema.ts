import type { Database } from 'better-sqlite3';
import { ReadModelError } from '../errors.ts';

export const SCHEMA_VERSION = 5;

/** Tables of version 1; a database with other tables (or missing one) is not ours. */
const TABLES_V1 = ['rm_meta', 'rm_vehicles', 'rm_violations', 'rm_consignments', 'rm_carriers', 'rm_zones', 'rm_engine_state'] as const;
/** Every table this store owns now. */
export const TABLES = [...TABLES_V1, 'rm_registry', 'rm_advisories', 'rm_cases', 'rm_planning'] as const;

/** Every table holding projected rows or state (emptied by `reset`). */
export const DATA_TABLES = TABLES.filter((t) => t !== 'rm_meta');

/**
 * A table of violations or of advisories (version 3): kept, owned, filtered and paged the same
 * way. `started_ms` is the start as epoch ms (ISO strings with different offsets do not sort as
 * text); the indexes match the listing order (newest first, then id) so a page is an index range
 * scan whatever the filter.
 */
const occurrenceTable = (name: string) => `
CREATE TABLE ${name} (
  id          TEXT PRIMARY KEY NOT NULL,
  kind        TEXT NOT NULL,
  status      TEXT NOT NULL,
  carrier_id  TEXT,
  vehicle_id  TEXT NOT NULL,
  started_ms  INTEGER NOT NULL,
  json        TEXT NOT NULL
);
CREATE INDEX ${name}_by_start   ON ${name} (started_ms DESC, id);
CREATE INDEX ${name}_by_carrier ON ${name} (carrier_id, started_ms DESC, id);
CREATE INDEX ${name}_by_vehicle ON ${name} (vehicle_id, started_ms DESC, id);
CREATE INDEX ${name}_open       ON ${name} (started_ms DESC, id) WHERE status = 'open';
`;

/**
 * The case list (version 4): one row per case, whole as JSON, with the columns it is filtered and
 * scoped on. `opened_ms` is `openedAt` as epoch ms; the indexes follow the listing order (newest
 * opened first, then case_id descending). Its checkpoint is `rm_meta.case_checkpoint`.
 */
const casesTable = `
CREATE TABLE rm_cases (
  case_id     TEXT PRIMARY KEY NOT NULL,
  status      TEXT NOT NULL,
  kind        TEXT NOT NULL,
  carrier_id  TEXT NOT NULL,
  vehicle_id  TEXT NOT NULL,
  opened_ms   INTEGER NOT NULL,
  json        TEXT NOT NULL
);
CREATE INDEX rm_cases_by_opened  ON rm_cases (opened_ms DESC, case_id DESC);
CREATE INDEX rm_cases_by_carrier ON rm_cases (carrier_id, opened_ms DESC, case_id DESC);
`;

/**
 * The current schema. Each row is kept whole as JSON (what the API sends); the other columns
 * exist only to filter, order and scope without parsing it. Indexes are few on purpose: every one
 * is paid on each upsert, and the projector commits thousands of rows per batch. `rm_registry`
 * (version 2) is the register; `plate_key` is indexed for the ingest gateway's "is this plate
 * taken" check.
 */
const current = `
CREATE TABLE rm_vehicles (
  vehicle_id   TEXT PRIMARY KEY NOT NULL,
  carrier_id   TEXT,
  laden        INTEGER NOT NULL,
  in_violation INTEGER NOT NULL,
  lon          REAL,
  lat          REAL,
  json         TEXT NOT NULL
);
CREATE INDEX rm_vehicles_by_carrier ON rm_vehicles (carrier_id, vehicle_id);
${occurrenceTable('rm_violations')}
${occurrenceTable('rm_advisories')}
CREATE TABLE rm_consignments (waybill_no TEXT PRIMARY KEY NOT NULL, carrier_id TEXT, json TEXT NOT NULL);
CREATE TABLE rm_carriers (carrier_id TEXT PRIMARY KEY NOT NULL, json TEXT NOT NULL);
CREATE TABLE rm_zones (zone_id TEXT PRIMARY KEY NOT NULL, json TEXT NOT NULL);
CREATE TABLE rm_engine_state (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
CREATE TABLE rm_registry (vehicle_id TEXT PRIMARY KEY NOT NULL, plate_key TEXT NOT NULL, json TEXT NOT NULL);
CREATE INDEX rm_registry_by_plate ON rm_registry (plate_key);
${casesTable}
CREATE TABLE rm_planning (id TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL);`;

/**
 * An older store cannot be upgraded from its own rows: version 1's were projected when a second
 * VehicleRegistered moved a vehicle with its whole history (and its projector state holds no
 * register); version 2's count every laden segment passage as a violation and lack the fields and
 * the advisories of the catalogue (issue 15). So the upgrade empties the store — rows, projector
 * state, checkpoint, as `dgt projector --rebuild` does — and the projector re-projects the event
 * store from the start: the record is the source of truth, detections already recorded are
 * skipped, their alerts are not sent again.
 */
function rebuildFromOlder(db: Database, tables: readonly string[]): void {
  for (const t of tables) if (t !== 'rm_meta') db.exec(`DROP TABLE ${t}`);
  db.prepare("DELETE FROM rm_meta WHERE key IN ('checkpoint', 'case_checkpoint')").run();
  db.exec(current);
}

function userTables(db: Database): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
}

/**
 * Refuses a database that is not (or is a newer) dgt read-model store. Returns its schema
 * version, or 0 when the database is empty.
 */
export function checkSchema(db: Database, path: string): number {
  const tables = userTables(db);
  if (tables.length === 0) return 0;
  const missing = TABLES_V1.filter((t) => !tables.includes(t));
  if (missing.length > 0) throw new ReadModelError('STORE_UNREADABLE', `${path} is a SQLite database but not a dgt read-model store (tables: ${tables.join(', ')})`);
  const version = db.prepare("SELECT value FROM rm_meta WHERE key = 'schema_version'").pluck().get() as string | undefined;
  if (version === undefined) throw new ReadModelError('STORE_UNREADABLE', `${path}: the read-model store has no schema version`);
  const n = Number(version);
  if (n > SCHEMA_VERSION) throw new ReadModelError('SCHEMA_TOO_NEW', `${path} has read-model schema version ${version}; this code supports up to ${SCHEMA_VERSION}`);
  if (n >= 2 && !tables.includes('rm_registry')) throw new ReadModelError('STORE_UNREADABLE', `${path}: read-model schema version ${version} without its rm_registry table`);
  if (n >= 3 && !tables.includes('rm_advisories')) throw new ReadModelError('STORE_UNREADABLE', `${path}: read-model schema version ${version} without its rm_advisories table`);
  if (n >= 4 && !tables.includes('rm_cases')) throw new ReadModelError('STORE_UNREADABLE', `${path}: read-model schema version ${version} without its rm_cases table`);
  if (n >= 5 && !tables.includes('rm_planning')) throw new ReadModelError('STORE_UNREADABLE', `${path}: read-model schema version ${version} without its rm_planning table`);
  return n;
}

/** For a read-only open: the file must be a store of exactly this version (only a writer upgrades). */
export function checkReadableSchema(db: Database, path: string): void {
  const version = checkSchema(db, path);
  if (version === 0) throw new ReadModelError('STORE_UNREADABLE', `${path} is an empty SQLite database, not a dgt read-model store`);
  if (version < SCHEMA_VERSION)
    throw new ReadModelError(
      'STORE_UNREADABLE',
      `${path} has read-model schema version ${version}, older than this code's ${SCHEMA_VERSION}: start the projector (or \`dgt projector --rebuild\`), which upgrades it by re-projecting the event store`,
    );
}

/**
 * Creates the schema in an empty database, upgrades an older one, or checks a current one.
 * Every older version is rebuilt (`rebuildFromOlder`): version 5's planning aggregates (lot
 * occupancy, parking demand, segment exposure) are folded from every fix since the start, which
 * only a re-projection can give.
 */
export function migrate(db: Database, path: string): void {
  db.transaction(() => {
    const version = checkSchema(db, path);
    if (version === SCHEMA_VERSION) return;
    if (version === 0) {
      db.exec('CREATE TABLE rm_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);');
      db.exec(current);
      db.prepare("INSERT INTO rm_meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
      return;
    }
    rebuildFromOlder(db, userTables(db));
    db.prepare("UPDATE rm_meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION));
  }).immediate();
}
