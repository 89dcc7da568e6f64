import {
  type ConsignmentEvent,
  type DetectionEvent,
  type DgtEvent,
  epochMs,
  type EventOf,
  isSetAsideEvent,
  type PositionEvent,
  type ZoneDesignatedData,
  type ZoneEvent,
  type ZoneRules,
} from '@dgt/events';
import { distanceM, type RouteCorridor, type ZoneCrossing, ZoneGeometryError, ZoneIndex, type ZoneSpec } from '@dgt/geo';
import { type DetectionConfig, defaultDetectionConfig } from './config.ts';
import { ActiveWaybills } from './activeWaybills.ts';
import { type Consignment, decideConsignment } from './consignmentLifecycle.ts';
import {
  deviationEnded,
  deviationStarted,
  fatigueEnded,
  fatigueStarted,
  overspeedEnded,
  overspeedStarted,
  parkingEnded,
  parkingStarted,
  passageEntered,
  passageExited,
  restrictedEnded,
  restrictedPassage,
  restrictedStarted,
  segmentEntered,
  segmentExited,
  terminalOffline,
  terminalOnline,
} from './detectionEvents.ts';
import {
  checkEngineState,
  compareKeys,
  type ConsignmentStateData,
  ENGINE_STATE_VERSION,
  type EngineChanges,
  type EngineState,
  EngineStateError,
  fitRing,
  type VehicleStateData,
  type ZoneOp,
  type ZoneStateData,
} from './engineState.ts';
import { type Driving, evolveFatigue, restCompletedAt } from './fatigue.ts';
import type { Fix } from './fix.ts';
import { isIllegalParking } from './illegalParking.ts';
import { evolveOverspeed, type OverspeedRun } from './overspeed.ts';
import { type Passage, passageOf } from './passage.ts';
import type { Rejection, RejectionCode } from './rejection.ts';
import { brokenRule, evolveRestricted, type RestrictedEntry, type RestrictedRule } from './restrictedEntry.ts';
import { type DeviationRun, evolveDeviation } from './routeDeviation.ts';
import { evolveSegments, type Presence } from './segmentPresence.ts';
import { evolveStop, type Stop } from './stopTracker.ts';
import { DRIVING_SINCE, drivingSince, CLEAR_AREA, CLEAR_PARK, CLEAR_SEG, LAST_LAT, LAST_LON, LAST_MS, LAST_SPEED, ROW, STABLE_UNTIL } from './vehicleRow.ts';
import { type FixLine, newFixLine, newZonesNear, zonesNear, type ZonesNear } from './zonesNear.ts';
import { type CompiledRules, compileRules, ZoneRuleBook } from './zoneRules.ts';

export type Ignored = 'late' | 'duplicate' | 'detection';

export interface EngineStep {
  detections: readonly DetectionEvent[];
  rejection: Rejection | null;
  ignored: Ignored | null;
}

export interface EngineStats {
  events: number;
  positions: number;
  late: number;
  duplicates: number;
  detectionsIgnored: number;
  rejected: number;
  rejectedByCode: Partial<Record<RejectionCode, number>>;
  emitted: number;
}

interface VehicleState {
  /** The last applied fix: its ids here, its numbers in the vehicle's row (LAST_*). Most fixes need no Fix object at all. */
  lastEventId: string;
  lastOccurredAt: string;
  /** Ring of recent event ids: tells a duplicate from a merely late fix. */
  recent: string[];
  recentNext: number;
  stop: Stop | null;
  presences: readonly Presence[];
  restricted: readonly RestrictedEntry[];
  overspeed: OverspeedRun | null;
  /** Continuous driving since the last rest (fatigue), or null while resting / before the first moving fix. */
  driving: Driving | null;
  /** TerminalOffline emitted and no fix since. */
  offline: boolean;
  /** The run of fixes off the declared route under way, declared or not yet. */
  deviation: DeviationRun | null;
  /** The routed waybill it is laden with and its corridor, as of `routeGeneration`. Never saved. */
  routeGeneration: number;
  routeWaybill: string | undefined;
  routeCorridor: RouteCorridor | undefined;
  /** The consignment it is laden with, as of `loadGeneration` (see loadOf). Never saved. */
  loadGeneration: number;
  load: Consignment | undefined;
  /**
   * What the last fix tells the next one, derived from the zone index as it was at generation
   * `crossGeneration` and valid only while it is unchanged (a later designation may add a zone
   * anywhere) and before `stableUntilMs`: its clearances from accident segments, restricted areas
   * and chemical parks (ZoneIndex.crossingClearance, less the lines travelled since; a line shorter
   * than the clearance cannot pass a zone, nor enter or leave one), and the zones of each kind
   * containing it (a line from inside a zone is no passage through it; a fix the clearance settles
   * is in the same zones). Never saved: a restored vehicle starts with none.
   */
  crossGeneration: number;
  /**
   * The vehicle's row in the engine's table of numbers (see ROW): what every fix reads, in one
   * typed array rather than fields, because a double field is a separate heap box, and with
   * thousands of vehicles every box read is a likely cache miss.
   */
  slot: number;
  lastInside: readonly string[];
  lastAreas: readonly string[];
  lastParks: readonly string[];
}

export interface VehicleSnapshot {
  vehicleId: string;
  lastFix: Readonly<Fix> | null;
  ladenWaybillNo: string | null;
  stoppedSince: string | null;
  illegalParkingSince: string | null;
  inSegments: readonly string[];
  /** Zones the vehicle is in breach of a ban in (open restricted entries). */
  inRestrictedEntries: readonly string[];
  /** First fix of an overspeed under way (OverspeedStarted emitted, not yet ended). */
  overspeedSince: string | null;
  /** Start of the driving period under way (null while resting), and whether fatigue was declared in it. */
  drivingSince: string | null;
  fatigued: boolean;
  /** TerminalOffline emitted, no fix since. */
  offline: boolean;
  /** First fix of a declared route deviation under way. */
  routeDeviationSince: string | null;
}

const frozenEmpty: readonly never[] = Object.freeze([]);
const nothing: EngineStep = Object.freeze({ detections: frozenEmpty, rejection: null, ignored: null });
const late: EngineStep = Object.freeze({ detections: frozenEmpty, rejection: null, ignored: 'late' });
const duplicate: EngineStep = Object.freeze({ detections: frozenEmpty, rejection: null, ignored: 'duplicate' });
const detection: EngineStep = Object.freeze({ detections: frozenEmpty, rejection: null, ignored: 'detection' });

/**
 * The detection engine: `apply(event)` evolves the state by one event and returns what it emits.
 * Depends on event order and event time only — no clock, no I/O — so replaying the same events
 * gives byte-identical detections.
 */
export class DetectionEngine {
  readonly zones: ZoneIndex;
  private readonly vehicles = new Map<string, VehicleState>();
  private readonly consignments = new Map<string, Consignment>();
  /** vehicleId → waybillNo it is laden with. */
  private readonly laden = new Map<string, string>();
  /** Ids of non-position events already applied (positions use the per-vehicle ring). */
  private readonly seen = new Set<string>();
  /** What rebuilds `seen` and the zone index after a restart (see engineState.ts). */
  private readonly zoneOps = new Map<string, ZoneOp[]>();
  private readonly consignmentEventIds = new Map<string, string[]>();
  /** Rules per zone version; the zone index says which version applies when. */
  private readonly rules = new ZoneRuleBook();
  /** Who is on which waybill, and the routes laden vehicles follow (offline, route deviation). */
  private readonly activeWaybills = new ActiveWaybills();
  /** Whether any restricted area, or any chemical park with rules, was ever designated: most fleets' fixes need not ask. */
  private restrictedAreas = false;
  private ruledParks = false;
  /** Changes with every consignment applied: a vehicle's cached load (VehicleState.load) holds while it is unchanged. */
  private consignmentGeneration = 0;
  /** The record's clock: the latest ClockTicked, −∞ before the first. Fixes never move it (a terminal's clock may be wrong). */
  private clockMs = -Infinity;
  /** Per-fix scratch: ruled-kind zones containing the fix, their rules and the rule broken there. Reused, never kept. */
  private memo = new Float64Array(ROW * 1024);
  private slots = 0;
  /** Per-fix scratch of zonesNear: the line from the previous fix, and the answer for one kind. Reused, never kept. */
  private readonly line: FixLine = newFixLine();
  private readonly near: ZonesNear = newZonesNear();
  private readonly hereIds: string[] = [];
  private readonly hereRules: (CompiledRules | null)[] = [];
  private readonly hereBroken: (RestrictedRule | null)[] = [];
  /** Parts changed since the last `takeChanges()`; `null` until a caller asks for tracking. */
  private changes: { vehicles: Set<string>; consignments: Set<string>; zones: Set<string> } | null = null;
  private readonly counters: EngineStats = {
    events: 0,
    positions: 0,
    late: 0,
    duplicates: 0,
    detectionsIgnored: 0,
    rejected: 0,
    rejectedByCode: {},
    emitted: 0,
  };

  constructor(
    readonly config: DetectionConfig = defaultDetectionConfig,
    zones?: ZoneIndex,
  ) {
    this.zones = zones ?? new ZoneIndex({ coversOnDemand: true });
  }

  apply(event: DgtEvent): EngineStep {
    this.counters.events++;
    switch (event.type) {
      case 'VehiclePositionReported':
        return this.count(this.applyPosition(event));
      case 'ZoneDesignated':
      case 'ZoneWithdrawn':
        return this.once(event, () => this.applyZone(event));
      case 'ConsignmentDeclared':
      case 'CarriageAssigned':
      case 'LoadingCompleted':
      case 'UnloadingCompleted':
      case 'ConsignmentClosed':
      case 'ConsignmentCancelled':
        return this.once(event, () => this.applyConsignment(event));
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
        // Recorded detections are outputs of an earlier run; re-deriving them is the point.
        this.counters.detectionsIgnored++;
        return detection;
      case 'CarrierRegistered':
      case 'VehicleRegistered':
      case 'VehicleTransferred':
      case 'TerminalRegistered':
      case 'TerminalRegistrationReset':
        // Who owns a vehicle decides who may see it, not whether it breaks a rule.
        return nothing;
      // A JT/T 809 platform's alarms and registration mismatches are its account, not what the rules read.
      case 'VehicleAlarmReported':
      case 'PlatformRegistrationMismatched':
        return nothing;
      // Time in the record: the clock moves, and with it the time rules of silent vehicles.
      case 'ClockTicked':
        return this.count(this.applyClock(event));
      default: {
        // Decisions, messages to drivers, the product register: no rule reads them.
        if (isSetAsideEvent(event)) return nothing;
        const unreachable: never = event;
        return unreachable;
      }
    }
  }

  stats(): Readonly<EngineStats> {
    return { ...this.counters, rejectedByCode: { ...this.counters.rejectedByCode } };
  }

  consignment(waybillNo: string): Readonly<Consignment> | undefined {
    return this.consignments.get(waybillNo);
  }

  /** The consignment the vehicle is laden with now (LoadingCompleted, not yet unloaded), if any. */
  ladenWith(vehicleId: string): Readonly<Consignment> | undefined {
    const waybillNo = this.laden.get(vehicleId);
    return waybillNo === undefined ? undefined : this.consignments.get(waybillNo);
  }

  vehicleIds(): string[] {
    return [...this.vehicles.keys()].sort();
  }

  vehicle(vehicleId: string): VehicleSnapshot | undefined {
    const v = this.vehicles.get(vehicleId);
    const waybillNo = this.laden.get(vehicleId) ?? null;
    if (!v && waybillNo === null) return undefined;
    const lastFix: Fix | null = v === undefined || v.lastEventId === '' ? null : this.lastFixOf(v);
    return {
      vehicleId,
      lastFix,
      ladenWaybillNo: waybillNo,
      stoppedSince: v?.stop?.anchor.occurredAt ?? null,
      illegalParkingSince: v?.stop?.violation?.startedAt ?? null,
      inSegments: v ? v.presences.map((p) => p.zoneId) : [],
      inRestrictedEntries: v ? v.restricted.map((e) => e.zoneId) : [],
      overspeedSince: v?.overspeed?.started === true ? v.overspeed.since : null,
      drivingSince: v?.driving?.since ?? null,
      fatigued: v?.driving?.started === true,
      offline: v?.offline === true,
      routeDeviationSince: v?.deviation?.started === true ? v.deviation.since : null,
    };
  }

  /** Starts recording which parts change, for `takeChanges()` (a projector saving only what a batch touched). */
  trackChanges(): void {
    this.changes ??= { vehicles: new Set(), consignments: new Set(), zones: new Set() };
  }

  /** Parts changed since the last call (or since `trackChanges()`), and forgets them. Counters change with every event. */
  takeChanges(): EngineChanges {
    const c = this.changes;
    if (c === null) throw new EngineStateError('takeChanges() needs trackChanges() first');
    const out: EngineChanges = {
      vehicles: [...c.vehicles].sort(compareKeys),
      consignments: [...c.consignments].sort(compareKeys),
      zones: [...c.zones].sort(compareKeys),
    };
    c.vehicles.clear();
    c.consignments.clear();
    c.zones.clear();
    return out;
  }

  exportVehicle(vehicleId: string): VehicleStateData | undefined {
    const v = this.vehicles.get(vehicleId);
    if (v === undefined) return undefined;
    return {
      vehicleId,
      lastMs: Number.isFinite(this.memo[v.slot * ROW + LAST_MS]) ? (this.memo[v.slot * ROW + LAST_MS] as number) : null,
      lastEventId: v.lastEventId,
      lastOccurredAt: v.lastOccurredAt,
      lastLon: this.memo[v.slot * ROW + LAST_LON] as number,
      lastLat: this.memo[v.slot * ROW + LAST_LAT] as number,
      lastSpeedKmh: this.memo[v.slot * ROW + LAST_SPEED] as number,
      recent: [...v.recent],
      recentNext: v.recentNext,
      stop: v.stop,
      presences: [...v.presences],
      restricted: [...v.restricted],
      overspeed: v.overspeed,
      driving: v.driving,
      offline: v.offline,
      deviation: v.deviation,
    };
  }

  exportConsignment(waybillNo: string): ConsignmentStateData | undefined {
    const consignment = this.consignments.get(waybillNo);
    if (consignment === undefined) return undefined;
    return { consignment, eventIds: [...(this.consignmentEventIds.get(waybillNo) ?? [])] };
  }

  exportZone(zoneId: string): ZoneStateData | undefined {
    const ops = this.zoneOps.get(zoneId);
    return ops === undefined ? undefined : { zoneId, ops: [...ops] };
  }

  /** Epoch ms of the latest ClockTicked applied, or null before the first. */
  clock(): number | null {
    return Number.isFinite(this.clockMs) ? this.clockMs : null;
  }

  /** The whole state as plain JSON-serialisable data (parts sorted by key, so equal states compare equal). */
  exportState(): EngineState {
    const parts = <T>(keys: Iterable<string>, one: (k: string) => T | undefined): T[] =>
      [...keys].sort(compareKeys).map((k) => one(k) as T);
    return {
      version: ENGINE_STATE_VERSION,
      vehicles: parts(this.vehicles.keys(), (k) => this.exportVehicle(k)),
      consignments: parts(this.consignments.keys(), (k) => this.exportConsignment(k)),
      zones: parts(this.zoneOps.keys(), (k) => this.exportZone(k)),
      counters: this.stats(),
      clockMs: this.clock(),
    };
  }

  /**
   * An engine continuing from `state` (an `exportState()`, possibly assembled from parts saved
   * at different times): it emits exactly what the exporting engine would have emitted next.
   * The zone index is rebuilt by replaying the recorded designations in their original order.
   */
  static fromState(state: EngineState, config: DetectionConfig = defaultDetectionConfig, zones?: ZoneIndex): DetectionEngine {
    checkEngineState(state);
    const engine = new DetectionEngine(config, zones);
    engine.restore(state);
    return engine;
  }

  private restore(state: EngineState): void {
    if (this.vehicles.size > 0 || this.consignments.size > 0 || this.zoneOps.size > 0 || this.counters.events > 0) {
      throw new EngineStateError('state can only be restored into a fresh engine');
    }
    // Absent in states saved before the clock existed: no tick had been applied.
    this.clockMs = state.clockMs ?? -Infinity;
    const ops = state.zones.flatMap((z) => z.ops).sort((a, b) => a.seq - b.seq);
    for (const op of ops) {
      const zoneId = op.op === 'designate' ? op.spec.zoneId : op.zoneId;
      if (op.op === 'designate') {
        this.zones.designate(op.spec, op.atMs);
        this.noteDesignation(op.spec, op.atMs, op.rules, op.eventId);
      } else if (!this.zones.withdraw(op.zoneId, op.atMs)) throw new EngineStateError(`zone ${op.zoneId}: withdrawal ${op.eventId} does not replay`);
      this.recordZoneOp(zoneId, op);
      this.seen.add(op.eventId);
    }
    for (const { consignment, eventIds } of state.consignments) {
      this.consignments.set(consignment.waybillNo, consignment);
      this.consignmentEventIds.set(consignment.waybillNo, [...eventIds]);
      for (const id of eventIds) this.seen.add(id);
      // One loaded waybill per vehicle is a lifecycle rule, so "laden" is derived, not stored.
      if (consignment.status === 'loaded' && consignment.vehicleId !== undefined) this.laden.set(consignment.vehicleId, consignment.waybillNo);
      this.activeWaybills.note(undefined, consignment);
    }
    const size = this.config.duplicateWindow;
    for (const v of state.vehicles) {
      const ring = fitRing(v.recent, v.recentNext, size);
      const slot = this.newSlot(v.lastMs ?? -Infinity, v.lastLon, v.lastLat, v.lastSpeedKmh, v.driving ?? null);
      this.vehicles.set(v.vehicleId, {
        lastEventId: v.lastEventId,
        lastOccurredAt: v.lastOccurredAt,
        recent: ring.recent,
        recentNext: ring.next,
        stop: v.stop,
        presences: v.presences.length === 0 ? frozenEmpty : v.presences,
        // Absent in parts saved before they existed: nothing was open then.
        restricted: v.restricted === undefined || v.restricted.length === 0 ? frozenEmpty : v.restricted,
        overspeed: v.overspeed ?? null,
        // Absent in parts saved before the time rules (#16): no period, not offline, no run.
        driving: v.driving ?? null,
        offline: v.offline === true,
        deviation: v.deviation ?? null,
        routeGeneration: -1, routeWaybill: undefined, routeCorridor: undefined, loadGeneration: -1, load: undefined,
        crossGeneration: -1, slot,
        lastInside: frozenEmpty, lastAreas: frozenEmpty, lastParks: frozenEmpty,
      });
    }
    const c = state.counters;
    Object.assign(this.counters, { ...c, rejectedByCode: { ...c.rejectedByCode } });
  }

  /** Keeps a designation's rules for the version it created (after the index accepted it). */
  private noteDesignation(spec: ZoneSpec, ms: number, rules: ZoneRules | undefined, eventId: string): void {
    const compiled = compileRules(rules, eventId);
    this.rules.set(spec.zoneId, ms, compiled);
    if (spec.kind === 'restricted-area') this.restrictedAreas = true;
    if (spec.kind === 'chemical-park' && compiled !== null) this.ruledParks = true;
  }

  /** The rules applying in a zone at `ms` (its version then), or null. */
  private rulesAt(zoneId: string, ms: number): CompiledRules | null {
    if (!this.rules.has(zoneId)) return null;
    const from = this.zones.activeSince(zoneId, ms);
    return from === undefined ? null : this.rules.get(zoneId, from);
  }

  private recordZoneOp(zoneId: string, op: ZoneOp): void {
    const ops = this.zoneOps.get(zoneId);
    if (ops === undefined) this.zoneOps.set(zoneId, [op]);
    else ops.push(op);
    this.changes?.zones.add(zoneId);
  }

  private count(step: EngineStep): EngineStep {
    this.counters.emitted += step.detections.length;
    return step;
  }

  private once(event: DgtEvent, run: () => EngineStep): EngineStep {
    if (this.seen.has(event.eventId)) {
      this.counters.duplicates++;
      return duplicate;
    }
    const step = run();
    // A refused event may be corrected and re-sent under the same id; only applied ids are final.
    if (step.rejection === null) this.seen.add(event.eventId);
    return step;
  }

  private reject(event: DgtEvent, code: RejectionCode, reason: string): EngineStep {
    this.counters.rejected++;
    this.counters.rejectedByCode[code] = (this.counters.rejectedByCode[code] ?? 0) + 1;
    return {
      detections: frozenEmpty,
      ignored: null,
      rejection: { eventId: event.eventId, type: event.type, occurredAt: event.occurredAt, code, reason },
    };
  }

  private applyZone(event: ZoneEvent): EngineStep {
    const ms = epochMs(event.occurredAt);
    const seq = this.counters.events;
    if (event.type === 'ZoneWithdrawn') {
      const { zoneId } = event.data;
      if (!this.zones.withdraw(zoneId, ms)) return this.reject(event, 'ZONE_UNKNOWN', `zone ${zoneId} is not active at ${event.occurredAt}`);
      this.recordZoneOp(zoneId, { seq, eventId: event.eventId, atMs: ms, op: 'withdraw', zoneId });
      return nothing;
    }
    try {
      const spec = zoneSpecOf(event.data);
      const { rules } = event.data;
      this.zones.designate(spec, ms);
      this.noteDesignation(spec, ms, rules, event.eventId);
      this.recordZoneOp(spec.zoneId, { seq, eventId: event.eventId, atMs: ms, op: 'designate', spec, ...(rules === undefined ? {} : { rules }) });
      return nothing;
    } catch (err) {
      if (err instanceof ZoneGeometryError) return this.reject(event, 'ZONE_INVALID', err.message);
      throw err;
    }
  }

  private applyConsignment(event: ConsignmentEvent): EngineStep {
    const current = this.consignments.get(event.data.waybillNo);
    const decision = decideConsignment(current, event, (vehicleId) => this.laden.get(vehicleId));
    if (!decision.ok) return this.reject(event, decision.code, decision.reason);
    const next = decision.consignment;
    this.consignments.set(next.waybillNo, next);
    this.consignmentGeneration++;
    const ids = this.consignmentEventIds.get(next.waybillNo);
    if (ids === undefined) this.consignmentEventIds.set(next.waybillNo, [event.eventId]);
    else ids.push(event.eventId);
    this.changes?.consignments.add(next.waybillNo);
    if (next.vehicleId !== undefined) {
      if (next.status === 'loaded') this.laden.set(next.vehicleId, next.waybillNo);
      else if (next.status === 'unloaded') this.laden.delete(next.vehicleId);
    }
    this.activeWaybills.note(current, next);
    return nothing;
  }

  /**
   * A tick of the record's clock: vehicles whose rest has lasted `restMinS` by now end their
   * driving period, and vehicles with an active consignment silent for `offlineAfterS` go offline.
   * Emitted in vehicle-id order (not map order, which differs after a restore).
   */
  private applyClock(event: EventOf<'ClockTicked'>): EngineStep {
    const at = epochMs(event.data.at);
    if (!(at > this.clockMs)) return nothing;
    this.clockMs = at;
    const restMs = this.config.restMinS * 1000;
    const offlineMs = this.config.offlineAfterS * 1000;
    const restDue = (v: VehicleState): boolean => v.driving !== null && v.stop !== null && at >= v.stop.anchor.ms + restMs;
    const offlineDue = (vehicleId: string, v: VehicleState): boolean => !v.offline && v.lastEventId !== '' && at >= (this.memo[v.slot * ROW + LAST_MS] as number) + offlineMs && this.activeWaybills.has(vehicleId);
    let due: string[] | null = null;
    for (const [vehicleId, v] of this.vehicles) if (restDue(v) || offlineDue(vehicleId, v)) (due ??= []).push(vehicleId);
    if (due === null) return nothing;
    due.sort(compareKeys);
    const out: DetectionEvent[] = [];
    for (const vehicleId of due) {
      const v = this.vehicles.get(vehicleId) as VehicleState;
      this.changes?.vehicles.add(vehicleId);
      if (restDue(v)) {
        const driving = v.driving as Driving;
        if (driving.started) out.push(fatigueEnded(vehicleId, driving, (v.stop as Stop).anchor.occurredAt, event, true));
        this.setDriving(v, null);
      }
      if (offlineDue(vehicleId, v)) {
        v.offline = true;
        const ladenWith = this.laden.get(vehicleId);
        // Laden: that waybill; else the first assigned one (sorted, so a restore names the same).
        const waybillNo = ladenWith ?? this.activeWaybills.firstOf(vehicleId);
        const waybill = waybillNo === undefined ? undefined : this.consignments.get(waybillNo);
        const lastFix = this.lastFixOf(v);
        out.push(terminalOffline(vehicleId, lastFix, event.eventId, lastFix.ms + offlineMs, waybill, ladenWith !== undefined));
      }
    }
    return out.length === 0 ? nothing : { detections: out, rejection: null, ignored: null };
  }

  private applyPosition(event: PositionEvent): EngineStep {
    this.counters.positions++;
    const { vehicleId, lon, lat, speedKmh } = event.data;
    const ms = epochMs(event.occurredAt);
    let v = this.vehicles.get(vehicleId);
    if (v === undefined) {
      v = {
        lastEventId: '', lastOccurredAt: '',
        recent: [], recentNext: 0, stop: null, presences: frozenEmpty, restricted: frozenEmpty, overspeed: null,
        driving: null, offline: false, deviation: null, routeGeneration: -1, routeWaybill: undefined, routeCorridor: undefined, loadGeneration: -1, load: undefined,
        crossGeneration: -1, slot: this.newSlot(-Infinity, 0, 0, 0, null),
        lastInside: frozenEmpty, lastAreas: frozenEmpty, lastParks: frozenEmpty,
      };
      this.vehicles.set(vehicleId, v);
    }
    const memo = this.memo;
    const m = v.slot * ROW;
    if (ms <= (memo[m + LAST_MS] as number)) {
      if (v.recent.includes(event.eventId)) {
        this.counters.duplicates++;
        return duplicate;
      }
      this.counters.late++;
      return late;
    }
    this.remember(v, event.eventId);
    this.changes?.vehicles.add(vehicleId);
    // The fix before this one, kept as fields: a stop starting now may have begun there.
    const prevMs = memo[m + LAST_MS] as number;
    const prevLon = memo[m + LAST_LON] as number;
    const prevLat = memo[m + LAST_LAT] as number;
    const prevSpeedKmh = memo[m + LAST_SPEED] as number;
    const prevEventId = v.lastEventId;
    const prevOccurredAt = v.lastOccurredAt;
    memo[m + LAST_MS] = ms;
    v.lastEventId = event.eventId;
    v.lastOccurredAt = event.occurredAt;
    memo[m + LAST_LON] = lon;
    memo[m + LAST_LAT] = lat;
    memo[m + LAST_SPEED] = speedKmh;
    const cfg = this.config;
    const zones = this.zones;
    // Which zones of the ruled kinds contain this fix, and which the line from the previous fix
    // passed while neither fix was inside (a tunnel with no fix in it; only over short gaps at a
    // plausible speed, see config.ts). Most fixes are settled by the memo of the previous one
    // without asking the index: a line shorter (Chebyshev, degrees) than its start's clearance for
    // a kind meets no zone boundary of that kind, so it passes no zone and its end lies in the
    // zones its start lies in (ZoneIndex.stableUntil), and the end's clearance is at least the
    // start's less the line's length. What the memo cannot settle goes to the index, which gives
    // the same answers as without the memo: zones containing either end are skipped, which
    // crossingsBetween would not report anyway.
    const gapMs = ms - prevMs;
    const crossMaxM = (cfg.crossMaxSpeedKmh / 3.6) * (gapMs / 1000);
    const crossing = gapMs <= cfg.crossMaxGapS * 1000;
    const generation = zones.crossingGeneration;
    const known = v.crossGeneration === generation && ms < (memo[m + STABLE_UNTIL] as number);
    if (!known) {
      v.crossGeneration = generation;
      memo[m + STABLE_UNTIL] = zones.stableUntil(ms);
    }
    // The line is settled by each kind's memo on most fixes; zonesNear (zonesNear.ts) takes the others.
    const reach = Math.max(Math.abs(lon - prevLon), Math.abs(lat - prevLat));
    const line = this.line;
    line.aLon = prevLon;
    line.aLat = prevLat;
    line.aMs = prevMs;
    line.bLon = lon;
    line.bLat = lat;
    line.bMs = ms;
    line.reach = reach;
    line.maxM = crossMaxM;
    line.known = known;
    const near = this.near;
    let inside = v.lastInside;
    let crossedSegments: readonly ZoneCrossing[] = frozenEmpty;
    const segLeft = (known ? Math.max(0, memo[m + CLEAR_SEG] as number) : 0) - reach;
    if (segLeft > 0) memo[m + CLEAR_SEG] = segLeft;
    else {
      zonesNear(zones, line, 'accident-segment', memo[m + CLEAR_SEG] as number, v.lastInside, crossing, near);
      inside = near.zones;
      crossedSegments = near.crossed;
      memo[m + CLEAR_SEG] = near.clear;
      // Mostly the shared empty answer: stored only when it changes.
      if (v.lastInside !== inside) v.lastInside = inside;
    }
    let areas: readonly string[] = frozenEmpty;
    let crossedAreas: readonly ZoneCrossing[] = frozenEmpty;
    if (this.restrictedAreas) {
      areas = v.lastAreas;
      const areaLeft = (known ? Math.max(0, memo[m + CLEAR_AREA] as number) : 0) - reach;
      if (areaLeft > 0) memo[m + CLEAR_AREA] = areaLeft;
      else {
        zonesNear(zones, line, 'restricted-area', memo[m + CLEAR_AREA] as number, v.lastAreas, crossing, near);
        areas = near.zones;
        crossedAreas = near.crossed;
        memo[m + CLEAR_AREA] = near.clear;
        if (v.lastAreas !== areas) v.lastAreas = areas;
      }
    }
    let parks: readonly string[] = frozenEmpty;
    if (this.ruledParks) {
      // Parks matter here for their rules only; a line through one is no event.
      parks = v.lastParks;
      const parkLeft = (known ? Math.max(0, memo[m + CLEAR_PARK] as number) : 0) - reach;
      if (parkLeft > 0) memo[m + CLEAR_PARK] = parkLeft;
      else {
        zonesNear(zones, line, 'chemical-park', memo[m + CLEAR_PARK] as number, v.lastParks, false, near);
        parks = near.zones;
        memo[m + CLEAR_PARK] = near.clear;
        if (v.lastParks !== parks) v.lastParks = parks;
      }
    }
    // Laden with a routed waybill: is this fix off the route (its distance), or on it (null)?
    // Looked up again only after a consignment changed who is laden with a route (rare).
    if (v.routeGeneration !== this.activeWaybills.generation) {
      v.routeGeneration = this.activeWaybills.generation;
      v.routeWaybill = this.activeWaybills.routedWaybillOf(vehicleId);
      v.routeCorridor = v.routeWaybill === undefined ? undefined : this.activeWaybills.corridorOf(this.consignments.get(v.routeWaybill));
    }
    const routedWaybill = v.routeWaybill;
    const corridor = v.routeCorridor;
    const beyondM = corridor === undefined ? null : corridor.beyond(lon, lat);
    const driving = v.driving;
    // The common case — moving within the general limit, not stopped, nowhere near a zone, in a
    // driving period not yet too long, online, no route to follow — allocates nothing.
    if (
      v.stop === null && speedKmh > cfg.stopSpeedKmh && speedKmh <= cfg.overspeedKmh && v.overspeed === null &&
      ms - (memo[m + DRIVING_SINCE] as number) <= cfg.fatigueAfterS * 1000 && gapMs < cfg.restMinS * 1000 &&
      !v.offline && beyondM === null && v.deviation === null &&
      inside.length === 0 && v.presences.length === 0 && areas.length === 0 && parks.length === 0 && v.restricted.length === 0 &&
      crossedSegments.length === 0 && crossedAreas.length === 0
    ) {
      return nothing;
    }

    const fix: Fix = { eventId: event.eventId, occurredAt: event.occurredAt, ms, lon, lat, speedKmh };
    const previous: Fix | null =
      prevEventId !== '' ? { eventId: prevEventId, occurredAt: prevOccurredAt, ms: prevMs, lon: prevLon, lat: prevLat, speedKmh: prevSpeedKmh } : null;
    let out: DetectionEvent[] | null = null;
    // Back from offline: the gap and how far the vehicle moved in it come first (they happened first).
    if (v.offline && previous !== null) {
      (out ??= []).push(terminalOnline(vehicleId, previous, fix));
      v.offline = false;
    }
    const stopBefore = v.stop;
    const stopStep = evolveStop(v.stop, fix, cfg, v.stop === null ? previous : null);
    const ended = stopStep.ended;
    if (ended !== null && ended.violation !== null) (out ??= []).push(parkingEnded(vehicleId, ended, ended.violation, fix));
    let stop = stopStep.stop;
    // Looked up only when a rule needs it: most fixes are of vehicles moving far from any zone.
    let load: Consignment | undefined | null = null;
    if (stop !== null && (load = this.loadOf(v, vehicleId)) !== undefined && isIllegalParking(stop, fix, load, this.zones, cfg)) {
      // Loaded implies assigned, so the carrier is known.
      const violation = { waybillNo: load.waybillNo, carrierId: load.carrierId ?? '', startedAt: fix.occurredAt };
      stop = { anchor: stop.anchor, violation };
      (out ??= []).push(parkingStarted(vehicleId, stop, violation, fix, load.loadingEventId));
    }
    v.stop = stop;

    // Fatigue: a rest completed at this fix ends the driving period; a moving fix (not part of a stop) extends it.
    const continuesStop = stopBefore !== null && ended === null && stopStep.stop === stopBefore;
    const fatigue = evolveFatigue(driving, fix, restCompletedAt(stopBefore, continuesStop, previous, fix, cfg), stop === null, cfg);
    if (fatigue.ended !== null) (out ??= []).push(fatigueEnded(vehicleId, fatigue.ended.driving, fatigue.ended.restStartedAt, fix, false));
    if (fatigue.started && fatigue.driving !== null) {
      if (load === null) load = this.loadOf(v, vehicleId);
      (out ??= []).push(fatigueStarted(vehicleId, fatigue.driving, fix, load));
    }
    this.setDriving(v, fatigue.driving);

    const presencesBefore = v.presences;
    const restrictedBefore = v.restricted;
    let entered: readonly string[] = frozenEmpty;
    if (inside.length > 0 || presencesBefore.length > 0) {
      const seg = evolveSegments(presencesBefore, inside, fix, cfg);
      for (const x of seg.exited) (out ??= []).push(segmentExited(vehicleId, x.zoneId, x.at, fix));
      entered = seg.entered;
      v.presences = seg.presences;
    }

    if ((crossedSegments.length > 0 || crossedAreas.length > 0) && previous !== null && distanceM(prevLon, prevLat, lon, lat) <= crossMaxM) {
      if (load === null) load = this.loadOf(v, vehicleId);
      // A zone the vehicle is still counted in (an exit not yet confirmed) was not passed anew.
      for (const c of crossedSegments) {
        if (presencesBefore.some((p) => p.zoneId === c.zoneId) || restrictedBefore.some((e) => e.zoneId === c.zoneId)) continue;
        const p = passageOf(c, previous, fix);
        (out ??= []).push(passageEntered(vehicleId, p, load));
        this.restrictedBetweenFixes(vehicleId, p, load, out);
        out.push(passageExited(vehicleId, p));
      }
      for (const c of crossedAreas) {
        if (restrictedBefore.some((e) => e.zoneId === c.zoneId)) continue;
        this.restrictedBetweenFixes(vehicleId, passageOf(c, previous, fix), load, (out ??= []));
      }
    }

    if (entered.length > 0) {
      if (load === null) load = this.loadOf(v, vehicleId);
      for (const zoneId of entered) (out ??= []).push(segmentEntered(vehicleId, zoneId, fix, load));
    }

    // The zones of ruled kinds containing the fix: their speed limits, and the bans a laden vehicle breaks there.
    let limitKmh = cfg.overspeedKmh;
    let limitZone: string | null = null;
    if (inside.length > 0 || areas.length > 0 || parks.length > 0 || restrictedBefore.length > 0) {
      const ids = this.hereIds;
      const rules = this.hereRules;
      const broken = this.hereBroken;
      ids.length = 0;
      for (const id of inside) ids.push(id);
      for (const id of areas) ids.push(id);
      for (const id of parks) ids.push(id);
      if (ids.length > 1) ids.sort(compareKeys);
      rules.length = 0;
      broken.length = 0;
      let anyBroken = false;
      for (const id of ids) {
        const r = this.rulesAt(id, ms);
        let rule: RestrictedRule | null = null;
        if (r !== null) {
          if (r.speedLimitKmh < limitKmh) {
            limitKmh = r.speedLimitKmh;
            limitZone = id;
          }
          if (r.ladenBanned || r.windows.length > 0) {
            if (load === null) load = this.loadOf(v, vehicleId);
            rule = brokenRule(r, load, ms);
            if (rule !== null) anyBroken = true;
          }
        }
        rules.push(r);
        broken.push(rule);
      }
      if (anyBroken || restrictedBefore.length > 0) {
        const step = evolveRestricted(restrictedBefore, ids, broken, fix, cfg);
        for (const e of step.ended) (out ??= []).push(restrictedEnded(vehicleId, e.entry, e.at, fix));
        for (const st of step.started) {
          // A broken rule implies a load.
          (out ??= []).push(restrictedStarted(vehicleId, st.zoneId, st.rule, fix, load as Consignment, rules[ids.indexOf(st.zoneId)] as CompiledRules));
        }
        v.restricted = step.entries;
      }
    }

    if (v.overspeed !== null || speedKmh > limitKmh) {
      const os = evolveOverspeed(v.overspeed, fix, limitKmh, cfg);
      if (os.ended !== null) (out ??= []).push(overspeedEnded(vehicleId, os.ended, fix));
      if (os.started && os.run !== null) {
        if (load === null) load = this.loadOf(v, vehicleId);
        (out ??= []).push(overspeedStarted(vehicleId, os.run, fix, limitKmh, limitZone, load));
      }
      v.overspeed = os.run;
    }

    // Route deviation: only while laden with a waybill that declares a route (a run under way ends otherwise).
    if (corridor !== undefined || v.deviation !== null) {
      const dev = evolveDeviation(v.deviation, fix, corridor === undefined ? null : (routedWaybill as string), beyondM, cfg);
      if (dev.ended !== null) (out ??= []).push(deviationEnded(vehicleId, dev.ended, fix));
      if (dev.started && dev.run !== null) {
        if (load === null) load = this.loadOf(v, vehicleId);
        // A routed waybill under way is a loaded one, so there is a load.
        (out ??= []).push(deviationStarted(vehicleId, dev.run, load as Consignment));
      }
      v.deviation = dev.run;
    }

    return out === null ? nothing : { detections: out, rejection: null, ignored: null };
  }

  /** A restricted entry and its end between two fixes, when the zone's rule is broken at the interpolated entry. */
  private restrictedBetweenFixes(vehicleId: string, p: Passage, load: Consignment | undefined, out: DetectionEvent[]): void {
    const rules = this.rulesAt(p.zoneId, p.enterMs);
    const rule = brokenRule(rules, load, p.enterMs);
    if (rule === null || load === undefined || rules === null) return;
    out.push(...restrictedPassage(vehicleId, p, rule, load, rules));
  }

  /** A row for a new vehicle (see ROW), with its last fix's numbers and its driving period. */
  private newSlot(lastMs: number, lastLon: number, lastLat: number, lastSpeedKmh: number, driving: Driving | null): number {
    if ((this.slots + 1) * ROW > this.memo.length) {
      const grown = new Float64Array(this.memo.length * 2);
      grown.set(this.memo);
      this.memo = grown;
    }
    const m = this.slots * ROW;
    this.memo[m + STABLE_UNTIL] = -Infinity;
    this.memo[m + LAST_MS] = lastMs;
    this.memo[m + LAST_LON] = lastLon;
    this.memo[m + LAST_LAT] = lastLat;
    this.memo[m + LAST_SPEED] = lastSpeedKmh;
    this.memo[m + DRIVING_SINCE] = drivingSince(driving);
    return this.slots++;
  }

  private setDriving(v: VehicleState, driving: Driving | null): void {
    v.driving = driving;
    this.memo[v.slot * ROW + DRIVING_SINCE] = drivingSince(driving);
  }

  /** A vehicle's last applied fix as a Fix (only when it has one). */
  private lastFixOf(v: VehicleState): Fix {
    const m = v.slot * ROW;
    return {
      eventId: v.lastEventId,
      occurredAt: v.lastOccurredAt,
      ms: this.memo[m + LAST_MS] as number,
      lon: this.memo[m + LAST_LON] as number,
      lat: this.memo[m + LAST_LAT] as number,
      speedKmh: this.memo[m + LAST_SPEED] as number,
    };
  }

  /** The consignment the vehicle is laden with, looked up again only after a consignment changed. */
  private loadOf(v: VehicleState, vehicleId: string): Consignment | undefined {
    if (v.loadGeneration !== this.consignmentGeneration) {
      const waybillNo = this.laden.get(vehicleId);
      v.load = waybillNo === undefined ? undefined : this.consignments.get(waybillNo);
      v.loadGeneration = this.consignmentGeneration;
    }
    return v.load;
  }

  private remember(v: VehicleState, eventId: string): void {
    const size = this.config.duplicateWindow;
    if (size === 0) return;
    if (v.recent.length < size) v.recent.push(eventId);
    else v.recent[v.recentNext] = eventId;
    v.recentNext = (v.recentNext + 1) % size;
  }
}

/** Only the fields the zone index reads: loose extra fields of the event stay out of saved state. */
function zoneSpecOf(data: ZoneDesignatedData): ZoneSpec {
  const spec: ZoneSpec = { zoneId: data.zoneId, kind: data.kind, name: data.name, datum: data.datum };
  if (data.polygon !== undefined) spec.polygon = data.polygon;
  if (data.path !== undefined) spec.path = data.path;
  if (data.bufferM !== undefined) spec.bufferM = data.bufferM;
  return spec;
}
