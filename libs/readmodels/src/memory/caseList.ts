import type { CaseRow } from '../cases/caseRow.ts';
import type { CaseListQuery } from '../cases/casePort.ts';
import type { StoredCase } from '../cases/caseCommit.ts';
import { decodeCaseCursor, encodeCaseCursor } from '../cursor.ts';
import type { Page, Scope } from '../port.ts';
import { boundMs, checkLimit, compareIds } from '../queryArgs.ts';
import { listCarrier, visibleTo } from '../scope.ts';

/** Newest opened first, then caseId descending: the listing order (and the cursor's). */
function newestFirst(a: StoredCase, b: StoredCase): number {
  return b.openedMs - a.openedMs || compareIds(b.row.caseId, a.row.caseId);
}

/**
 * The case list in memory. A listing filters and sorts every case: cases are thousands, not
 * millions, and the SQLite adapter is the one for large stores.
 */
export class MemoryCaseList {
  #checkpoint: string | null = null;
  readonly #cases = new Map<string, StoredCase>();

  get checkpoint(): string | null {
    return this.#checkpoint;
  }

  get size(): number {
    return this.#cases.size;
  }

  /** Rows already checked (`checkCaseCommit`): nothing here can fail, so the commit lands whole. */
  commit(checkpoint: string, rows: readonly StoredCase[]): void {
    for (const c of rows) this.#cases.set(c.row.caseId, c);
    this.#checkpoint = checkpoint;
  }

  clear(): void {
    this.#cases.clear();
    this.#checkpoint = null;
  }

  get(caseId: string, scope: Scope): CaseRow | undefined {
    const c = this.#cases.get(caseId);
    return c !== undefined && visibleTo(scope, c.row.carrierId) ? c.row : undefined;
  }

  list(query: CaseListQuery): Page<CaseRow> {
    checkLimit(query.limit);
    const fromMs = boundMs('from', query.from);
    const toMs = boundMs('to', query.to);
    const after = query.cursor === undefined ? undefined : decodeCaseCursor(query.cursor);
    const carrierId = listCarrier(query.scope, query.carrierId);
    if (carrierId === null) return { items: [], nextCursor: null };
    const { status, kind, vehicleId, county } = query;
    const matches: StoredCase[] = [];
    for (const c of this.#cases.values()) {
      const r = c.row;
      if (carrierId !== undefined && r.carrierId !== carrierId) continue;
      if (status !== undefined && r.status !== status) continue;
      if (kind !== undefined && r.kind !== kind) continue;
      if (vehicleId !== undefined && r.vehicleId !== vehicleId) continue;
      if (county !== undefined && r.county?.code !== county) continue;
      if (fromMs !== undefined && c.openedMs < fromMs) continue;
      if (toMs !== undefined && c.openedMs >= toMs) continue;
      if (after !== undefined && !(c.openedMs < after.openedMs || (c.openedMs === after.openedMs && compareIds(r.caseId, after.caseId) < 0))) continue;
      matches.push(c);
    }
    matches.sort(newestFirst);
    const page = matches.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((c) => c.row),
      nextCursor: matches.length > query.limit && last !== undefined ? encodeCaseCursor({ openedMs: last.openedMs, caseId: last.row.caseId }) : null,
    };
  }
}
