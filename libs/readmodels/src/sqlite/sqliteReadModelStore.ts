import { existsSync } from 'node:fs';
import { preparePrivateSqliteFile } from '@dgt/datadir';
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { checkCaseCommit, type StoredCase } from '../cases/caseCommit.ts';
import type { CaseCommit, CaseListQuery, CaseReadModel } from '../cases/casePort.ts';
import type { CaseRow } from '../cases/caseRow.ts';
import { decodeFleetCursor, encodeFleetCursor } from '../cursor.ts';
import { ReadModelError } from '../errors.ts';
import { advisoryRows, violationRows } from '../occurrenceRows.ts';
import { consignmentVisibleTo } from '../ownership.ts';
import type { AdvisoryQuery, FleetQuery, Page, PlanningRow, ReadModelBatch, ReadModelSizes, ReadModelStore, Scope, ViolationQuery } from '../port.ts';
import { boundMs, checkBbox, checkLimit } from '../queryArgs.ts';
import { listCarrier, visibleTo } from '../scope.ts';
import type { AdvisoryView, CarrierView, ConsignmentView, FleetVehicle, VehicleRegistration, ViolationView, ZoneView } from '../views.ts';
import { CaseTable, casesTable } from './caseTable.ts';
import { OccurrenceTable, type StoredOccurrence } from './occurrenceTable.ts';
import { checkReadableSchema, DATA_TABLES, migrate } from './schema.ts';
import { StatisticsQueries } from './statisticsQueries.ts';
import type { ReadModelStatistics, StatisticsQuery } from '../statistics.ts';
import { carriersTable, CHUNK, consignmentsTable, engineStateTable, type Param, planningTable, registryTable, type Table, upsertSql, vehiclesTable, zonesTable } from './tables.ts';

/** A batch's violations and advisories, checked before its transaction starts. */
interface CheckedRows {
  readonly violations: StoredOccurrence<ViolationView>[];
  readonly advisories: StoredOccurrence<AdvisoryView>[];
}

export const DEFAULT_READMODELS_PATH = './data/readmodels.sqlite';

export interface SqliteReadModelStoreOptions {
  /** Database file; its folder is created (unless read-only). */
  readonly path: string;
  /**
   * Opens an existing store for queries only (the API next to a projector in another process):
   * the file must exist, and commit/reset are refused.
   */
  readonly readonly?: boolean;
}

function wrapOpenError(path: string, err: unknown): ReadModelError {
  if (err instanceof ReadModelError) return err;
  return new ReadModelError('STORE_UNREADABLE', `cannot open the read-model store at ${path}: ${(err as Error).message}`, { cause: err });
}

function openDatabase(path: string, readonly: boolean): Db {
  if (readonly && !existsSync(path))
    throw new ReadModelError('STORE_NOT_FOUND', `no read-model store at ${path}: start the projector (it creates the file) or set DGT_READMODELS_PATH`);
  let db: Db | undefined;
  try {
    // Where every vehicle is and was: owner-only before SQLite creates it (its -wal and -shm follow).
    if (!readonly) preparePrivateSqliteFile(path);
    db = new Database(path, { readonly, fileMustExist: readonly });
    // Reading the header turns "not a database" into an error now, not on first use.
    db.pragma('schema_version');
    db.pragma('busy_timeout = 5000');
    if (readonly) {
      checkReadableSchema(db, path);
    } else {
      // Larger pages than the 4 KiB default: rows are ~0.5 KiB of JSON, and the bench showed
      // fewer, fuller pages cut commit time (only takes effect on a new, empty file).
      db.pragma('page_size = 8192');
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new Error(`cannot switch to WAL journal mode (got ${String(mode)})`);
      // With WAL a commit is atomic and survives a process crash; a power loss may drop the
      // last commits, which the projector then re-applies from its (equally old) checkpoint.
      db.pragma('synchronous = NORMAL');
      db.pragma('cache_size = -65536');
      // Statement journals of the multi-row writes went to temp files: ~120 MB of writes per
      // million-event catch-up, for data that never outlives the statement.
      db.pragma('temp_store = MEMORY');
      migrate(db, path);
    }
    return db;
  } catch (err) {
    db?.close();
    throw wrapOpenError(path, err);
  }
}

class SqliteReadModelStore implements ReadModelStore, CaseReadModel {
  readonly #path: string;
  readonly #db: Db;
  readonly #readonly: boolean;
  #closed = false;
  /** Bumped by this connection's own writes and whenever `data_version` shows another connection's. */
  #generation = 0;
  #lastDataVersion: number;

  readonly #upserts = new Map<string, Statement>();
  readonly #queries = new Map<string, Statement>();
  readonly #dataVersionStmt: Statement<[], number>;
  readonly #checkpointStmt: Statement<[], string | undefined>;
  readonly #setCheckpointStmt: Statement<[string]>;
  readonly #deleteZoneStmt: Statement<[string]>;
  readonly #deleteStateStmt: Statement<[string]>;
  readonly #engineStateStmt: Statement<[], [string, string]>;
  readonly #vehicleStmt: Statement<[string], string | undefined>;
  readonly #consignmentStmt: Statement<[string], string | undefined>;
  readonly #carrierStmt: Statement<[string], string | undefined>;
  readonly #zonesStmt: Statement<[], string>;
  readonly #planningStmt: Statement<[], PlanningRow>;
  readonly #registrationStmt: Statement<[string], string | undefined>;
  readonly #registrationByPlateStmt: Statement<[string], string | undefined>;
  readonly #registrationsStmt: Statement<[], string>;
  readonly #violations: OccurrenceTable<ViolationView>;
  readonly #advisories: OccurrenceTable<AdvisoryView>;
  readonly #unregisterStmt: Statement<[string]>;
  readonly #sizesStmt: Statement<[], ReadModelSizes>;
  readonly #commitTx: (batch: ReadModelBatch, rows: CheckedRows) => void;
  readonly #resetTx: () => void;
  readonly #cases: CaseTable;
  readonly #statistics: StatisticsQueries;
  readonly #setCaseCheckpointStmt: Statement<[string]>;
  readonly #commitCasesTx: (checkpoint: string, rows: readonly StoredCase[]) => void;

  constructor(path: string, db: Db, readonly: boolean) {
    this.#path = path;
    this.#db = db;
    this.#readonly = readonly;
    this.#dataVersionStmt = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.#lastDataVersion = this.#dataVersionStmt.get()!;
    this.#checkpointStmt = db.prepare<[], string | undefined>("SELECT value FROM rm_meta WHERE key = 'checkpoint'").pluck();
    this.#engineStateStmt = db.prepare<[], [string, string]>('SELECT key, value FROM rm_engine_state').raw();
    this.#vehicleStmt = db.prepare<[string], string | undefined>('SELECT json FROM rm_vehicles WHERE vehicle_id = ?').pluck();
    this.#consignmentStmt = db.prepare<[string], string | undefined>('SELECT json FROM rm_consignments WHERE waybill_no = ?').pluck();
    this.#carrierStmt = db.prepare<[string], string | undefined>('SELECT json FROM rm_carriers WHERE carrier_id = ?').pluck();
    this.#zonesStmt = db.prepare<[], string>('SELECT json FROM rm_zones ORDER BY zone_id').pluck();
    this.#planningStmt = db.prepare<[], PlanningRow>('SELECT kind, key, data FROM rm_planning ORDER BY kind, key');
    this.#registrationStmt = db.prepare<[string], string | undefined>('SELECT json FROM rm_registry WHERE vehicle_id = ?').pluck();
    // Plates are unique among registered vehicles (the projector keeps them so); LIMIT 1 for a file written otherwise.
    this.#registrationsStmt = db.prepare<[], string>('SELECT json FROM rm_registry ORDER BY vehicle_id').pluck();
    this.#registrationByPlateStmt = db.prepare<[string], string | undefined>('SELECT json FROM rm_registry WHERE plate_key = ? ORDER BY vehicle_id LIMIT 1').pluck();
    this.#violations = new OccurrenceTable(db, 'rm_violations', violationRows, readonly);
    this.#advisories = new OccurrenceTable(db, 'rm_advisories', advisoryRows, readonly);
    this.#cases = new CaseTable(db);
    this.#statistics = new StatisticsQueries(db);
    this.#sizesStmt = db.prepare<[], ReadModelSizes>(
      `SELECT (SELECT count(*) FROM rm_vehicles) AS vehicles, (SELECT count(*) FROM rm_violations) AS violations,
              (SELECT count(*) FROM rm_violations WHERE status = 'open') AS openViolations, (SELECT count(*) FROM rm_advisories) AS advisories,
              (SELECT count(*) FROM rm_advisories WHERE status = 'open') AS openAdvisories, (SELECT count(*) FROM rm_consignments) AS consignments,
              (SELECT count(*) FROM rm_carriers) AS carriers, (SELECT count(*) FROM rm_zones) AS zones`,
    );
    // Write statements cannot be prepared on a read-only connection.
    const write = <P extends unknown[]>(sql: string) => (readonly ? (undefined as unknown as Statement<P>) : db.prepare<P>(sql));
    this.#setCheckpointStmt = write<[string]>("INSERT INTO rm_meta (key, value) VALUES ('checkpoint', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    this.#deleteZoneStmt = write<[string]>('DELETE FROM rm_zones WHERE zone_id = ?');
    this.#deleteStateStmt = write<[string]>('DELETE FROM rm_engine_state WHERE key = ?');
    this.#unregisterStmt = write<[string]>('DELETE FROM rm_registry WHERE vehicle_id = ?');
    this.#setCaseCheckpointStmt = write<[string]>("INSERT INTO rm_meta (key, value) VALUES ('case_checkpoint', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    this.#commitTx = db.transaction(this.#commitInTransaction.bind(this)).immediate;
    this.#commitCasesTx = db.transaction((checkpoint: string, rows: readonly StoredCase[]) => {
      this.#upsert(casesTable, rows);
      this.#setCaseCheckpointStmt.run(checkpoint);
    }).immediate;
    this.#resetTx = db.transaction(() => {
      for (const t of DATA_TABLES) db.prepare(`DELETE FROM ${t}`).run();
      db.prepare("DELETE FROM rm_meta WHERE key IN ('checkpoint', 'case_checkpoint')").run();
    }).immediate;
  }

  #assertOpen(): void {
    if (this.#closed) throw new ReadModelError('STORE_CLOSED', `the read-model store at ${this.#path} is closed`);
  }

  #assertWritable(): void {
    this.#assertOpen();
    if (this.#readonly) throw new ReadModelError('READ_ONLY', `the read-model store at ${this.#path} is open read-only`);
  }

  #upsert<T>(table: Table<T>, rows: readonly T[]): void {
    const params: Param[] = [];
    for (let start = 0; start < rows.length; start += CHUNK) {
      const n = Math.min(CHUNK, rows.length - start);
      params.length = 0;
      for (let i = start; i < start + n; i++) table.params(rows[i]!, params);
      const key = `${table.name}:${n}`;
      let stmt = this.#upserts.get(key);
      if (stmt === undefined) {
        stmt = this.#db.prepare(upsertSql(table as Table<never>, n));
        this.#upserts.set(key, stmt);
      }
      stmt.run(params);
    }
  }

  #commitInTransaction(batch: ReadModelBatch, rows: CheckedRows): void {
    const registrations = batch.registrations ?? [];
    // The register first: violations and advisories are owned by who owned their vehicle when they started.
    for (const id of batch.unregisteredVehicleIds ?? []) this.#unregisterStmt.run(id);
    this.#upsert(registryTable, registrations);
    this.#upsert(vehiclesTable, batch.vehicles);
    const registrationOf = (vehicleId: string) => this.#registrationOf(vehicleId);
    this.#upsert(this.#violations.table, this.#violations.owned(rows.violations, registrationOf));
    this.#upsert(this.#advisories.table, this.#advisories.owned(rows.advisories, registrationOf));
    for (const r of registrations) {
      this.#violations.reown(r);
      this.#advisories.reown(r);
    }
    this.#upsert(consignmentsTable, batch.consignments);
    this.#upsert(carriersTable, batch.carriers);
    // Withdrawals after upserts: a zone listed in both ends up withdrawn.
    this.#upsert(zonesTable, batch.zones);
    for (const id of batch.withdrawnZoneIds) this.#deleteZoneStmt.run(id);
    this.#upsert(planningTable, batch.planning ?? []);
    // A flush saves the state of every vehicle it touched (a national fleet: thousands of keys),
    // so the sets go in multi-row upserts like the tables above; keys are unique, so deleting
    // first changes nothing.
    const sets: (readonly [string, string])[] = [];
    for (const [key, value] of batch.engineState) {
      if (value === null) this.#deleteStateStmt.run(key);
      else sets.push([key, value]);
    }
    this.#upsert(engineStateTable, sets);
    this.#setCheckpointStmt.run(batch.checkpoint);
  }

  #registrationOf(vehicleId: string): VehicleRegistration | undefined {
    const json = this.#registrationStmt.get(vehicleId);
    return json === undefined ? undefined : (JSON.parse(json) as VehicleRegistration);
  }

  async registrations(): Promise<readonly VehicleRegistration[]> {
    this.#assertOpen();
    return this.#registrationsStmt.all().map((json) => JSON.parse(json) as VehicleRegistration);
  }

  async checkpoint(): Promise<string | null> {
    this.#assertOpen();
    return this.#checkpointStmt.get() ?? null;
  }

  async commit(batch: ReadModelBatch): Promise<void> {
    this.#assertWritable();
    // Everything that can be refused is checked before the transaction starts.
    const rows: CheckedRows = { violations: this.#violations.prepare(batch.violations), advisories: this.#advisories.prepare(batch.advisories ?? []) };
    this.#commitTx(batch, rows);
    this.#generation++;
  }

  async planningRows(): Promise<readonly PlanningRow[]> {
    this.#assertOpen();
    return this.#planningStmt.all().map((r) => ({ kind: r.kind, key: r.key, data: r.data }));
  }

  async engineState(): Promise<ReadonlyMap<string, string>> {
    this.#assertOpen();
    return new Map(this.#engineStateStmt.all());
  }

  async reset(): Promise<void> {
    this.#assertWritable();
    this.#resetTx();
    this.#generation++;
  }

  #query(key: string, sql: () => string): Statement {
    let stmt = this.#queries.get(key);
    if (stmt === undefined) {
      stmt = this.#db.prepare(sql()).pluck();
      this.#queries.set(key, stmt);
    }
    return stmt;
  }

  async fleet(query: FleetQuery): Promise<Page<FleetVehicle>> {
    this.#assertOpen();
    checkLimit(query.limit);
    checkBbox(query.bbox);
    const after = query.cursor === undefined ? undefined : decodeFleetCursor(query.cursor).vehicleId;
    const { scope, laden, inViolation, bbox } = query;
    const carrierId = listCarrier(scope, query.carrierId);
    if (carrierId === null) return { items: [], nextCursor: null };
    const where: string[] = [];
    const params: Param[] = [];
    if (carrierId !== undefined) {
      where.push('carrier_id = ?');
      params.push(carrierId);
    }
    if (after !== undefined) {
      where.push('vehicle_id > ?');
      params.push(after);
    }
    if (laden !== undefined) where.push(`laden = ${laden ? 1 : 0}`);
    if (inViolation !== undefined) where.push(`in_violation = ${inViolation ? 1 : 0}`);
    if (bbox !== undefined) {
      where.push('lon >= ? AND lon <= ? AND lat >= ? AND lat <= ?');
      params.push(bbox.west, bbox.east, bbox.south, bbox.north);
    }
    params.push(query.limit + 1);
    const key = `fleet:${where.join(' AND ')}`;
    const rows = this.#query(key, () => `SELECT json FROM rm_vehicles${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY vehicle_id LIMIT ?`).all(params) as string[];
    const more = rows.length > query.limit;
    const items = (more ? rows.slice(0, query.limit) : rows).map((json) => JSON.parse(json) as FleetVehicle);
    return { items, nextCursor: more ? encodeFleetCursor({ vehicleId: items[items.length - 1]!.vehicleId }) : null };
  }

  async vehicle(vehicleId: string, scope: Scope): Promise<FleetVehicle | undefined> {
    this.#assertOpen();
    return this.#scoped<FleetVehicle>(this.#vehicleStmt.get(vehicleId), scope);
  }

  async violations(query: ViolationQuery): Promise<Page<ViolationView>> {
    this.#assertOpen();
    return this.#violations.list(query);
  }

  async advisories(query: AdvisoryQuery): Promise<Page<AdvisoryView>> {
    this.#assertOpen();
    return this.#advisories.list(query);
  }

  async statistics(query: StatisticsQuery): Promise<ReadModelStatistics> {
    this.#assertOpen();
    const fromMs = boundMs('from', query.from)!;
    const toMs = boundMs('to', query.to)!;
    return this.#statistics.run(query.scope.carrierId, fromMs, toMs);
  }

  async consignment(waybillNo: string, scope: Scope): Promise<ConsignmentView | undefined> {
    this.#assertOpen();
    const json = this.#consignmentStmt.get(waybillNo);
    if (json === undefined) return undefined;
    const row = JSON.parse(json) as ConsignmentView;
    if (scope.carrierId !== null && row.carrierId !== scope.carrierId) return undefined;
    const registration = row.vehicleId === null || scope.carrierId === null ? undefined : this.#registrationOf(row.vehicleId);
    return consignmentVisibleTo(scope, row, registration) ? row : undefined;
  }

  async registration(vehicleId: string): Promise<VehicleRegistration | undefined> {
    this.#assertOpen();
    return this.#registrationOf(vehicleId);
  }

  async registrationByPlate(plateKey: string): Promise<VehicleRegistration | undefined> {
    this.#assertOpen();
    const json = this.#registrationByPlateStmt.get(plateKey);
    return json === undefined ? undefined : (JSON.parse(json) as VehicleRegistration);
  }

  async carrier(carrierId: string, scope: Scope): Promise<CarrierView | undefined> {
    this.#assertOpen();
    if (!visibleTo(scope, carrierId)) return undefined;
    const json = this.#carrierStmt.get(carrierId);
    return json === undefined ? undefined : (JSON.parse(json) as CarrierView);
  }

  #scoped<T extends { carrierId: string | null }>(json: string | undefined, scope: Scope): T | undefined {
    if (json === undefined) return undefined;
    const row = JSON.parse(json) as T;
    return visibleTo(scope, row.carrierId) ? row : undefined;
  }

  async zones(): Promise<readonly ZoneView[]> {
    this.#assertOpen();
    return this.#zonesStmt.all().map((json) => JSON.parse(json) as ZoneView);
  }

  async sizes(): Promise<ReadModelSizes> {
    this.#assertOpen();
    return { ...this.#sizesStmt.get()! };
  }

  async caseCheckpoint(): Promise<string | null> {
    this.#assertOpen();
    return this.#cases.checkpoint();
  }

  async commitCases(commit: CaseCommit): Promise<void> {
    this.#assertWritable();
    // Checked before the transaction starts: a batch with a bad row is refused whole.
    this.#commitCasesTx(commit.checkpoint, checkCaseCommit(commit));
    this.#generation++;
  }

  async cases(query: CaseListQuery): Promise<Page<CaseRow>> {
    this.#assertOpen();
    return this.#cases.list(query);
  }

  async caseRow(caseId: string, scope: Scope): Promise<CaseRow | undefined> {
    this.#assertOpen();
    return this.#cases.get(caseId, scope);
  }

  async generation(): Promise<number> {
    this.#assertOpen();
    // data_version changes when another connection (another process) commits to the file.
    const dataVersion = this.#dataVersionStmt.get()!;
    if (dataVersion !== this.#lastDataVersion) {
      this.#lastDataVersion = dataVersion;
      this.#generation++;
    }
    return this.#generation;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}

/** Opens (creating if needed, unless read-only) the SQLite read-model store at `path`, with its case list. */
export async function openSqliteReadModelStore(options: SqliteReadModelStoreOptions): Promise<ReadModelStore & CaseReadModel> {
  const readonly = options.readonly ?? false;
  const db = openDatabase(options.path, readonly);
  try {
    return new SqliteReadModelStore(options.path, db, readonly);
  } catch (err) {
    db.close();
    throw wrapOpenError(options.path, err);
  }
}
