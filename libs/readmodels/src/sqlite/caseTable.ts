import type { Database as Db, Statement } from 'better-sqlite3';
import type { StoredCase } from '../cases/caseCommit.ts';
import type { CaseListQuery } from '../cases/casePort.ts';
import type { CaseRow } from '../cases/caseRow.ts';
import { decodeCaseCursor, encodeCaseCursor } from '../cursor.ts';
import type { Page, Scope } from '../port.ts';
import { boundMs, checkLimit } from '../queryArgs.ts';
import { listCarrier, visibleTo } from '../scope.ts';
import type { Param, Table } from './tables.ts';

export const casesTable: Table<StoredCase> = {
  name: 'rm_cases',
  columns: ['case_id', 'status', 'kind', 'carrier_id', 'vehicle_id', 'opened_ms', 'json'],
  key: 'case_id',
  params: ({ row, openedMs }, out) => {
    out.push(row.caseId, row.status, row.kind, row.carrierId, row.vehicleId, openedMs, JSON.stringify(row));
  },
};

/** The case list's reads (`rm_cases`, schema version 4); its writes go through the store's commit transaction. */
export class CaseTable {
  readonly #checkpointStmt: Statement<[], string | undefined>;
  readonly #rowStmt: Statement<[string], string | undefined>;
  readonly #queries = new Map<string, Statement>();

  constructor(private readonly db: Db) {
    this.#checkpointStmt = db.prepare<[], string | undefined>("SELECT value FROM rm_meta WHERE key = 'case_checkpoint'").pluck();
    this.#rowStmt = db.prepare<[string], string | undefined>('SELECT json FROM rm_cases WHERE case_id = ?').pluck();
  }

  checkpoint(): string | null {
    return this.#checkpointStmt.get() ?? null;
  }

  get(caseId: string, scope: Scope): CaseRow | undefined {
    const json = this.#rowStmt.get(caseId);
    if (json === undefined) return undefined;
    const row = JSON.parse(json) as CaseRow;
    return visibleTo(scope, row.carrierId) ? row : undefined;
  }

  list(query: CaseListQuery): Page<CaseRow> {
    checkLimit(query.limit);
    const fromMs = boundMs('from', query.from);
    const toMs = boundMs('to', query.to);
    const after = query.cursor === undefined ? undefined : decodeCaseCursor(query.cursor);
    const carrierId = listCarrier(query.scope, query.carrierId);
    if (carrierId === null) return { items: [], nextCursor: null };
    const where: string[] = [];
    const params: Param[] = [];
    const equal = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(`${column} = ?`);
      params.push(value);
    };
    equal('carrier_id', carrierId);
    equal('vehicle_id', query.vehicleId);
    equal('status', query.status);
    equal('kind', query.kind);
    // The county sits in the row's JSON only: few cases, and older rows (without one) need no migration.
    equal("json_extract(json, '$.county.code')", query.county);
    if (fromMs !== undefined) {
      where.push('opened_ms >= ?');
      params.push(fromMs);
    }
    if (toMs !== undefined) {
      where.push('opened_ms < ?');
      params.push(toMs);
    }
    if (after !== undefined) {
      where.push('(opened_ms < ? OR (opened_ms = ? AND case_id < ?))');
      params.push(after.openedMs, after.openedMs, after.caseId);
    }
    params.push(query.limit + 1);
    const clause = where.join(' AND ');
    let stmt = this.#queries.get(clause);
    if (stmt === undefined) {
      stmt = this.db.prepare(`SELECT opened_ms, json FROM rm_cases${where.length > 0 ? ` WHERE ${clause}` : ''} ORDER BY opened_ms DESC, case_id DESC LIMIT ?`).raw();
      this.#queries.set(clause, stmt);
    }
    const rows = stmt.all(params) as [number, string][];
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    const items = page.map(([, json]) => JSON.parse(json) as CaseRow);
    const last = page.at(-1);
    return { items, nextCursor: more && last !== undefined ? encodeCaseCursor({ openedMs: last[0], caseId: items[items.length - 1]!.caseId }) : null };
  }
}
