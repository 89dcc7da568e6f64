import type { Database as Db, Statement } from 'better-sqlite3';
import { decodeOccurrenceCursor, encodeOccurrenceCursor } from '../cursor.ts';
import type { OccurrenceRows } from '../occurrenceRows.ts';
import { ownedOccurrence } from '../ownership.ts';
import type { OccurrenceQuery, Page } from '../port.ts';
import { boundMs, checkLimit, startedMsOf } from '../queryArgs.ts';
import { listCarrier } from '../scope.ts';
import type { OccurrenceView, VehicleRegistration } from '../views.ts';
import type { Param, Table } from './tables.ts';

export interface StoredOccurrence<T> {
  readonly view: T;
  readonly startedMs: number;
}

/**
 * One table of violations or of advisories (`occurrenceTable` in schema.ts): its upsert columns,
 * the register's ownership applied on the way in, and the listing (newest first, keyset pages).
 */
export class OccurrenceTable<T extends OccurrenceView> {
  readonly table: Table<StoredOccurrence<T>>;
  readonly #byVehicleStmt: Statement<[string], [string, string]>;
  readonly #reownStmt: Statement<[string | null, string, string]> | undefined;
  readonly #queries = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    name: 'rm_violations' | 'rm_advisories',
    private readonly rows: OccurrenceRows<T>,
    readonly: boolean,
  ) {
    this.table = {
      name,
      columns: ['id', 'kind', 'status', 'carrier_id', 'vehicle_id', 'started_ms', 'json'],
      key: 'id',
      params: ({ view: v, startedMs }, out) => {
        out.push(rows.idOf(v), v.kind, v.status, v.carrierId, v.vehicleId, startedMs, JSON.stringify(v));
      },
    };
    this.#byVehicleStmt = db.prepare<[string], [string, string]>(`SELECT id, json FROM ${name} WHERE vehicle_id = ?`).raw();
    // Write statements cannot be prepared on a read-only connection.
    this.#reownStmt = readonly ? undefined : db.prepare<[string | null, string, string]>(`UPDATE ${name} SET carrier_id = ?, json = ? WHERE id = ?`);
  }

  /** Checks every row's start before a transaction begins: a batch with an unreadable one is refused whole. */
  prepare(rows: readonly T[]): StoredOccurrence<T>[] {
    return rows.map((view) => ({ view, startedMs: startedMsOf(`${this.rows.noun} ${this.rows.idOf(view)}`, view.startedAt) }));
  }

  /** The rows with their carrier set from the register, for registered vehicles (looked up once per vehicle). */
  owned(rows: StoredOccurrence<T>[], registrationOf: (vehicleId: string) => VehicleRegistration | undefined): StoredOccurrence<T>[] {
    if (rows.length === 0) return rows;
    const registrations = new Map<string, VehicleRegistration | undefined>();
    return rows.map((row) => {
      const vehicleId = row.view.vehicleId;
      if (!registrations.has(vehicleId)) registrations.set(vehicleId, registrationOf(vehicleId));
      const view = ownedOccurrence(row.view, registrations.get(vehicleId));
      return view === row.view ? row : { view, startedMs: row.startedMs };
    });
  }

  /** Every stored row of the vehicle goes to the owner when it started (the register changed). */
  reown(registration: VehicleRegistration): void {
    for (const [id, json] of this.#byVehicleStmt.all(registration.vehicleId)) {
      const view = JSON.parse(json) as T;
      const owned = ownedOccurrence(view, registration);
      if (owned !== view) this.#reownStmt!.run(owned.carrierId, JSON.stringify(owned), id);
    }
  }

  list(query: OccurrenceQuery<string>): Page<T> {
    checkLimit(query.limit);
    const fromMs = boundMs('from', query.from);
    const toMs = boundMs('to', query.to);
    const after = query.cursor === undefined ? undefined : decodeOccurrenceCursor(this.rows.listing, query.cursor);
    const { scope, kind, status, vehicleId } = query;
    const carrierId = listCarrier(scope, query.carrierId);
    if (carrierId === null) return { items: [], nextCursor: null };
    const where: string[] = [];
    const params: Param[] = [];
    if (carrierId !== undefined) {
      where.push('carrier_id = ?');
      params.push(carrierId);
    }
    if (vehicleId !== undefined) {
      where.push('vehicle_id = ?');
      params.push(vehicleId);
    }
    // Literals, not parameters, so the planner can use the partial index of open rows.
    if (status !== undefined) where.push(status === 'open' ? "status = 'open'" : "status = 'closed'");
    if (kind !== undefined) {
      where.push('kind = ?');
      params.push(kind);
    }
    if (fromMs !== undefined) {
      where.push('started_ms >= ?');
      params.push(fromMs);
    }
    if (toMs !== undefined) {
      where.push('started_ms < ?');
      params.push(toMs);
    }
    if (after !== undefined) {
      where.push('(started_ms < ? OR (started_ms = ? AND id > ?))');
      params.push(after.startedMs, after.startedMs, after.id);
    }
    params.push(query.limit + 1);
    const clause = where.join(' AND ');
    let stmt = this.#queries.get(clause);
    if (stmt === undefined) {
      stmt = this.db.prepare(`SELECT started_ms, json FROM ${this.table.name}${where.length > 0 ? ` WHERE ${clause}` : ''} ORDER BY started_ms DESC, id LIMIT ?`).raw();
      this.#queries.set(clause, stmt);
    }
    const rows = stmt.all(params) as [number, string][];
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    const items = page.map(([, json]) => JSON.parse(json) as T);
    const last = page[page.length - 1];
    return { items, nextCursor: more && last !== undefined ? encodeOccurrenceCursor(this.rows.listing, { startedMs: last[0], id: this.rows.idOf(items[items.length - 1]!) }) : null };
  }
}
