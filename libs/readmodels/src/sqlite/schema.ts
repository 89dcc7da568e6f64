import type { Database } from 'better-sqlite3';
import { ReadModelError } from '../errors.ts';

export const SCHEMA_VERSION = 2;

/** Tables of version 1; a database with other tables (or missing one) is not ours. */
const TABLES_V1 = ['rm_meta', 'rm_vehicles', 'rm_violations', 'rm_consignments', 'rm_carriers', 'rm_zones', 'rm_engine_state'] as const;
/** Every table this store owns now. */
export const TABLES = [...TABLES_V1, 'rm_registry'] as const;

/** Every table holding projected rows or state (emptied by `reset`). */
export const DATA_TABLES = ['rm_vehicles', 'rm_violations', 'rm_consignments', 'rm_carriers', 'rm_zones', 'rm_engine_state', 'rm_registry'] as const;

/**
 * Version 1. Each row is kept whole as JSON (what the API sends); the other columns exist only
 * to filter, order and scope without parsing it. Indexes are few on purpose: every one is paid
 * on each upsert, and the projector commits thousands of rows per batch.
 *
 * `started_ms` is the violation's start as epoch ms: ISO strings with different offsets do
 * not sort as text. The violation indexes match the listing order (newest first, then id)
 * so a page is an index range scan whatever the filter.
 */
const v1 = `
CREATE TABLE rm_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
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
CREATE TABLE rm_violations (
  violation_id TEXT PRIMARY KEY NOT NULL,
  type         TEXT NOT NULL,
  status       TEXT NOT NULL,
  carrier_id   TEXT,
  vehicle_id   TEXT NOT NULL,
  started_ms   INTEGER NOT NULL,
  json         TEXT NOT NULL
);
CREATE INDEX rm_violations_by_start   ON rm_violations (started_ms DESC, violation_id);
CREATE INDEX rm_violations_by_carrier ON rm_violations (carrier_id, started_ms DESC, violation_id);
CREATE INDEX rm_violations_by_vehicle ON rm_violations (vehicle_id, started_ms DESC, violation_id);
CREATE INDEX rm_violations_open       ON rm_violations (started_ms DESC, violation_id) WHERE status = 'open';
CREATE TABLE rm_consignments (waybill_no TEXT PRIMARY KEY NOT NULL, carrier_id TEXT, json TEXT NOT NULL);
CREATE TABLE rm_carriers (carrier_id TEXT PRIMARY KEY NOT NULL, json TEXT NOT NULL);
CREATE TABLE rm_zones (zone_id TEXT PRIMARY KEY NOT NULL, json TEXT NOT NULL);
CREATE TABLE rm_engine_state (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
`;

/**
 * Version 2: the register (plate and ownership periods per registered vehicle). `plate_key` is
 * indexed for the ingest gateway's "is this plate taken" check.
 */
const v2 = `
CREATE TABLE rm_registry (vehicle_id TEXT PRIMARY KEY NOT NULL, plate_key TEXT NOT NULL, json TEXT NOT NULL);
CREATE INDEX rm_registry_by_plate ON rm_registry (plate_key);
`;

/**
 * Version 1 → 2 cannot be computed from version 1's rows: they were projected when a second
 * VehicleRegistered moved a vehicle with its whole history, and the saved projector state holds
 * no register. So the upgrade empties the store (rows, projector state, checkpoint, as
 * `dgt projector --rebuild` does) and the projector re-projects the event store from the start:
 * the record is the source of truth, detections already recorded are skipped, their alerts are
 * not sent again.
 */
function upgradeFrom1(db: Database): void {
  for (const t of TABLES_V1) if (t !== 'rm_meta') db.prepare(`DELETE FROM ${t}`).run();
  db.prepare("DELETE FROM rm_meta WHERE key = 'checkpoint'").run();
  db.exec(v2);
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

/** Creates the schema in an empty database, or upgrades an older one step by step, or checks a current one. */
export function migrate(db: Database, path: string): void {
  db.transaction(() => {
    const version = checkSchema(db, path);
    if (version === SCHEMA_VERSION) return;
    if (version === 0) {
      db.exec(v1);
      db.exec(v2);
      db.prepare("INSERT INTO rm_meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
      return;
    }
    if (version === 1) upgradeFrom1(db);
    db.prepare("UPDATE rm_meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION));
  }).immediate();
}
