import { decodeOccurrenceCursor, encodeOccurrenceCursor } from '../cursor.ts';
import type { OccurrenceRows } from '../occurrenceRows.ts';
import { ownedOccurrence } from '../ownership.ts';
import type { OccurrenceQuery, Page } from '../port.ts';
import { boundMs, checkLimit, compareIds, startedMsOf } from '../queryArgs.ts';
import { visibleTo } from '../scope.ts';
import type { OccurrenceView, VehicleRegistration } from '../views.ts';

interface Stored<T> {
  readonly startedMs: number;
  readonly id: string;
  readonly view: T;
}

/**
 * Violations or advisories in memory: rows by id, and the listing order (newest start first, then
 * id) as sort keys, rebuilt lazily after a commit changes membership or a start time.
 */
export class OccurrenceList<T extends OccurrenceView> {
  readonly #rows = new Map<string, Stored<T>>();
  #order: Stored<T>[] | null = null;

  constructor(private readonly kind: OccurrenceRows<T>) {}

  /** Copies and checks rows before anything is changed, so a commit lands whole or not at all. */
  prepare(rows: readonly T[]): Stored<T>[] {
    return rows.map((v) => {
      const id = this.kind.idOf(v);
      return { startedMs: startedMsOf(`${this.kind.noun} ${id}`, v.startedAt), id, view: structuredClone(v) };
    });
  }

  /** Upserts, each row owned by who owned its vehicle when it started (`registrationOf`). */
  upsert(rows: readonly Stored<T>[], registrationOf: (vehicleId: string) => VehicleRegistration | undefined): void {
    for (const row of rows) {
      if (this.#rows.get(row.id)?.startedMs !== row.startedMs) this.#order = null;
      this.#rows.set(row.id, { ...row, view: ownedOccurrence(row.view, registrationOf(row.view.vehicleId)) });
    }
  }

  /** The register of these vehicles changed: every row of theirs goes to the owner when it started. */
  reown(changed: ReadonlyMap<string, VehicleRegistration>): void {
    if (changed.size === 0) return;
    for (const [id, row] of this.#rows) {
      const r = changed.get(row.view.vehicleId);
      if (r === undefined) continue;
      const view = ownedOccurrence(row.view, r);
      if (view !== row.view) this.#rows.set(id, { ...row, view });
    }
  }

  list(query: OccurrenceQuery<string>): Page<T> {
    checkLimit(query.limit);
    const fromMs = boundMs('from', query.from);
    const toMs = boundMs('to', query.to);
    const after = query.cursor === undefined ? undefined : decodeOccurrenceCursor(this.kind.listing, query.cursor);
    const { scope, kind, status, carrierId, vehicleId } = query;
    const items: T[] = [];
    let last: Stored<T> | undefined;
    for (const key of this.#sorted()) {
      // The order holds sort keys; the row itself may have been replaced since (an update, a re-owning).
      const row = this.#rows.get(key.id)!;
      const v = row.view;
      if (after !== undefined && (row.startedMs > after.startedMs || (row.startedMs === after.startedMs && compareIds(row.id, after.id) <= 0))) continue;
      if (!visibleTo(scope, v.carrierId)) continue;
      if (kind !== undefined && v.kind !== kind) continue;
      if (status !== undefined && v.status !== status) continue;
      if (carrierId !== undefined && v.carrierId !== carrierId) continue;
      if (vehicleId !== undefined && v.vehicleId !== vehicleId) continue;
      if (fromMs !== undefined && row.startedMs < fromMs) continue;
      if (toMs !== undefined && row.startedMs >= toMs) continue;
      if (items.length === query.limit) return { items, nextCursor: encodeOccurrenceCursor(this.kind.listing, { startedMs: last!.startedMs, id: last!.id }) };
      items.push(v);
      last = row;
    }
    return { items, nextCursor: null };
  }

  get size(): number {
    return this.#rows.size;
  }

  openCount(): number {
    let n = 0;
    for (const row of this.#rows.values()) if (row.view.status === 'open') n++;
    return n;
  }

  clear(): void {
    this.#rows.clear();
    this.#order = null;
  }

  #sorted(): Stored<T>[] {
    this.#order ??= [...this.#rows.values()].sort((a, b) => b.startedMs - a.startedMs || compareIds(a.id, b.id));
    return this.#order;
  }
}
