import {
  classifyDetection,
  type ConsignmentStateData,
  type DetectionConfig,
  DetectionEngine,
  defaultDetectionConfig,
  type EngineState,
  type EngineStep,
  ENGINE_STATE_VERSION,
  type VehicleStateData,
  type ZoneStateData,
} from '@dgt/detection';
import { type ConsignmentEvent, type DetectionEvent, type DgtEvent, epochMs, isSetAsideEvent, type PositionEvent, zoneKinds, type ZoneEvent } from '@dgt/events';
import { PlanningFold, planningConfigFor, type PlanningRowRecord } from '@dgt/planning';
import type { AdvisoryView, AlertView, CarrierView, ConsignmentView, FleetVehicle, VehicleRegistration, ViolationView, ZoneRef, ZoneView } from '@dgt/readmodels';
import { alertOf } from './alerts.ts';
import { consignmentViewOf } from './consignmentView.ts';
import { type IgnoredRegistryEvent, Register, type RegisterEntry } from './register.ts';
import { parseStateKey, stateKeys } from './stateKeys.ts';
import {
  carrierOfVehicle,
  newVehicleProjection,
  restoreVehicleProjection,
  settleFix,
  type VehicleProjection,
  type VehicleProjectionData,
  vehicleProjectionData,
} from './vehicleProjection.ts';
import { occurrenceChange } from './occurrences.ts';
import { zoneViewOf } from './zoneView.ts';

/** Rows, saved state and detections of the events applied since the last `take()`. */
export interface ProjectionOutput {
  vehicles: FleetVehicle[];
  violations: ViolationView[];
  advisories: AdvisoryView[];
  consignments: ConsignmentView[];
  carriers: CarrierView[];
  zones: ZoneView[];
  withdrawnZoneIds: string[];
  /** Saved-state entries to write with the batch (the projector adds its own keys). */
  state: Map<string, string | null>;
  /** Every detection the engine emitted, in order, and its alert (same index). */
  detections: DetectionEvent[];
  alerts: AlertView[];
  /** Register entries that changed (whole), and vehicles no longer registered (a re-fold gave their plate to an earlier claim). */
  registrations: VehicleRegistration[];
  unregisteredVehicleIds: string[];
  /** Registry events the register ignored, as they arrived (the projector counts and logs them). */
  ignoredRegistry: IgnoredRegistryEvent[];
  /** Planning aggregates the batch changed (whole rows). */
  planning: PlanningRowRecord[];
}

interface CarrierProjection {
  name: string | null;
  vehicles: number;
}

interface SavedVehicle {
  e: VehicleStateData | null;
  p: VehicleProjectionData;
}

/**
 * Events → detection engine → read-model rows. Pure: no I/O, no clock. `apply` is the hot path
 * (it only marks what changed); `take` builds the rows of everything marked, once per batch,
 * so a vehicle reporting a hundred fixes in a batch costs one fleet row and one zone lookup.
 */
export class Projection {
  private readonly vehicles = new Map<string, VehicleProjection>();
  private dirtyVehicles: VehicleProjection[] = [];
  private readonly carriers = new Map<string, CarrierProjection>();
  private readonly dirtyCarriers = new Set<string>();
  private readonly zoneNames = new Map<string, { kind: ZoneRef['kind']; name: string }>();
  private readonly zoneUpserts = new Map<string, ZoneView>();
  private readonly withdrawnZones = new Set<string>();
  private readonly violationRows = new Map<string, ViolationView>();
  private readonly advisoryRows = new Map<string, AdvisoryView>();
  private detections: DetectionEvent[] = [];
  private alerts: AlertView[] = [];
  /** Registry events arrived since the last `take()`: the register has changes to apply. */
  private registerTouched = false;
  private readonly zoneName = (zoneId: string): string | null => this.zoneNames.get(zoneId)?.name ?? null;

  private constructor(
    readonly engine: DetectionEngine,
    private readonly register: Register,
    /** Lot occupancy, parking demand and segment exposure, fed after the engine with its step (issue 19). */
    readonly planning: PlanningFold,
  ) {
    engine.trackChanges();
  }

  static fresh(config: DetectionConfig = defaultDetectionConfig): Projection {
    return new Projection(new DetectionEngine(config), new Register(), new PlanningFold(planningConfigFor(config)));
  }

  /**
   * Continues from saved state (`ReadModelStore.engineState()`) and the planning rows
   * (`ReadModelStore.planningRows()`); empty ones are a fresh start.
   */
  static restore(saved: ReadonlyMap<string, string>, config: DetectionConfig = defaultDetectionConfig, planningRows: readonly PlanningRowRecord[] = []): Projection {
    const vehicles: VehicleStateData[] = [];
    const consignments: ConsignmentStateData[] = [];
    const zones: ZoneStateData[] = [];
    const projections: [string, VehicleProjectionData][] = [];
    const carriers: [string, CarrierProjection][] = [];
    const register: RegisterEntry[] = [];
    const planningVehicles: [string, string][] = [];
    for (const [key, value] of saved) {
      const part = parseStateKey(key);
      if (part === undefined) continue;
      switch (part.kind) {
        case 'vehicle': {
          const v = JSON.parse(value) as SavedVehicle;
          if (v.e !== null) vehicles.push(v.e);
          projections.push([part.id, v.p]);
          break;
        }
        case 'consignment':
          consignments.push(JSON.parse(value) as ConsignmentStateData);
          break;
        case 'zone':
          zones.push(JSON.parse(value) as ZoneStateData);
          break;
        case 'carrier':
          carriers.push([part.id, JSON.parse(value) as CarrierProjection]);
          break;
        case 'register':
          register.push(...(JSON.parse(value) as RegisterEntry[]));
          break;
        case 'planning':
          planningVehicles.push([part.id, value]);
          break;
        default: {
          const never: never = part.kind;
          throw new Error(`unreachable state kind ${String(never)}`);
        }
      }
    }
    const countersJson = saved.get(stateKeys.counters);
    const clockJson = saved.get(stateKeys.clock);
    const fresh = new DetectionEngine(config).stats();
    const state: EngineState = {
      version: ENGINE_STATE_VERSION,
      vehicles,
      consignments,
      zones,
      counters: countersJson === undefined ? fresh : (JSON.parse(countersJson) as EngineState['counters']),
      clockMs: clockJson === undefined ? null : (JSON.parse(clockJson) as number | null),
    };
    const p = new Projection(DetectionEngine.fromState(state, config), Register.restore(register), PlanningFold.restore(planningRows, planningVehicles, planningConfigFor(config)));
    for (const [id, data] of projections) p.vehicles.set(id, restoreVehicleProjection(id, data));
    for (const [id, c] of carriers) p.carriers.set(id, c);
    for (const z of zones) {
      for (const op of z.ops) if (op.op === 'designate') p.zoneNames.set(z.zoneId, { kind: op.spec.kind, name: op.spec.name });
    }
    return p;
  }

  /** Applies one event (already trusted and upcast) and records what it changes. */
  apply(event: DgtEvent): EngineStep {
    const step = this.applyEvent(event);
    this.planning.apply(event, step, this.engine);
    return step;
  }

  private applyEvent(event: DgtEvent): EngineStep {
    switch (event.type) {
      case 'VehiclePositionReported': {
        const step = this.engine.apply(event);
        if (step.ignored === null) {
          const v = this.vehicle(event.data.vehicleId);
          v.lastEvent = event;
          if (!v.dirty) this.touch(v);
        }
        if (step.detections.length > 0) this.onDetections(step.detections, event);
        return step;
      }
      case 'ConsignmentDeclared':
      case 'CarriageAssigned':
      case 'LoadingCompleted':
      case 'UnloadingCompleted':
      case 'ConsignmentClosed':
      case 'ConsignmentCancelled': {
        const before = this.engine.consignment(event.data.waybillNo)?.vehicleId;
        const step = this.engine.apply(event);
        if (step.rejection === null && step.ignored === null) this.onConsignment(event, before);
        return step;
      }
      case 'ZoneDesignated':
      case 'ZoneWithdrawn': {
        const step = this.engine.apply(event);
        if (step.rejection === null && step.ignored === null) this.onZone(event);
        return step;
      }
      case 'IllegalParkingStarted':
      case 'IllegalParkingEnded':
      case 'AccidentSegmentEntered':
      case 'AccidentSegmentExited':
      case 'RestrictedEntryStarted':
      case 'RestrictedEntryEnded':
      case 'OverspeedStarted':
      case 'OverspeedEnded':
      case 'FatigueDrivingStarted':
      case 'FatigueDrivingEnded':
      case 'TerminalOffline':
      case 'TerminalOnline':
      case 'RouteDeviationStarted':
      case 'RouteDeviationEnded':
        return this.engine.apply(event);
      case 'CarrierRegistered': {
        const c = this.carrier(event.data.carrierId);
        c.name = event.data.name;
        this.dirtyCarriers.add(event.data.carrierId);
        return this.engine.apply(event);
      }
      case 'VehicleRegistered':
      case 'VehicleTransferred':
        // The register decides (see register.ts); its changes reach the rows at `take()`.
        this.register.add(event);
        this.registerTouched = true;
        return this.engine.apply(event);
      // Terminals are the JT/T 808 gateway's business, platform reports the JT/T 809 gateway's.
      case 'TerminalRegistered':
      case 'TerminalRegistrationReset':
      case 'VehicleAlarmReported':
      case 'PlatformRegistrationMismatched':
        return this.engine.apply(event);
      // Time passing raises the time rules of silent vehicles (offline, a rest completed).
      case 'ClockTicked': {
        const step = this.engine.apply(event);
        if (step.detections.length > 0) this.onDetections(step.detections, null);
        return step;
      }
      default: {
        // Cases, points, messages to drivers and products are read by the API from their own
        // streams (or read models), not from this projection's rows.
        if (isSetAsideEvent(event)) return this.engine.apply(event);
        const never: never = event;
        throw new Error(`unreachable event ${(never as { type: string }).type}`);
      }
    }
  }

  /** True when nothing was applied since the last `take()` that a batch would need to write. */
  isEmpty(): boolean {
    return (
      this.dirtyVehicles.length === 0 &&
      this.dirtyCarriers.size === 0 &&
      this.detections.length === 0 &&
      this.zoneUpserts.size === 0 &&
      this.withdrawnZones.size === 0 &&
      !this.registerTouched &&
      !this.planning.hasChanges()
    );
  }

  /** Builds the rows and saved state of everything changed since the last call, and starts a new batch. */
  take(): ProjectionOutput {
    const engine = this.engine;
    const state = new Map<string, string | null>();
    const register = this.takeRegister(state);
    const changes = engine.takeChanges();
    for (const id of changes.vehicles) {
      const v = this.vehicle(id);
      if (!v.dirty) this.touch(v);
    }
    const vehicles: FleetVehicle[] = [];
    for (const v of this.dirtyVehicles) {
      settleFix(v);
      vehicles.push(this.fleetRow(v));
      const saved: SavedVehicle = { e: engine.exportVehicle(v.vehicleId) ?? null, p: vehicleProjectionData(v) };
      state.set(stateKeys.vehicle(v.vehicleId), JSON.stringify(saved));
      v.dirty = false;
    }
    const consignments: ConsignmentView[] = [];
    for (const waybillNo of changes.consignments) {
      const c = engine.consignment(waybillNo);
      if (c === undefined) continue;
      const plate = c.vehicleId === undefined ? null : (this.vehicles.get(c.vehicleId)?.plateNo ?? null);
      consignments.push(consignmentViewOf(c, plate));
      state.set(stateKeys.consignment(waybillNo), JSON.stringify(engine.exportConsignment(waybillNo)));
    }
    for (const zoneId of changes.zones) state.set(stateKeys.zone(zoneId), JSON.stringify(engine.exportZone(zoneId) ?? null));
    const carriers: CarrierView[] = [];
    for (const carrierId of [...this.dirtyCarriers].sort()) {
      const c = this.carrier(carrierId);
      carriers.push({ carrierId, name: c.name, vehicles: c.vehicles });
      state.set(stateKeys.carrier(carrierId), JSON.stringify(c));
    }
    const planning = this.planning.takeChanges();
    for (const [vehicleId, json] of planning.vehicles) state.set(stateKeys.planning(vehicleId), json);
    state.set(stateKeys.counters, JSON.stringify(engine.stats()));
    state.set(stateKeys.clock, JSON.stringify(engine.clock()));

    const out: ProjectionOutput = {
      vehicles,
      violations: [...this.violationRows.values()],
      advisories: [...this.advisoryRows.values()],
      consignments,
      carriers,
      zones: [...this.zoneUpserts.values()],
      withdrawnZoneIds: [...this.withdrawnZones],
      state,
      detections: this.detections,
      alerts: this.alerts,
      ...register,
      planning: planning.rows,
    };
    this.dirtyVehicles = [];
    this.dirtyCarriers.clear();
    this.zoneUpserts.clear();
    this.withdrawnZones.clear();
    this.violationRows.clear();
    this.advisoryRows.clear();
    this.detections = [];
    this.alerts = [];
    return out;
  }

  /** Applies the register's changes: owners (and the carriers' counts), plates, rows and saved entries. */
  private takeRegister(state: Map<string, string | null>): Pick<ProjectionOutput, 'registrations' | 'unregisteredVehicleIds' | 'ignoredRegistry'> {
    const out: Pick<ProjectionOutput, 'registrations' | 'unregisteredVehicleIds' | 'ignoredRegistry'> = { registrations: [], unregisteredVehicleIds: [], ignoredRegistry: [] };
    if (!this.registerTouched) return out;
    this.registerTouched = false;
    const { changed, ignored, saved } = this.register.takeChanges();
    for (const { vehicleId, after } of changed) {
      const v = this.vehicle(vehicleId);
      const owner = after === undefined ? null : after.periods[after.periods.length - 1]!.carrierId;
      this.reassign(v, () => {
        v.registeredCarrier = owner;
      });
      v.plateNo = after?.plateNo ?? null;
      if (!v.dirty) this.touch(v);
      if (after === undefined) out.unregisteredVehicleIds.push(vehicleId);
      else out.registrations.push(after);
    }
    for (const vehicleId of saved) state.set(stateKeys.register(vehicleId), JSON.stringify(this.register.savedEntries(vehicleId)));
    out.ignoredRegistry = ignored;
    return out;
  }

  /**
   * The row as its current owner may see it: of a registered vehicle, nothing from before the
   * owner's period — a last fix (and the zones and stop it implies), a waybill of another carrier
   * or of a trip it did not own, an open violation of the previous owner.
   */
  private fleetRow(v: VehicleProjection): FleetVehicle {
    const snap = this.engine.vehicle(v.vehicleId);
    const ladenWith = snap?.ladenWaybillNo ?? null;
    let waybillNo = ladenWith ?? v.waybillNo;
    let consignment = waybillNo === null ? undefined : this.engine.consignment(waybillNo);
    let fix = snap?.lastFix ?? null;
    let lastFix = v.lastFix;
    let stoppedSince = snap?.stoppedSince ?? null;
    let open = v.open;
    const owner = carrierOfVehicle(v);
    if (v.registeredCarrier !== null && owner !== null) {
      const since = this.register.ownerSince(v.vehicleId);
      const sinceMs = since === null ? -Infinity : epochMs(since);
      if (lastFix !== null && epochMs(lastFix.occurredAt) < sinceMs) {
        lastFix = null;
        fix = null;
      }
      if (stoppedSince !== null && epochMs(stoppedSince) < sinceMs) stoppedSince = null;
      if (consignment !== undefined && !this.ownsTrip(v.vehicleId, owner, consignment.carrierId, consignment.timeline.assigned)) {
        waybillNo = null;
        consignment = undefined;
      }
      open = open.filter((o) => this.register.ownerAt(v.vehicleId, epochMs(o.startedAt)) === owner);
    }
    return {
      vehicleId: v.vehicleId,
      plateNo: v.plateNo,
      carrierId: owner,
      lastFix,
      laden: ladenWith !== null,
      waybillNo,
      goods: consignment === undefined ? [] : consignment.goods.map((g) => ({ unNumber: g.unNumber, name: g.name, hazardClass: g.hazardClass, quantityKg: g.quantityKg })),
      zones: fix === null ? [] : this.zonesAt(fix.lon, fix.lat, fix.ms),
      stoppedSince,
      openViolations: open.map((o) => ({ violationId: o.violationId, kind: o.kind, startedAt: o.startedAt })),
    };
  }

  /** The same rule as `consignmentVisibleTo`: the owner's waybill, assigned while it owned the vehicle. */
  private ownsTrip(vehicleId: string, owner: string, carrierId: string | undefined, assigned: string | undefined): boolean {
    if (carrierId !== owner || assigned === undefined) return false;
    return this.register.ownerAt(vehicleId, epochMs(assigned)) === owner;
  }

  private zonesAt(lon: number, lat: number, ms: number): ZoneRef[] {
    const out: ZoneRef[] = [];
    for (const kind of zoneKinds) {
      for (const zoneId of this.engine.zones.zonesAt(lon, lat, ms, kind)) out.push({ zoneId, kind, name: this.zoneName(zoneId) ?? zoneId });
    }
    return out.sort((a, b) => (a.zoneId < b.zoneId ? -1 : a.zoneId > b.zoneId ? 1 : 0));
  }

  /** `fix` raised them (null: a clock tick did): an opening without a position of its own is placed there. */
  private onDetections(detections: readonly DetectionEvent[], fix: PositionEvent | null): void {
    for (const d of detections) {
      const v = this.vehicle(d.data.vehicleId);
      const vehicleCarrier = carrierOfVehicle(v);
      // A registered vehicle's detections belong to whoever owned it then (the register, not the waybill).
      const owner = this.register.ownerAt(d.data.vehicleId, epochMs(d.occurredAt));
      // The register's plate at once: a registration in this very batch reaches v.plateNo only at take().
      const plateNo = this.register.plate(d.data.vehicleId) ?? v.plateNo;
      const change = occurrenceChange(d, v, { plateNo, vehicleCarrier, owner, zoneName: this.zoneName }, fix === null ? null : fix.data);
      if (change !== null) {
        const opened = change.op === 'open';
        if (change.category === 'violation') {
          const row = change.row;
          v.open = opened ? [...v.open, row] : v.open.filter((o) => o.violationId !== row.violationId);
          this.violationRows.set(row.violationId, row);
        } else {
          const row = change.row;
          v.advisories = opened ? [...v.advisories, row] : v.advisories.filter((o) => o.advisoryId !== row.advisoryId);
          this.advisoryRows.set(row.advisoryId, row);
        }
        if (!v.dirty) this.touch(v);
      }
      // A closing without its opening (the projector started after it) is laden when its rule applies only laden.
      const laden = change?.row.laden ?? classifyDetection(d).entry.ladenOnly;
      const named = (d.data as { carrierId?: unknown }).carrierId;
      // A closing detection's alert goes to the row's carrier: the owner when it started.
      const rowOwner = change === null ? undefined : this.register.ownerAt(d.data.vehicleId, epochMs(change.row.startedAt));
      const carrierId = rowOwner ?? owner ?? change?.row.carrierId ?? (typeof named === 'string' && named !== '' ? named : vehicleCarrier);
      const place = change !== null && change.op === 'open' ? change.row : undefined;
      this.detections.push(d);
      this.alerts.push(alertOf(d, { plateNo, carrierId, laden, zoneName: this.zoneName }, place));
    }
  }

  private onConsignment(event: ConsignmentEvent, vehicleBefore: string | undefined): void {
    const c = this.engine.consignment(event.data.waybillNo);
    if (c === undefined) return;
    const waybillNo = c.waybillNo;
    if (vehicleBefore !== undefined && vehicleBefore !== c.vehicleId) {
      const old = this.vehicle(vehicleBefore);
      if (old.waybillNo === waybillNo) old.waybillNo = null;
      if (!old.dirty) this.touch(old);
    }
    if (c.carrierId !== undefined) {
      this.carrier(c.carrierId);
    }
    if (c.vehicleId === undefined) return;
    const v = this.vehicle(c.vehicleId);
    switch (event.type) {
      case 'CarriageAssigned': {
        const carrierId = event.data.carrierId;
        this.reassign(v, () => {
          v.assignedCarrier = carrierId;
        });
        v.waybillNo = waybillNo;
        break;
      }
      case 'UnloadingCompleted':
      case 'ConsignmentCancelled':
      case 'ConsignmentClosed':
        if (v.waybillNo === waybillNo) v.waybillNo = null;
        break;
      case 'ConsignmentDeclared':
      case 'LoadingCompleted':
        break;
      default: {
        const never: never = event;
        throw new Error(`unreachable event ${(never as { type: string }).type}`);
      }
    }
    if (!v.dirty) this.touch(v);
  }

  private onZone(event: ZoneEvent): void {
    const zoneId = event.data.zoneId;
    if (event.type === 'ZoneDesignated') {
      this.zoneNames.set(zoneId, { kind: event.data.kind, name: event.data.name });
      this.zoneUpserts.set(zoneId, zoneViewOf(event));
      this.withdrawnZones.delete(zoneId);
    } else {
      this.zoneUpserts.delete(zoneId);
      this.withdrawnZones.add(zoneId);
    }
  }

  /** Changes a vehicle's register entries, keeping the carriers' vehicle counts right. */
  private reassign(v: VehicleProjection, change: () => void): void {
    const before = carrierOfVehicle(v);
    change();
    const after = carrierOfVehicle(v);
    if (before === after) return;
    if (before !== null) {
      this.carrier(before).vehicles--;
      this.dirtyCarriers.add(before);
    }
    if (after !== null) {
      this.carrier(after).vehicles++;
      this.dirtyCarriers.add(after);
    }
  }

  private vehicle(vehicleId: string): VehicleProjection {
    let v = this.vehicles.get(vehicleId);
    if (v === undefined) {
      v = newVehicleProjection(vehicleId);
      this.vehicles.set(vehicleId, v);
    }
    return v;
  }

  private carrier(carrierId: string): CarrierProjection {
    let c = this.carriers.get(carrierId);
    if (c === undefined) {
      c = { name: null, vehicles: 0 };
      this.carriers.set(carrierId, c);
      this.dirtyCarriers.add(carrierId);
    }
    return c;
  }

  private touch(v: VehicleProjection): void {
    v.dirty = true;
    this.dirtyVehicles.push(v);
  }
}
