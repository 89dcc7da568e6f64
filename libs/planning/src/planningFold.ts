import { type Consignment, type EngineStep, evolveStop, type Fix, type Stop } from '@dgt/detection';
import { type DetectionEvent, type DgtEvent, epochMs, type EventOf } from '@dgt/events';
import { distanceM, hexCell, type ZoneIndex } from '@dgt/geo';
import { beijingDate, beijingHour, beijingWeek } from './calendar.ts';
import { defaultPlanningConfig, type PlanningConfig } from './config.ts';
import { advanceLot, dwellClass, newLot, notePeak } from './lotOccupancy.ts';
import { type CellRow, cellKey, hours, type LotRow, META_KEY, type MetaRow, type PlanningRowKind, type PlanningRowRecord, type SegmentRow, type StopKind } from './rows.ts';
import { parsePlanningRows } from './planningRows.ts';
import { inWindow, type Window, wholeRecord } from './window.ts';

/** What planning reads from the detection engine after it applied an event (DetectionEngine is one). */
export interface PlanningContext {
  ladenWith(vehicleId: string): Readonly<Consignment> | undefined;
  consignment(waybillNo: string): Readonly<Consignment> | undefined;
  readonly zones: Pick<ZoneIndex, 'zonesAt' | 'versionAt'>;
}

/** A laden stop under way that will count as demand when it ends (null: empty, at a site or in a lot). */
interface StopDemand {
  readonly classes: readonly string[];
}

/** Per vehicle: what the next fix needs. Saved with the projector's checkpoint. */
export interface VehiclePlanData {
  prev: Fix | null;
  stop: Stop | null;
  demand: StopDemand | null;
  lot: string | null;
  lotLaden: boolean;
  lotSinceMs: number;
  segments: string[];
}

const noSegments: readonly string[] = Object.freeze([]);

/**
 * The planning fold: `apply(event, step, context)` after the detection engine applied the event,
 * with the engine's step (its detections, and whether it took the event at all) and the engine
 * itself as context (loads, zones). Pure: no clock, no I/O; time passes only through the events,
 * so the same events give the same rows, byte for byte, incrementally or from scratch.
 */
export class PlanningFold {
  private readonly vehicles = new Map<string, VehiclePlanData>();
  private readonly lots = new Map<string, LotRow>();
  private readonly cells = new Map<string, CellRow>();
  private readonly segments = new Map<string, SegmentRow>();
  private readonly meta: MetaRow = { firstMs: null, clockMs: null, positions: 0 };
  private readonly dirtyRows = new Map<string, { kind: PlanningRowKind; key: string }>();
  private readonly dirtyVehicles = new Set<string>();
  /** The meta row changes with nearly every fix: a flag, not a dirty-row entry each time. */
  private metaDirty = false;

  constructor(
    readonly config: PlanningConfig = defaultPlanningConfig,
    readonly window: Window = wholeRecord,
  ) {}

  apply(event: DgtEvent, step: EngineStep, context: PlanningContext): void {
    if (step.rejection !== null || step.ignored !== null) return;
    switch (event.type) {
      case 'VehiclePositionReported':
        this.applyPosition(event, step.detections, context);
        return;
      case 'ZoneDesignated':
        this.applyDesignation(event, context);
        return;
      case 'ZoneWithdrawn':
        this.applyWithdrawal(event);
        return;
      default:
        // Detections from the clock (offline terminals) carry nothing planning counts; consignment
        // events change loads, which the engine keeps and the next fix reads.
        for (const d of step.detections) this.applyDetection(d, context);
    }
  }

  /**
   * Ends the window: lots integrated up to `toMs`, and the laden stops still under way counted up
   * to their vehicle's last fix (a report over a window must not drop the trucks parked at its end).
   */
  finish(toMs: number): void {
    for (const lot of this.lots.values()) {
      advanceLot(lot, toMs, this.window);
      this.touch('lot', lot.lotId);
    }
    for (const [vehicleId, v] of [...this.vehicles].sort(byKey)) {
      if (v.stop !== null && v.demand !== null && v.prev !== null) this.countStop(vehicleId, v.stop, v.demand, v.prev.ms);
      v.stop = null;
      v.demand = null;
    }
  }

  // --- positions

  private applyPosition(event: EventOf<'VehiclePositionReported'>, detections: readonly DetectionEvent[], context: PlanningContext): void {
    const { vehicleId } = event.data;
    const fix: Fix = { eventId: event.eventId, occurredAt: event.occurredAt, ms: epochMs(event.occurredAt), lon: event.data.lon, lat: event.data.lat, speedKmh: event.data.speedKmh };
    this.noteTime(fix.ms);
    const v = this.vehicle(vehicleId);
    const load = context.ladenWith(vehicleId);
    this.trackLot(v, fix, load !== undefined, context);
    this.trackStop(vehicleId, v, fix, load, context);
    for (const d of detections) this.applyDetection(d, context);
    if (v.segments.length > 0 && load !== undefined) this.countSpeed(v, fix, context);
    v.prev = fix;
    this.dirtyVehicles.add(vehicleId);
  }

  private trackLot(v: VehiclePlanData, fix: Fix, laden: boolean, context: PlanningContext): void {
    const here = context.zones.zonesAt(fix.lon, fix.lat, fix.ms, 'parking-lot');
    const lotId = here.length === 0 ? null : [...here].sort()[0] as string;
    if (lotId === v.lot && (lotId === null || laden === v.lotLaden)) return;
    if (v.lot !== null) {
      const lot = this.lots.get(v.lot);
      if (lot !== undefined) {
        advanceLot(lot, fix.ms, this.window);
        if (v.lotLaden) lot.laden = Math.max(0, lot.laden - 1);
        else lot.empty = Math.max(0, lot.empty - 1);
        if (lotId !== v.lot && inWindow(fix.ms, this.window)) {
          const dwellMs = fix.ms - v.lotSinceMs;
          lot.visits++;
          lot.dwellMs += dwellMs;
          const c = dwellClass(dwellMs, this.config.dwellBoundsS);
          lot.dwell[c] = (lot.dwell[c] as number) + 1;
        }
        this.touch('lot', lot.lotId);
      }
    }
    if (lotId !== null) {
      const lot = this.lots.get(lotId);
      if (lot !== undefined) {
        advanceLot(lot, fix.ms, this.window);
        if (laden) lot.laden++;
        else lot.empty++;
        notePeak(lot, fix.ms, this.window);
        this.touch('lot', lotId);
      }
    }
    if (lotId !== v.lot) v.lotSinceMs = fix.ms;
    v.lot = lotId;
    v.lotLaden = laden;
  }

  private trackStop(vehicleId: string, v: VehiclePlanData, fix: Fix, load: Readonly<Consignment> | undefined, context: PlanningContext): void {
    const before = v.stop;
    const step = evolveStop(before, fix, this.config.detection, before === null ? v.prev : null);
    if (step.ended !== null && v.demand !== null) this.countStop(vehicleId, step.ended, v.demand, fix.ms);
    if (step.stop !== null && step.stop !== before) v.demand = this.demandOf(step.stop, load, context);
    else if (step.stop === null) v.demand = null;
    v.stop = step.stop;
  }

  /** Whether a stop starting now is parking demand: laden, away from the waybill's sites, outside every lot. */
  private demandOf(stop: Stop, load: Readonly<Consignment> | undefined, context: PlanningContext): StopDemand | null {
    if (load === undefined) return null;
    const a = stop.anchor;
    const site = this.config.detection.siteRadiusM;
    if (distanceM(a.lon, a.lat, load.origin.lon, load.origin.lat) <= site) return null;
    if (distanceM(a.lon, a.lat, load.destination.lon, load.destination.lat) <= site) return null;
    if (context.zones.zonesAt(a.lon, a.lat, a.ms, 'parking-lot').length > 0) return null;
    return { classes: classesOf(load) };
  }

  private countStop(vehicleId: string, stop: Stop, demand: StopDemand, endMs: number): void {
    const a = stop.anchor;
    if (!inWindow(a.ms, this.window)) return;
    const durationMs = endMs - a.ms;
    const kind: StopKind | null =
      durationMs >= this.config.detection.illegalParkingAfterS * 1000 ? 'long' : durationMs >= this.config.shortStopMinS * 1000 ? 'short' : null;
    if (kind === null) return;
    for (const res of this.config.resolutions) {
      const cell = hexCell(a.lon, a.lat, res);
      const key = cellKey(kind, res, cell);
      let row = this.cells.get(key);
      if (row === undefined) {
        row = { kind, res, cell, stops: 0, durationMs: 0, classes: {}, vehicles: [], firstMs: a.ms, lastMs: a.ms };
        this.cells.set(key, row);
      }
      row.stops++;
      row.durationMs += durationMs;
      for (const c of demand.classes) row.classes[c] = (row.classes[c] ?? 0) + 1;
      insertSorted(row.vehicles, vehicleId);
      if (a.ms < row.firstMs) row.firstMs = a.ms;
      if (a.ms > row.lastMs) row.lastMs = a.ms;
      this.touch('cell', key);
    }
  }

  private countSpeed(v: VehiclePlanData, fix: Fix, context: PlanningContext): void {
    if (!inWindow(fix.ms, this.window)) return;
    const here = context.zones.zonesAt(fix.lon, fix.lat, fix.ms, 'accident-segment');
    for (const segmentId of v.segments) {
      if (!here.includes(segmentId)) continue;
      const row = this.segments.get(segmentId);
      if (row === undefined) continue;
      const bin = Math.min(Math.floor(fix.speedKmh), this.config.maxSpeedBinKmh);
      while (row.speedBins.length <= bin) row.speedBins.push(0);
      row.speedBins[bin] = (row.speedBins[bin] as number) + 1;
      this.touch('segment', segmentId);
    }
  }

  // --- detections

  private applyDetection(d: DetectionEvent, context: PlanningContext): void {
    switch (d.type) {
      case 'AccidentSegmentEntered': {
        const v = this.vehicle(d.data.vehicleId);
        if (!v.segments.includes(d.data.zoneId)) v.segments = [...v.segments, d.data.zoneId].sort();
        this.dirtyVehicles.add(d.data.vehicleId);
        const ms = epochMs(d.occurredAt);
        const row = this.segments.get(d.data.zoneId);
        if (row === undefined || !inWindow(ms, this.window)) return;
        if (!d.data.laden) row.emptyPassages++;
        else {
          row.ladenPassages++;
          bump(row.byDay, beijingDate(ms));
          const h = beijingHour(ms);
          row.byHour[h] = (row.byHour[h] as number) + 1;
          bump(row.byWeek, beijingWeek(ms));
          const load = d.data.waybillNo === undefined ? undefined : context.consignment(d.data.waybillNo);
          if (load !== undefined) for (const c of classesOf(load)) bump(row.byClass, c);
          if (d.data.carrierId !== undefined) bump(row.byCarrier, d.data.carrierId);
        }
        this.touch('segment', row.segmentId);
        return;
      }
      case 'AccidentSegmentExited': {
        const v = this.vehicles.get(d.data.vehicleId);
        if (v === undefined || !v.segments.includes(d.data.zoneId)) return;
        v.segments = v.segments.filter((s) => s !== d.data.zoneId);
        this.dirtyVehicles.add(d.data.vehicleId);
        return;
      }
      case 'RestrictedEntryStarted': {
        const row = this.segments.get(d.data.zoneId);
        if (row === undefined || !inWindow(epochMs(d.occurredAt), this.window)) return;
        if (d.data.rule === 'banned-hours') row.bannedHourEntries++;
        else row.ladenBannedEntries++;
        this.touch('segment', row.segmentId);
        return;
      }
      default:
        return;
    }
  }

  // --- zones

  private applyDesignation(event: EventOf<'ZoneDesignated'>, context: PlanningContext): void {
    const { zoneId, kind, name } = event.data;
    const ms = epochMs(event.occurredAt);
    const version = context.zones.versionAt(zoneId, ms);
    if (version === undefined) return;
    if (kind === 'parking-lot') {
      const existing = this.lots.get(zoneId);
      const ring = [...(version.polygon ?? [])];
      const capacity = event.data.capacity ?? null;
      if (existing === undefined) {
        this.lots.set(zoneId, newLot(zoneId, name, capacity, ring, ms, this.config.dwellBoundsS.length + 1));
      } else {
        // A redesignation changes the lot from now on: the hours before it keep the old capacity.
        advanceLot(existing, ms, this.window);
        existing.name = name;
        existing.capacity = capacity;
        existing.ring = ring;
        existing.withdrawnMs = null;
      }
      this.touch('lot', zoneId);
    } else if (kind === 'accident-segment') {
      const existing = this.segments.get(zoneId);
      const path = [...(version.path ?? [])];
      const bufferM = version.bufferM ?? 0;
      if (existing === undefined) this.segments.set(zoneId, newSegment(zoneId, name, path, bufferM));
      else Object.assign(existing, { name, path, bufferM, withdrawnMs: null });
      this.touch('segment', zoneId);
    }
  }

  private applyWithdrawal(event: EventOf<'ZoneWithdrawn'>): void {
    const ms = epochMs(event.occurredAt);
    const lot = this.lots.get(event.data.zoneId);
    if (lot !== undefined) {
      advanceLot(lot, ms, this.window);
      lot.withdrawnMs = ms;
      this.touch('lot', lot.lotId);
    }
    const segment = this.segments.get(event.data.zoneId);
    if (segment !== undefined) {
      segment.withdrawnMs = ms;
      this.touch('segment', segment.segmentId);
    }
  }

  // --- state

  private noteTime(ms: number): void {
    this.meta.positions++;
    if (this.meta.firstMs === null) {
      // A lot is observed from when the record has positions, not from its designation: zones are
      // often designated (seeded) long before the first fix, and those months held no observation.
      for (const lot of this.lots.values()) {
        if (lot.sinceMs < ms) {
          lot.sinceMs = ms;
          this.touch('lot', lot.lotId);
        }
      }
    }
    if (this.meta.firstMs === null || ms < this.meta.firstMs) this.meta.firstMs = ms;
    if (this.meta.clockMs === null || ms > this.meta.clockMs) this.meta.clockMs = ms;
    this.metaDirty = true;
  }

  private vehicle(vehicleId: string): VehiclePlanData {
    let v = this.vehicles.get(vehicleId);
    if (v === undefined) {
      v = { prev: null, stop: null, demand: null, lot: null, lotLaden: false, lotSinceMs: 0, segments: noSegments as string[] };
      this.vehicles.set(vehicleId, v);
    }
    return v;
  }

  private touch(kind: PlanningRowKind, key: string): void {
    const id = `${kind}\u0000${key}`;
    if (!this.dirtyRows.has(id)) this.dirtyRows.set(id, { kind, key });
  }

  /** Every aggregate row, sorted by kind and key. */
  rows(): PlanningRowRecord[] {
    const out: PlanningRowRecord[] = [];
    for (const [key, row] of this.lots) out.push({ kind: 'lot', key, data: JSON.stringify(row) });
    for (const [key, row] of this.cells) out.push({ kind: 'cell', key, data: JSON.stringify(row) });
    for (const [key, row] of this.segments) out.push({ kind: 'segment', key, data: JSON.stringify(row) });
    out.push({ kind: 'meta', key: META_KEY, data: JSON.stringify(this.meta) });
    return out.sort(byRecord);
  }

  hasChanges(): boolean {
    return this.metaDirty || this.dirtyRows.size > 0 || this.dirtyVehicles.size > 0;
  }

  /** The rows and vehicle states changed since the last call: what a projector batch writes. */
  takeChanges(): { rows: PlanningRowRecord[]; vehicles: [string, string][] } {
    const rows: PlanningRowRecord[] = [];
    for (const { kind, key } of this.dirtyRows.values()) {
      const data = this.rowData(kind, key);
      if (data !== undefined) rows.push({ kind, key, data });
    }
    this.dirtyRows.clear();
    if (this.metaDirty) rows.push({ kind: 'meta', key: META_KEY, data: JSON.stringify(this.meta) });
    this.metaDirty = false;
    const vehicles: [string, string][] = [];
    for (const id of this.dirtyVehicles) vehicles.push([id, JSON.stringify(this.vehicles.get(id))]);
    this.dirtyVehicles.clear();
    return { rows: rows.sort(byRecord), vehicles: vehicles.sort(byKey) };
  }

  private rowData(kind: PlanningRowKind, key: string): string | undefined {
    switch (kind) {
      case 'lot':
        return jsonOf(this.lots.get(key));
      case 'cell':
        return jsonOf(this.cells.get(key));
      case 'segment':
        return jsonOf(this.segments.get(key));
      case 'meta':
        return JSON.stringify(this.meta);
      default: {
        const never: never = kind;
        throw new Error(`unknown planning row kind ${String(never)}`);
      }
    }
  }

  /** Continues from saved rows and vehicle states (a projector restart). */
  static restore(rows: readonly PlanningRowRecord[], vehicles: Iterable<readonly [string, string]>, config: PlanningConfig = defaultPlanningConfig): PlanningFold {
    const fold = new PlanningFold(config);
    const parsed = parsePlanningRows([...rows].sort(byRecord));
    for (const lot of parsed.lots) fold.lots.set(lot.lotId, lot);
    for (const cell of parsed.cells) fold.cells.set(cellKey(cell.kind, cell.res, cell.cell), cell);
    for (const segment of parsed.segments) fold.segments.set(segment.segmentId, segment);
    if (parsed.meta !== undefined) Object.assign(fold.meta, parsed.meta);
    for (const [id, json] of [...vehicles].sort(byKey)) fold.vehicles.set(id, JSON.parse(json) as VehiclePlanData);
    return fold;
  }
}

function newSegment(segmentId: string, name: string, path: SegmentRow['path'], bufferM: number): SegmentRow {
  return {
    segmentId,
    name,
    path,
    bufferM,
    withdrawnMs: null,
    ladenPassages: 0,
    emptyPassages: 0,
    byDay: {},
    byHour: hours(),
    byWeek: {},
    byClass: {},
    byCarrier: {},
    speedBins: [],
    ladenBannedEntries: 0,
    bannedHourEntries: 0,
  };
}

/** The hazard classes a load carries, sorted, once each. */
function classesOf(load: Readonly<Consignment>): string[] {
  return [...new Set(load.goods.map((g) => g.hazardClass))].sort();
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function insertSorted(list: string[], id: string): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as string) < id) lo = mid + 1;
    else hi = mid;
  }
  if (list[lo] !== id) list.splice(lo, 0, id);
}

function jsonOf(row: object | undefined): string | undefined {
  return row === undefined ? undefined : JSON.stringify(row);
}

function byKey(a: readonly [string, unknown], b: readonly [string, unknown]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function byRecord(a: PlanningRowRecord, b: PlanningRowRecord): number {
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
