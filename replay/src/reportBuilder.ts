import type { EngineStep } from '@dgt/detection';
import type { DetectionEvent, DgtEvent, FieldIssue } from '@dgt/events';
import { gcj02ToWgs84 } from '@dgt/geo';
import type { InvalidEvent, ReportRejection, TimelineEntry, VehicleTimeline, Violation, ZoneSummary, ZoneVersionSummary } from './reportTypes.ts';

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
      return `entered accident-prone segment ${event.data.zoneId} at ${event.data.speedKmh} km/h${event.data.laden ? ` laden with ${event.data.waybillNo ?? '?'}` : ' empty'}`;
    case 'AccidentSegmentExited':
      return `left accident-prone segment ${event.data.zoneId}`;
    case 'ZoneDesignated':
    case 'ZoneWithdrawn':
    case 'VehiclePositionReported':
    case 'CarrierRegistered':
    case 'VehicleRegistered':
    case 'VehicleTransferred':
    case 'TerminalRegistered':
    case 'TerminalRegistrationReset':
      return event.type;
    default: {
      const never: never = event;
      return (never as { type: string }).type;
    }
  }
}

interface VehicleAcc extends VehicleTimeline {
  applied: number;
}

/** Accumulates the report model while events are fed; `build` is called once at the end. */
export class ReportBuilder {
  private readonly vehicles = new Map<string, VehicleAcc>();
  private readonly waybillVehicle = new Map<string, string>();
  private readonly zones = new Map<string, ZoneSummary>();
  private readonly open = new Map<string, Violation>();
  readonly violations: Violation[] = [];
  readonly detections: DetectionEvent[] = [];
  readonly rejections: ReportRejection[] = [];
  readonly invalidEvents: InvalidEvent[] = [];
  positions = 0;
  zoneEvents = 0;
  consignmentEvents = 0;
  otherEvents = 0;

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
    for (const d of step.detections) this.detection(d);
  }

  private position(event: DgtEvent & { type: 'VehiclePositionReported' }, step: EngineStep): void {
    this.positions++;
    const v = this.vehicle(event.data.vehicleId);
    v.fixes++;
    if (step.ignored === 'late') return void v.late++;
    if (step.ignored === 'duplicate') return void v.duplicates++;
    v.firstFixAt ??= event.occurredAt;
    v.lastFixAt = event.occurredAt;
    if (v.applied % v.trackStride === 0) {
      v.track.push([event.data.lon, event.data.lat, ownCopy(event.occurredAt)]);
      if (v.track.length > 2 * TRACK_BUDGET) {
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
        const owner = this.ownerOf(event);
        if (owner !== null) this.vehicle(owner).entries.push({ at: event.occurredAt, kind: 'consignment', type: event.type, eventId: event.eventId, detail: describe(event) });
        return;
      }
      default:
        this.otherEvents++;
    }
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

  private detection(d: DetectionEvent): void {
    this.detections.push(d);
    const v = this.vehicle(d.data.vehicleId);
    v.entries.push({ at: d.occurredAt, kind: 'detection', type: d.type, eventId: d.eventId, detail: describe(d) });
    const evidence = (d.data as { evidence?: string[] }).evidence ?? [];
    switch (d.type) {
      case 'IllegalParkingStarted': {
        const row: Violation = {
          kind: 'illegal-parking', vehicleId: d.data.vehicleId, zoneId: null, waybillNo: d.data.waybillNo, carrierId: d.data.carrierId, laden: true,
          startedAt: d.occurredAt, endedAt: null, since: d.data.stoppedSince, lon: d.data.lon, lat: d.data.lat, speedKmh: null, durationS: null,
          detectionIds: [d.eventId], evidence: [...evidence],
        };
        this.violations.push(row);
        this.open.set(`P|${d.data.vehicleId}`, row);
        return;
      }
      case 'AccidentSegmentEntered': {
        const data = d.data as typeof d.data & { lon?: number; lat?: number };
        const row: Violation = {
          kind: 'accident-segment', vehicleId: d.data.vehicleId, zoneId: d.data.zoneId, waybillNo: d.data.waybillNo ?? null, carrierId: d.data.carrierId ?? null,
          laden: d.data.laden, startedAt: d.occurredAt, endedAt: null, since: d.occurredAt, lon: data.lon ?? null, lat: data.lat ?? null,
          speedKmh: d.data.speedKmh, durationS: null, detectionIds: [d.eventId], evidence: [...evidence],
        };
        this.violations.push(row);
        this.open.set(`S|${d.data.vehicleId}|${d.data.zoneId}`, row);
        return;
      }
      case 'IllegalParkingEnded':
      case 'AccidentSegmentExited': {
        const key = d.type === 'IllegalParkingEnded' ? `P|${d.data.vehicleId}` : `S|${d.data.vehicleId}|${d.data.zoneId}`;
        const row = this.open.get(key);
        if (row === undefined) return;
        this.open.delete(key);
        row.endedAt = d.occurredAt;
        row.durationS = d.type === 'IllegalParkingEnded' ? d.data.durationS : null;
        row.detectionIds.push(d.eventId);
        for (const e of evidence) if (!row.evidence.includes(e)) row.evidence.push(e);
        return;
      }
      default: {
        const never: never = d;
        throw new Error(`unknown detection ${(never as { type: string }).type}`);
      }
    }
  }

  timelines(): VehicleTimeline[] {
    const cap = Math.max(16, Math.floor(TRACK_TOTAL / Math.max(1, this.vehicles.size)));
    return [...this.vehicles.values()]
      .sort((a, b) => (a.vehicleId < b.vehicleId ? -1 : a.vehicleId > b.vehicleId ? 1 : 0))
      .map(({ applied: _applied, ...t }) => {
        let { track, trackStride } = t;
        for (; track.length > cap; trackStride *= 2) track = track.filter((_, i) => i % 2 === 0);
        return { ...t, track, trackStride };
      });
  }

  zoneSummaries(): ZoneSummary[] {
    return [...this.zones.values()].sort((a, b) => (a.zoneId < b.zoneId ? -1 : a.zoneId > b.zoneId ? 1 : 0));
  }
}

export type { TimelineEntry };
