import { checkCaseCommit } from '../cases/caseCommit.ts';
import type { CaseCommit, CaseListQuery, CaseReadModel } from '../cases/casePort.ts';
import type { CaseRow } from '../cases/caseRow.ts';
import { decodeFleetCursor, encodeFleetCursor } from '../cursor.ts';
import { ReadModelError } from '../errors.ts';
import { advisoryRows, violationRows } from '../occurrenceRows.ts';
import type { AdvisoryQuery, FleetQuery, Page, PlanningRow, ReadModelBatch, ReadModelSizes, ReadModelStore, Scope, ViolationQuery } from '../port.ts';
import { checkBbox, checkLimit, compareIds } from '../queryArgs.ts';
import { consignmentVisibleTo } from '../ownership.ts';
import { visibleTo } from '../scope.ts';
import type { AdvisoryView, CarrierView, ConsignmentView, FleetVehicle, VehicleRegistration, ViolationView, ZoneView } from '../views.ts';
import { MemoryCaseList } from './caseList.ts';
import { OccurrenceList } from './occurrenceList.ts';
import { statisticsOf } from './memoryStatistics.ts';
import type { ReadModelStatistics, StatisticsQuery } from '../statistics.ts';

/**
 * The read-model store in memory: unit tests and the single-process demo. Rows are copied on
 * commit, so a projector that reuses its objects cannot change committed state behind the
 * store's back; reads hand out the stored rows (callers treat them as read-only).
 */
class MemoryReadModelStore implements ReadModelStore, CaseReadModel {
  #checkpoint: string | null = null;
  #generation = 0;
  #closed = false;
  readonly #vehicles = new Map<string, FleetVehicle>();
  readonly #violations = new OccurrenceList<ViolationView>(violationRows);
  readonly #advisories = new OccurrenceList<AdvisoryView>(advisoryRows);
  readonly #consignments = new Map<string, ConsignmentView>();
  readonly #carriers = new Map<string, CarrierView>();
  readonly #zones = new Map<string, ZoneView>();
  readonly #engineState = new Map<string, string>();
  readonly #planning = new Map<string, PlanningRow>();
  readonly #registrations = new Map<string, VehicleRegistration>();
  readonly #byPlate = new Map<string, string>();
  readonly #cases = new MemoryCaseList();
  /** Sort orders as keys (rows are looked up in the maps), rebuilt lazily after a commit changes membership or a sort key. */
  #vehicleOrder: string[] | null = null;

  #assertOpen(): void {
    if (this.#closed) throw new ReadModelError('STORE_CLOSED', 'the in-memory read-model store is closed');
  }

  async checkpoint(): Promise<string | null> {
    this.#assertOpen();
    return this.#checkpoint;
  }

  async commit(batch: ReadModelBatch): Promise<void> {
    this.#assertOpen();
    // Validate everything that can fail before changing anything: a commit lands whole or not at all.
    const violations = this.#violations.prepare(batch.violations);
    const advisories = this.#advisories.prepare(batch.advisories ?? []);
    const vehicles = batch.vehicles.map((v) => structuredClone(v));
    const consignments = batch.consignments.map((c) => structuredClone(c));
    const carriers = batch.carriers.map((c) => structuredClone(c));
    const zones = batch.zones.map((z) => structuredClone(z));
    const registrations = (batch.registrations ?? []).map((r) => structuredClone(r));

    for (const id of batch.unregisteredVehicleIds ?? []) {
      const before = this.#registrations.get(id);
      if (before !== undefined && this.#byPlate.get(before.plateKey) === id) this.#byPlate.delete(before.plateKey);
      this.#registrations.delete(id);
    }
    for (const r of registrations) {
      const before = this.#registrations.get(r.vehicleId);
      if (before !== undefined && this.#byPlate.get(before.plateKey) === r.vehicleId) this.#byPlate.delete(before.plateKey);
      this.#registrations.set(r.vehicleId, r);
      this.#byPlate.set(r.plateKey, r.vehicleId);
    }

    for (const v of vehicles) {
      if (!this.#vehicles.has(v.vehicleId)) this.#vehicleOrder = null;
      this.#vehicles.set(v.vehicleId, v);
    }
    const registrationOf = (vehicleId: string) => this.#registrations.get(vehicleId);
    this.#violations.upsert(violations, registrationOf);
    this.#advisories.upsert(advisories, registrationOf);
    // The register changed: every violation and advisory of those vehicles goes to the owner when it started.
    const changed = new Map(registrations.map((r) => [r.vehicleId, r]));
    this.#violations.reown(changed);
    this.#advisories.reown(changed);
    for (const c of consignments) this.#consignments.set(c.waybillNo, c);
    for (const c of carriers) this.#carriers.set(c.carrierId, c);
    // Withdrawals after upserts: a zone listed in both ends up withdrawn.
    for (const z of zones) this.#zones.set(z.zoneId, z);
    for (const id of batch.withdrawnZoneIds) this.#zones.delete(id);
    for (const r of batch.planning ?? []) this.#planning.set(`${r.kind}\u0000${r.key}`, { kind: r.kind, key: r.key, data: r.data });
    for (const [key, value] of batch.engineState) {
      if (value === null) this.#engineState.delete(key);
      else this.#engineState.set(key, value);
    }
    this.#checkpoint = batch.checkpoint;
    this.#generation++;
  }

  async planningRows(): Promise<readonly PlanningRow[]> {
    this.#assertOpen();
    return [...this.#planning.values()].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async engineState(): Promise<ReadonlyMap<string, string>> {
    this.#assertOpen();
    return new Map(this.#engineState);
  }

  async reset(): Promise<void> {
    this.#assertOpen();
    this.#vehicles.clear();
    this.#violations.clear();
    this.#advisories.clear();
    this.#consignments.clear();
    this.#carriers.clear();
    this.#zones.clear();
    this.#engineState.clear();
    this.#planning.clear();
    this.#registrations.clear();
    this.#byPlate.clear();
    this.#cases.clear();
    this.#vehicleOrder = null;
    this.#checkpoint = null;
    this.#generation++;
  }

  async fleet(query: FleetQuery): Promise<Page<FleetVehicle>> {
    this.#assertOpen();
    checkLimit(query.limit);
    checkBbox(query.bbox);
    const after = query.cursor === undefined ? undefined : decodeFleetCursor(query.cursor).vehicleId;
    const ordered = this.#sortedVehicles();
    let i = 0;
    if (after !== undefined) {
      // First index whose id is greater than the cursor's.
      let hi = ordered.length;
      while (i < hi) {
        const mid = (i + hi) >>> 1;
        if (compareIds(ordered[mid]!, after) <= 0) i = mid + 1;
        else hi = mid;
      }
    }
    const { scope, carrierId, laden, inViolation, bbox } = query;
    const items: FleetVehicle[] = [];
    for (; i < ordered.length; i++) {
      const v = this.#vehicles.get(ordered[i]!)!;
      if (!visibleTo(scope, v.carrierId)) continue;
      if (carrierId !== undefined && v.carrierId !== carrierId) continue;
      if (laden !== undefined && v.laden !== laden) continue;
      if (inViolation !== undefined && v.openViolations.length > 0 !== inViolation) continue;
      if (bbox !== undefined) {
        const fix = v.lastFix;
        if (fix === null || fix.lon < bbox.west || fix.lon > bbox.east || fix.lat < bbox.south || fix.lat > bbox.north) continue;
      }
      if (items.length === query.limit) return { items, nextCursor: encodeFleetCursor({ vehicleId: items[items.length - 1]!.vehicleId }) };
      items.push(v);
    }
    return { items, nextCursor: null };
  }

  async vehicle(vehicleId: string, scope: Scope): Promise<FleetVehicle | undefined> {
    this.#assertOpen();
    const v = this.#vehicles.get(vehicleId);
    return v !== undefined && visibleTo(scope, v.carrierId) ? v : undefined;
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
    // The listings' own window and scope rules, every row of the window at once.
    const window = { scope: query.scope, from: query.from, to: query.to, limit: Number.MAX_SAFE_INTEGER };
    const violations = this.#violations.list(window).items;
    const passages = this.#advisories.list({ ...window, kind: 'segment-passage' }).items;
    return statisticsOf(violations, passages, (carrierId) => this.#carriers.get(carrierId)?.name ?? null);
  }

  async consignment(waybillNo: string, scope: Scope): Promise<ConsignmentView | undefined> {
    this.#assertOpen();
    const c = this.#consignments.get(waybillNo);
    if (c === undefined) return undefined;
    const registration = c.vehicleId === null ? undefined : this.#registrations.get(c.vehicleId);
    return consignmentVisibleTo(scope, c, registration) ? c : undefined;
  }

  async carrier(carrierId: string, scope: Scope): Promise<CarrierView | undefined> {
    this.#assertOpen();
    const c = this.#carriers.get(carrierId);
    return c !== undefined && visibleTo(scope, c.carrierId) ? c : undefined;
  }

  async zones(): Promise<readonly ZoneView[]> {
    this.#assertOpen();
    return [...this.#zones.values()].sort((a, b) => compareIds(a.zoneId, b.zoneId));
  }

  async registration(vehicleId: string): Promise<VehicleRegistration | undefined> {
    this.#assertOpen();
    return this.#registrations.get(vehicleId);
  }

  async registrationByPlate(plateKey: string): Promise<VehicleRegistration | undefined> {
    this.#assertOpen();
    const vehicleId = this.#byPlate.get(plateKey);
    return vehicleId === undefined ? undefined : this.#registrations.get(vehicleId);
  }

  async registrations(): Promise<readonly VehicleRegistration[]> {
    this.#assertOpen();
    return [...this.#registrations.values()].sort((a, b) => (a.vehicleId < b.vehicleId ? -1 : a.vehicleId > b.vehicleId ? 1 : 0)).map((r) => structuredClone(r));
  }

  async sizes(): Promise<ReadModelSizes> {
    this.#assertOpen();
    return {
      vehicles: this.#vehicles.size,
      violations: this.#violations.size,
      openViolations: this.#violations.openCount(),
      advisories: this.#advisories.size,
      openAdvisories: this.#advisories.openCount(),
      consignments: this.#consignments.size,
      carriers: this.#carriers.size,
      zones: this.#zones.size,
    };
  }

  async caseCheckpoint(): Promise<string | null> {
    this.#assertOpen();
    return this.#cases.checkpoint;
  }

  async commitCases(commit: CaseCommit): Promise<void> {
    this.#assertOpen();
    this.#cases.commit(commit.checkpoint, checkCaseCommit(commit));
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
    return this.#generation;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #sortedVehicles(): string[] {
    if (this.#vehicleOrder === null) this.#vehicleOrder = [...this.#vehicles.keys()].sort(compareIds);
    return this.#vehicleOrder;
  }
}

/** The store and the case list in one (`reset` empties both). */
export function createMemoryReadModelStore(): ReadModelStore & CaseReadModel {
  return new MemoryReadModelStore();
}
