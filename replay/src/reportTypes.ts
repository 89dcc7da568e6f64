import type { DetectionCategory, DetectionConfig, DetectionKind, Occurrence } from '@dgt/detection';
import type { DetectionEvent, EvidenceDigest, FieldIssue } from '@dgt/events';
import type { ResolvedSelection } from './resolved.ts';
import type { Selection } from './selection.ts';

/** 2: violations and advisories apart (the catalogue of issue 15), lead-in before `from`. */
export const REPORT_FORMAT = 'dgt-replay-report/2';

/**
 * One row of the violations or the advisories table: an opening detection in the window paired
 * with its closing one (found in the window or its lead-out) — built by `@dgt/detection`'s
 * occurrences, as the live desk's rows are, so `id`, `kind`, `startedAt` and `endedAt` match
 * `GET /v1/violations?from&to` field for field. `endedAt: null`: still open at the lead-out's end.
 */
export type Violation = Occurrence;
export type Advisory = Occurrence;

export interface ReportRejection {
  eventId: string;
  type: string;
  occurredAt: string;
  code: string;
  reason: string;
  position: string | null;
}

export interface InvalidEvent {
  eventId: string | null;
  type: string | null;
  position: string | null;
  issues: FieldIssue[];
}

export interface TimelineEntry {
  at: string;
  kind: 'consignment' | 'detection' | 'rejection';
  type: string;
  eventId: string;
  detail: string;
}

export interface VehicleTimeline {
  vehicleId: string;
  /** As registered (VehicleRegistered); null when the register has no such vehicle. */
  plateNo: string | null;
  /** The registered owner at the window's end; null when unregistered. */
  registeredCarrierId: string | null;
  fixes: number;
  late: number;
  duplicates: number;
  firstFixAt: string | null;
  lastFixAt: string | null;
  entries: TimelineEntry[];
  /** [lon, lat, occurredAt] of every n-th fix (n doubles as the track grows), for the map. */
  track: [number, number, string][];
  trackStride: number;
}

/** A carrier named anywhere in the report (waybill, occurrence, registered owner), with its registered name. */
export interface CarrierSummary {
  carrierId: string;
  /** As registered (CarrierRegistered); null when the register has no such carrier. */
  name: string | null;
  licenceNo: string | null;
}

export interface GoodsLine {
  unNumber: string;
  name: string;
  /** GB 6944 class or division. */
  hazardClass: string;
  quantityKg: number;
}

/**
 * A waybill fed to the replay, as its consignment events state it: goods, the parties of its
 * (latest) assignment. The record holds driver and escort by id only (no register of persons).
 */
export interface WaybillSummary {
  waybillNo: string;
  consignorId: string | null;
  origin: string | null;
  destination: string | null;
  goods: GoodsLine[];
  carrierId: string | null;
  vehicleId: string | null;
  driverId: string | null;
  escortId: string | null;
  /** The last consignment step fed: declared, assigned, loaded, unloaded, closed or cancelled. */
  status: 'declared' | 'assigned' | 'loaded' | 'unloaded' | 'closed' | 'cancelled';
}

export interface ZoneVersionSummary {
  from: string;
  to: string | null;
  datum: string;
  /** WGS-84 (GCJ-02 geometry converted). */
  polygon: [number, number][] | null;
  path: [number, number][] | null;
  bufferM: number | null;
}

export interface ZoneSummary {
  zoneId: string;
  kind: string;
  name: string;
  versions: ZoneVersionSummary[];
}

export interface AsOfVehicle {
  vehicleId: string;
  lastFix: { eventId: string; occurredAt: string; lon: number; lat: number; speedKmh: number } | null;
  laden: boolean;
  waybillNo: string | null;
  carrierId: string | null;
  stoppedSince: string | null;
  /** What was open at that instant, as the catalogue pairs the detections up to it. */
  openViolations: OpenAtInstant[];
  openAdvisories: OpenAtInstant[];
}

export interface OpenAtInstant {
  id: string;
  kind: DetectionKind;
  startedAt: string;
  since: string;
  zoneId: string | null;
}

export interface AsOfSection {
  at: string;
  vehicles: AsOfVehicle[];
}

/** Relative to the live record: `missing` = recomputed but not recorded live; `extra` = recorded live but not recomputed. */
export type DifferenceKind = 'missing' | 'extra' | 'different-time' | 'different-data';

export interface VerifyDifference {
  kind: DifferenceKind;
  type: string;
  /** What the catalogue makes of the detection: a violation's or an advisory's, and which kind. */
  category: DetectionCategory;
  occurrenceKind: DetectionKind;
  vehicleId: string;
  zoneId: string | null;
  liveEventId: string | null;
  replayEventId: string | null;
  liveAt: string | null;
  replayAt: string | null;
  /** For `different-data`: the `data` fields whose values differ. */
  fields: string[];
}

export interface VerifyTally {
  live: number;
  replayed: number;
  matched: number;
  differences: number;
}

export interface VerifySection {
  live: number;
  replayed: number;
  matched: number;
  /** The same, for the detections of violations and of advisories apart. */
  byCategory: Record<DetectionCategory, VerifyTally>;
  differences: VerifyDifference[];
}

export interface ReportCounts {
  events: number;
  /** Fixes in the window. */
  positions: number;
  zoneEvents: number;
  consignmentEvents: number;
  otherEvents: number;
  invalid: number;
  rejected: number;
  late: number;
  duplicates: number;
  /** Fixes fed before `from` (the lead-in): they set the state at `from`; nothing of theirs is reported. */
  leadInPositions: number;
  /** Fixes fed from `to` on (the lead-out): they end what was open at `to`; nothing else of theirs is reported. */
  leadOutPositions: number;
  detections: number;
  detectionsByType: Record<string, number>;
  violations: number;
  violationsByKind: Record<string, number>;
  advisories: number;
  advisoriesByKind: Record<string, number>;
  vehicles: number;
}

/** The machine-readable report: a pure function of the events fed and the options. */
export interface ReplayReport {
  format: typeof REPORT_FORMAT;
  selection: { requested: Selection; resolved: ResolvedSelection; vehiclesWithoutFixes: string[] };
  thresholds: DetectionConfig;
  digest: EvidenceDigest;
  matchedNothing: boolean;
  message: string;
  counts: ReportCounts;
  /** Violations that started in the window (illegal parking, restricted entries, overspeed), in the order they opened, ended as far as the lead-out shows. */
  violations: Violation[];
  /** Advisories that started in the window (segment passages): shown, never violations. */
  advisories: Advisory[];
  /** Detections of the window (not of the lead-in), in the order they were emitted. */
  detections: DetectionEvent[];
  rejections: ReportRejection[];
  invalidEvents: InvalidEvent[];
  vehicles: VehicleTimeline[];
  /** Every carrier the report names, sorted by id, with its registered name. */
  carriers: CarrierSummary[];
  /** Every waybill fed (its consignment events), sorted by number: goods, carrier, vehicle, driver and escort. */
  waybills: WaybillSummary[];
  zones: ZoneSummary[];
  asOf: AsOfSection | null;
  verify: VerifySection | null;
}
