import type { Database } from 'better-sqlite3';
import { ReadModelError } from '../errors.ts';

export const SCHEMA_VERSION = 1;

/** Every table this store owns; a database with other tables (or missing one) is not ours. */
export const TABLES = ['rm_meta', 'rm_vehicles', 'rm_violations', 'rm_consignments', 'rm_carriers', 'rm_zones', 'rm_engine_state'] as const;

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

function userTables(db: Database): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
}

/** Refuses a database that is not (or is a newer) dgt read-model store; returns false when it is empty. */
export function checkSchema(db: Database, path: string): boolean {
  const tables = userTables(db);
  if (tables.length === 0) return false;
  const missing = TABLES.filter((t) => !tables.includes(t));
  if (missing.length > 0) throw new ReadModelError('STORE_UNREADABLE', `${path} is a SQLite database but not a dgt read-model store (tables: ${tables.join(', ')})`);
  const version = db.prepare("SELECT value FROM rm_meta WHERE key = 'schema_version'").pluck().get() as string | undefined;
  if (version === undefined) throw new ReadModelError('STORE_UNREADABLE', `${path}: the read-model store has no schema version`);
  if (Number(version) > SCHEMA_VERSION)
    throw new ReadModelError('SCHEMA_TOO_NEW', `${path} has read-model schema version ${version}; this code supports up to ${SCHEMA_VERSION}`);
  return true;
}

/** Creates the schema in an empty database, or checks an existing one. */
export function migrate(db: Database, path: string): void {
  db.transaction(() => {
    if (checkSchema(db, path)) return; // Future migrations go here, one step per version.
    db.exec(v1);
    db.prepare("INSERT INTO rm_meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
  }).immediate();
}
