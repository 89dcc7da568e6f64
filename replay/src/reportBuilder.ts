import { type EngineStep, type Occurrence, OccurrenceTracker } from '@dgt/detection';
import { type DetectionEvent, type DgtEvent, epochMs, type FieldIssue, isSetAsideEvent } from '@dgt/events';
import { gcj02ToWgs84 } from '@dgt/geo';
import type { RegistryFacts } from './registryFacts.ts';
import type { InvalidEvent, ReportRejection, TimelineEntry, VehicleTimeline, WaybillSummary, ZoneSummary, ZoneVersionSummary } from './reportTypes.ts';

/** Track points kept per vehicle before the stride doubles (the map needs shape, not every fix). */
const TRACK_BUDGET = 256;
/** Track points in the whole report: a fleet-wide audit must not write a report of every fix. */
const TRACK_TOTAL = 50_000;

type Pair = [number, number];

/**
 * The string as its own copy. Strings read from the store may be slices of the event's whole
 * stored text; a track keeps up to 50,000 times, which must not keep 50,000 texts alive.
 */
function ownCopy(s: string): string {
  return (' ' + s).slice(1);
}

function toWgs(points: readonly (readonly [number, number])[] | undefined, datum: string): Pair[] | null {
  if (points === undefined) return null;
  return points.map(([lon, lat]) => (datum === 'GCJ02' ? gcj02ToWgs84(lon, lat) : [lon, lat]));
}

function describe(event: DgtEvent): string {
  switch (event.type) {
    case 'ConsignmentDeclared':
      return `waybill ${event.data.waybillNo} declared by ${event.data.consignorId}: ${event.data.origin.name} → ${event.data.destination.name}`;
    case 'CarriageAssigned':
      return `waybill ${event.data.waybillNo} assigned to carrier ${event.data.carrierId} (driver ${event.data.driverId}, escort ${event.data.escortId})`;
    case 'LoadingCompleted':
      return `loaded with waybill ${event.data.waybillNo}`;
    case 'UnloadingCompleted':
      return `unloaded waybill ${event.data.waybillNo}`;
    case 'ConsignmentClosed':
      return `waybill ${event.data.waybillNo} closed`;
    case 'ConsignmentCancelled':
      return `waybill ${event.data.waybillNo} cancelled: ${event.data.reason}`;
    case 'IllegalParkingStarted':
      return `illegal parking: laden with ${event.data.waybillNo}, stopped since ${event.data.stoppedSince} at ${event.data.lon}, ${event.data.lat}`;
    case 'IllegalParkingEnded':
      return `illegal parking ended after ${event.data.durationS} s`;
    case 'AccidentSegmentEntered':
      return `entered accident-prone segment ${event.data.zoneId} at ${event.data.speedKmh} km/h${event.data.laden ? ` laden with ${event.data.waybillNo ?? '?'}` : ' empty'}${event.data.interpolated ? ' (interpolated between fixes)' : ''}`;
    case 'AccidentSegmentExited':
      return `left accident-prone segment ${event.data.zoneId}${event.data.interpolated ? ' (interpolated between fixes)' : ''}`;
    case 'RestrictedEntryStarted':
      return `entered restricted area ${event.data.zoneId} laden with ${event.data.waybillNo} at ${event.data.speedKmh} km/h (${event.data.rule})${event.data.interpolated ? ' (interpolated between fixes)' : ''}`;
    case 'RestrictedEntryEnded':
      return `left restricted area ${event.data.zoneId} after ${event.data.durationS} s`;
    case 'OverspeedStarted':
      return `over the ${event.data.limitKmh} km/h limit${event.data.zoneId === null ? '' : ` of ${event.data.zoneId}`} since ${event.data.since}: ${event.data.speedKmh} km/h${event.data.laden ? ' laden' : ''}`;
    case 'OverspeedEnded':
      return `within the limit again after ${event.data.durationS} s (fastest ${event.data.maxSpeedKmh} km/h)`;
    case 'FatigueDrivingStarted':
      return `fatigue driving: ${event.data.drivenS} s since ${event.data.drivingSince} without a rest${event.data.laden ? ` laden with ${event.data.waybillNo ?? '?'}` : ''}`;
    case 'FatigueDrivingEnded':
      return `rest completed (resting since ${event.data.restStartedAt}); driving since ${event.data.drivingSince} ended`;
    case 'TerminalOffline':
      return `terminal offline: no fix since ${event.data.lastFixAt} (last at ${event.data.lon}, ${event.data.lat})${event.data.laden ? ` laden with ${event.data.waybillNo ?? '?'}` : ` assigned to ${event.data.waybillNo ?? '?'}`}`;
    case 'TerminalOnline':
      return `terminal back online after ${event.data.gapS} s, ${event.data.movedM} m from its last fix`;
    case 'RouteDeviationStarted':
      return `off the declared route of ${event.data.waybillNo} by ${event.data.distanceM} m`;
    case 'RouteDeviationEnded':
      return `back on the declared route of ${event.data.waybillNo} (at most ${event.data.maxDistanceM} m off)`;
    case 'ZoneDesignated':
    case 'ZoneWithdrawn':
    case 'VehiclePositionReported':
    case 'CarrierRegistered':
    case 'VehicleRegistered':
    case 'VehicleTransferred':
    case 'TerminalRegistered':
    case 'TerminalRegistrationReset':
    case 'VehicleAlarmReported':
    case 'PlatformRegistrationMismatched':
    case 'ClockTicked':
      return event.type;
    default: {
      if (isSetAsideEvent(event)) return event.type;
      const never: never = event;
      return (never as { type: string }).type;
    }
  }
}

interface VehicleAcc extends Omit<VehicleTimeline, 'plateNo' | 'registeredCarrierId'> {
  applied: number;
}

const waybillStatus = {
  ConsignmentDeclared: 'declared',
  CarriageAssigned: 'assigned',
  LoadingCompleted: 'loaded',
  UnloadingCompleted: 'unloaded',
  ConsignmentClosed: 'closed',
  ConsignmentCancelled: 'cancelled',
} as const satisfies Record<string, WaybillSummary['status']>;

const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/**
 * Accumulates the report model while events are fed; the getters are read once at the end.
 * Fixes before `from` are the lead-in: fed to the engine so the state at `from` is the live one.
 * Fixes from `to` on are the lead-out: fed so what started in the window and was still open at
 * `to` gets its end. Nothing else of either is reported (fixes, detections, occurrences started
 * then); consignment steps are, whenever they happened (the waybill's history).
 */
export class ReportBuilder {
  private readonly vehicles = new Map<string, VehicleAcc>();
  private readonly waybillVehicle = new Map<string, string>();
  private readonly zones = new Map<string, ZoneSummary>();
  private readonly waybills = new Map<string, WaybillSummary>();
  private readonly occurrences = new OccurrenceTracker();
  readonly detections: DetectionEvent[] = [];
  readonly rejections: ReportRejection[] = [];
  readonly invalidEvents: InvalidEvent[] = [];
  positions = 0;
  leadInPositions = 0;
  leadOutPositions = 0;
  zoneEvents = 0;
  consignmentEvents = 0;
  otherEvents = 0;

  /** The window reported on, epoch ms, `to` exclusive (null = unbounded on that side). */
  constructor(
    private readonly fromMs: number | null = null,
    private readonly toMs: number | null = null,
  ) {}

  /** -1 before the window (lead-in), 0 in it, 1 after it (lead-out). */
  private side(at: string): -1 | 0 | 1 {
    // A whole-history replay has no window: no time to read (once per event).
    if (this.fromMs === null && this.toMs === null) return 0;
    const ms = epochMs(at);
    if (this.fromMs !== null && ms < this.fromMs) return -1;
    return this.toMs !== null && ms >= this.toMs ? 1 : 0;
  }

  private inWindow(at: string): boolean {
    return this.side(at) === 0;
  }

  /** Violations that started in the window, in the order they opened (each closed if its end came before `to`). */
  get violations(): Occurrence[] {
    return this.reported('violation');
  }

  /** Advisories (segment passages) that started in the window. */
  get advisories(): Occurrence[] {
    return this.reported('advisory');
  }

  private reported(category: Occurrence['category']): Occurrence[] {
    return this.occurrences.all().filter((o) => o.category === category && this.inWindow(o.startedAt));
  }

  private vehicle(vehicleId: string): VehicleAcc {
    let v = this.vehicles.get(vehicleId);
    if (v === undefined) {
      v = { vehicleId, fixes: 0, late: 0, duplicates: 0, firstFixAt: null, lastFixAt: null, entries: [], track: [], trackStride: 1, applied: 0 };
      this.vehicles.set(vehicleId, v);
    }
    return v;
  }

  invalid(raw: Record<string, unknown>, position: string | null, issues: readonly FieldIssue[]): void {
    this.invalidEvents.push({
      eventId: typeof raw.eventId === 'string' ? raw.eventId : null,
      type: typeof raw.type === 'string' ? raw.type : null,
      position,
      issues: issues.map((i) => ({ path: i.path, message: i.message })),
    });
  }

  /** Records one fed event and what the engine made of it. */
  event(event: DgtEvent, position: string | null, step: EngineStep): void {
    if (event.type === 'VehiclePositionReported') this.position(event, step);
    else this.other(event, step);
    if (step.rejection !== null) {
      const r = step.rejection;
      this.rejections.push({ eventId: r.eventId, type: r.type, occurredAt: r.occurredAt, code: r.code, reason: r.reason, position });
      const owner = this.ownerOf(event);
      if (owner !== null) this.vehicle(owner).entries.push({ at: r.occurredAt, kind: 'rejection', type: r.type, eventId: r.eventId, detail: `${r.code}: ${r.reason}` });
    }
    const trigger = event.type === 'VehiclePositionReported' ? event.data : null;
    for (const d of step.detections) this.detection(d, trigger);
  }

  private position(event: DgtEvent & { type: 'VehiclePositionReported' }, step: EngineStep): void {
    const side = this.side(event.occurredAt);
    if (side < 0) return void this.leadInPositions++;
    if (side > 0) return void this.leadOutPositions++;
    this.positions++;
    const v = this.vehicle(event.data.vehicleId);
    v.fixes++;
    if (step.ignored === 'late') return void v.late++;
    if (step.ignored === 'duplicate') return void v.duplicates++;
    v.firstFixAt ??= event.occurredAt;
    v.lastFixAt = event.occurredAt;
    if (v.applied % v.trackStride === 0) {
      v.track.push([event.data.lon, event.data.lat, ownCopy(event.occurredAt)]);
      // Thinned to the cap `timelines` will apply for the vehicles seen so far, when that is lower:
      // vehicles only add up, so the cap only falls, and a track at least twice that cap is
      // halved by `timelines` anyway — the same points and stride, without copying a fleet's fixes.
      if (v.track.length > 2 * Math.min(TRACK_BUDGET, this.trackCap())) {
        v.track = v.track.filter((_, i) => i % 2 === 0);
        v.trackStride *= 2;
      }
    }
    v.applied++;
  }

  private ownerOf(event: DgtEvent): string | null {
    const data = event.data as Record<string, unknown>;
    if (typeof data.vehicleId === 'string') return data.vehicleId;
    return typeof data.waybillNo === 'string' ? (this.waybillVehicle.get(data.waybillNo) ?? null) : null;
  }

  private other(event: DgtEvent, step: EngineStep): void {
    switch (event.type) {
      case 'ZoneDesignated':
      case 'ZoneWithdrawn':
        this.zoneEvents++;
        if (step.rejection === null) this.zone(event);
        return;
      case 'ConsignmentDeclared':
      case 'CarriageAssigned':
      case 'LoadingCompleted':
      case 'UnloadingCompleted':
      case 'ConsignmentClosed':
      case 'ConsignmentCancelled': {
        this.consignmentEvents++;
        if (step.rejection !== null || step.ignored !== null) return;
        if (event.type === 'CarriageAssigned') this.waybillVehicle.set(event.data.waybillNo, event.data.vehicleId);
        this.waybill(event);
        const owner = this.ownerOf(event);
        if (owner !== null) this.vehicle(owner).entries.push({ at: event.occurredAt, kind: 'consignment', type: event.type, eventId: event.eventId, detail: describe(event) });
        return;
      }
      default:
        this.otherEvents++;
    }
  }

  private waybill(event: DgtEvent & { type: keyof typeof waybillStatus }): void {
    const no = event.data.waybillNo;
    let w = this.waybills.get(no);
    if (w === undefined) {
      w = { waybillNo: no, consignorId: null, origin: null, destination: null, goods: [], carrierId: null, vehicleId: null, driverId: null, escortId: null, status: 'declared' };
      this.waybills.set(no, w);
    }
    w.status = waybillStatus[event.type];
    if (event.type === 'ConsignmentDeclared') {
      const d = event.data;
      w.consignorId = d.consignorId;
      w.origin = d.origin.name;
      w.destination = d.destination.name;
      w.goods = d.goods.map((g) => ({ unNumber: g.unNumber, name: g.name, hazardClass: g.hazardClass, quantityKg: g.quantityKg }));
    } else if (event.type === 'CarriageAssigned') {
      const d = event.data;
      Object.assign(w, { carrierId: d.carrierId, vehicleId: d.vehicleId, driverId: d.driverId, escortId: d.escortId });
    }
  }

  waybillSummaries(): WaybillSummary[] {
    return [...this.waybills.values()].sort(byKey((w) => w.waybillNo));
  }

  private zone(event: DgtEvent & { type: 'ZoneDesignated' | 'ZoneWithdrawn' }): void {
    const zoneId = event.data.zoneId;
    const summary = this.zones.get(zoneId);
    const current = summary?.versions.find((v) => v.to === null);
    if (current) current.to = event.occurredAt;
    if (event.type === 'ZoneWithdrawn') return;
    const d = event.data;
    const version: ZoneVersionSummary = {
      from: event.occurredAt,
      to: null,
      datum: d.datum,
      polygon: toWgs(d.polygon, d.datum),
      path: toWgs(d.path, d.datum),
      bufferM: d.bufferM ?? null,
    };
    if (summary) {
      summary.kind = d.kind;
      summary.name = d.name;
      summary.versions.push(version);
    } else this.zones.set(zoneId, { zoneId, kind: d.kind, name: d.name, versions: [version] });
  }

  private detection(d: DetectionEvent, trigger: { lon: number; lat: number } | null): void {
    this.occurrences.apply(d, trigger);
    if (!this.inWindow(d.occurredAt)) return;
    this.detections.push(d);
    const v = this.vehicle(d.data.vehicleId);
    v.entries.push({ at: d.occurredAt, kind: 'detection', type: d.type, eventId: d.eventId, detail: describe(d) });
  }

  /** Track points a vehicle's timeline keeps at most, with the vehicles seen so far. */
  private trackCap(): number {
    return Math.max(16, Math.floor(TRACK_TOTAL / Math.max(1, this.vehicles.size)));
  }

  /** Per-vehicle timelines, labelled with the plate and owner `registry` records (null: none recorded). */
  timelines(registry: RegistryFacts | null): VehicleTimeline[] {
    const cap = this.trackCap();
    const registered = new Map((registry?.vehicles ?? []).map((v) => [v.vehicleId, v]));
    return [...this.vehicles.values()]
      .sort(byKey((v) => v.vehicleId))
      .map(({ applied: _applied, ...t }) => {
        let { track, trackStride } = t;
        for (; track.length > cap; trackStride *= 2) track = track.filter((_, i) => i % 2 === 0);
        const r = registered.get(t.vehicleId);
        return { ...t, plateNo: r?.plateNo ?? null, registeredCarrierId: r?.carrierId ?? null, track, trackStride };
      });
  }

  zoneSummaries(): ZoneSummary[] {
    return [...this.zones.values()].sort(byKey((z) => z.zoneId));
  }
}

export type { TimelineEntry };
