import type { DetectionConfig } from '@dgt/detection';
import type { DetectionEvent, EvidenceDigest, FieldIssue } from '@dgt/events';
import type { ResolvedSelection } from './resolved.ts';
import type { Selection } from './selection.ts';

export const REPORT_FORMAT = 'dgt-replay-report/1';

/** One row of the violations table: a start detection paired with its end, when there is one. */
export interface Violation {
  kind: 'illegal-parking' | 'accident-segment';
  vehicleId: string;
  zoneId: string | null;
  waybillNo: string | null;
  carrierId: string | null;
  laden: boolean;
  startedAt: string;
  endedAt: string | null;
  /** Illegal parking: the stop's first fix; accident segment: the fix that entered. */
  since: string;
  lon: number | null;
  lat: number | null;
  speedKmh: number | null;
  durationS: number | null;
  detectionIds: string[];
  evidence: string[];
}

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
  openViolations: { kind: 'illegal-parking' | 'accident-segment'; since: string | null; zoneId: string | null }[];
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
  vehicleId: string;
  zoneId: string | null;
  liveEventId: string | null;
  replayEventId: string | null;
  liveAt: string | null;
  replayAt: string | null;
  /** For `different-data`: the `data` fields whose values differ. */
  fields: string[];
}

export interface VerifySection {
  live: number;
  replayed: number;
  matched: number;
  differences: VerifyDifference[];
}

export interface ReportCounts {
  events: number;
  positions: number;
  zoneEvents: number;
  consignmentEvents: number;
  otherEvents: number;
  invalid: number;
  rejected: number;
  late: number;
  duplicates: number;
  detections: number;
  detectionsByType: Record<string, number>;
  violations: number;
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
  violations: Violation[];
  detections: DetectionEvent[];
  rejections: ReportRejection[];
  invalidEvents: InvalidEvent[];
  vehicles: VehicleTimeline[];
  zones: ZoneSummary[];
  asOf: AsOfSection | null;
  verify: VerifySection | null;
}
