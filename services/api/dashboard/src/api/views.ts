/*
 * Response shapes: the read-model views are the API's response schemas (libs/readmodels), so the
 * page imports their types (type-only: nothing of zod reaches the bundle).
 */
import type { FixView } from '@dgt/readmodels';

import type { AdvisoryView as AdvisoryRow, FleetVehicle as FleetRow, ViolationView as ViolationRow } from '@dgt/readmodels';
import type { PlaceView } from '../../../src/placeNames.ts';

export type {
  AdvisoryKind,
  AlertView,
  ConsignmentView,
  DetectionCategory,
  GoodsView,
  OccurrenceKind,
  ViolationKind,
  ZoneRulesView,
  ZoneView,
} from '@dgt/readmodels';
export type { PlaceView };

/** Where it is in words (county, nearest road): the API adds it to occurrences and to a vehicle's own row, not to fleet lists. */
interface Placed {
  readonly place?: PlaceView | null;
}
export type ViolationView = ViolationRow & Placed;
export type AdvisoryView = AdvisoryRow & Placed;
export type FleetVehicle = FleetRow & Placed;

/** GET /v1/platform-links (services/api/src/platformLinks/linkStatus.ts; zod-free types). */
export type { LinkGatewayView, LinkStatus, PlatformLinksView } from '../../../src/platformLinks/linkStatus.ts';

/*
 * Cases and points (services/api/src/cases/caseViews.ts, routes/cases.ts, points.ts, attachments.ts):
 * the routes' response schemas, as types only (`import type` is erased: no zod in the bundle).
 */
import type { CaseView as CaseViewOf, LedgerView as LedgerViewOf, caseDetail, caseHistoryRow } from '../../../src/cases/caseViews.ts';
import type { storedAttachment } from '../../../src/routes/attachments.ts';
import type { CarrierComplianceView } from '../../../src/cases/pointsStanding.ts';
import type { z } from 'zod';

export type CaseView = CaseViewOf;
export type CaseStatus = CaseView['status'];
export type CaseDetail = z.infer<typeof caseDetail>;
export type CaseHistoryRow = z.infer<typeof caseHistoryRow>;
export type LedgerView = LedgerViewOf;
export type Standing = LedgerView['standing'];
export type LedgerRowType = LedgerView['history'][number]['type'];
export type CorrectiveAction = LedgerView['actions'][number]['action'];
export type StoredAttachment = z.infer<typeof storedAttachment>;

/** A file a decision cites (as POST /v1/attachments answered, with the uploader's name). */
export interface AttachmentRef {
  readonly sha256: string;
  readonly name: string;
  readonly type: string;
  readonly size: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export type TrackPoint = FixView;

/** GET /v1/vehicles/:id/track (services/api/src/routes/vehicles.ts). */
export interface TrackView {
  readonly vehicleId: string;
  readonly from: string;
  readonly to: string;
  readonly points: readonly TrackPoint[];
  /** More fixes in the window than the limit: the track shows the first ones. */
  readonly truncated: boolean;
}

/** GET /v1/carriers/:id/compliance: the read models' verdict and the points standing beside it (services/api/src/cases/pointsStanding.ts). */
export type ComplianceView = CarrierComplianceView;

/** GET /dashboard-session.json: who the key is (services/api/src/routes/dashboard.ts). */
export interface WhoAmI {
  readonly keyId: string;
  readonly role: string;
  readonly carrierId: string | null;
  /** The key may read the /v1 query routes (bureau, enforcement, carrier). */
  readonly canRead: boolean;
}

/** Road outline for the plain background, from /dashboard-config.json. */
export interface RoadLine {
  readonly name: string;
  readonly path: readonly (readonly [number, number])[];
}

/** A labelled place of the seed world (a plant, a lot, a park), from /dashboard-config.json. */
export interface MapPlace {
  readonly name: string;
  readonly nameZh: string | null;
  readonly kind: string | null;
  readonly lon: number;
  readonly lat: number;
}

/** A county-level division (行政区划), as /map/counties.json names it. */
export interface CountyName {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
}

export interface DashboardConfig {
  readonly tileUrl: string | null;
  readonly tileAttribution?: string | null;
  /** The tiles' datum: GCJ-02 tile services are shifted against the WGS-84 data (map/tileDatum.ts). */
  readonly tileDatum?: 'wgs84' | 'gcj02';
  readonly roads?: readonly RoadLine[];
  readonly places?: readonly MapPlace[];
  /** Whether /map/counties.json has boundaries to draw. */
  readonly counties?: boolean;
  /** Whether the API mints safety codes (a vehicle's code is asked only then). */
  readonly safetyCodes?: boolean;
}

/** An alert a duty officer took in hand (GET /v1/alerts/acknowledgements). */
export interface AcknowledgementView {
  readonly alertId: string;
  readonly vehicleId: string;
  readonly note: string;
  readonly by: { readonly principal: string; readonly role: string };
  readonly at: string;
}

/** A message to a driver and where it stands (GET /v1/vehicles/:id/messages; services/api/src/driverMessages/messageStatus.ts). */
export type { DriverMessageView } from '../../../src/driverMessages/messageStatus.ts';

/*
 * Planning (GET /v1/planning/*, issue #19): the JSON is exactly @dgt/planning's tables
 * (libs/planning/src/tables.ts). The desk's bundle does not import that library, so its shapes
 * are written out here; tests/dashboard/planning.e2e.test.ts checks at compile time that they stay
 * the same as the library's.
 */

/** `long`: a laden stop outside every lot lasting the illegal-parking threshold or more; `short`: shorter (at least 2 min). */
export type StopKind = 'long' | 'short';
export type LonLat = readonly [number, number];

export interface LotHour {
  readonly hour: number;
  readonly meanVehicles: number;
  readonly meanLaden: number;
  readonly peak: number;
  readonly observedH: number;
}

export interface DwellClass {
  readonly fromS: number;
  /** Null for the open-ended class. */
  readonly toS: number | null;
  readonly visits: number;
}

export interface LotOccupancy {
  readonly lotId: string;
  readonly name: string;
  readonly capacity: number | null;
  readonly withdrawn: boolean;
  readonly current: { readonly laden: number; readonly empty: number; readonly total: number };
  readonly utilisation: number | null;
  readonly peak: number;
  readonly meanVehicles: number;
  readonly hours: readonly LotHour[];
  readonly hoursAtOrOverCapacity: number | null;
  readonly visits: number;
  readonly meanDwellMin: number | null;
  readonly dwell: readonly DwellClass[];
}

export interface NearestLot {
  readonly lotId: string;
  readonly name: string;
  readonly distanceM: number;
}

export interface DemandCell {
  readonly cell: string;
  readonly res: number;
  readonly kind: StopKind;
  readonly centre: LonLat;
  readonly stops: number;
  readonly vehicles: number;
  readonly vehicleHours: number;
  readonly classes: readonly { readonly hazardClass: string; readonly stops: number }[];
  readonly nearestLot: NearestLot | null;
  readonly firstStopMs: number;
  readonly lastStopMs: number;
}

export interface CandidateArea {
  readonly rank: number;
  readonly cells: readonly string[];
  readonly centre: LonLat;
  readonly stops: number;
  readonly vehicles: number;
  readonly vehicleHours: number;
  readonly vehicleHoursPerWeek: number;
  readonly classes: readonly { readonly hazardClass: string; readonly stops: number }[];
  readonly nearestLot: NearestLot | null;
}

export interface SpeedDistribution {
  readonly fixes: number;
  readonly p50: number;
  readonly p85: number;
  readonly p95: number;
}

export interface SegmentExposure {
  readonly segmentId: string;
  readonly name: string;
  readonly withdrawn: boolean;
  readonly ladenPassages: number;
  readonly emptyPassages: number;
  readonly ladenPerDay: number;
  readonly byDay: readonly { readonly date: string; readonly passages: number }[];
  readonly byHour: readonly number[];
  readonly byWeek: readonly { readonly week: string; readonly passages: number }[];
  readonly byClass: readonly { readonly hazardClass: string; readonly passages: number }[];
  readonly byCarrier: readonly { readonly carrierId: string; readonly passages: number }[];
  readonly speed: SpeedDistribution | null;
  readonly bannedHourEntries: number;
  readonly ladenBannedEntries: number;
}

/** GET /v1/planning/lots: `asOf` is the projection's clock (the latest fix recorded). */
export interface PlanningLotsView {
  readonly asOf: string | null;
  readonly lots: readonly LotOccupancy[];
}

/** GET /v1/planning/demand?kind=&res=. */
export interface PlanningDemandView {
  readonly kind: StopKind;
  readonly res: number;
  readonly weeks: number;
  readonly cells: readonly DemandCell[];
}

/** GET /v1/planning/candidates?res=&minDistanceM=&limit=. */
export interface PlanningCandidatesView {
  readonly res: number;
  readonly weeks: number;
  readonly minDistanceM: number;
  readonly candidates: readonly CandidateArea[];
}

/** GET /v1/planning/segments. */
export interface PlanningSegmentsView {
  readonly segments: readonly SegmentExposure[];
}

/** GET /v1/planning/demand.geojson: a hexagon per cell with the cell's figures (libs/planning/src/exports.ts). */
export interface DemandFeatureCollection {
  readonly type: 'FeatureCollection';
  readonly features: readonly {
    readonly type: 'Feature';
    readonly id: string;
    readonly geometry: { readonly type: 'Polygon'; readonly coordinates: readonly (readonly LonLat[])[] };
    readonly properties: {
      readonly cell: string;
      readonly res: number;
      readonly kind: StopKind;
      readonly stops: number;
      readonly vehicles: number;
      readonly vehicleHours: number;
      readonly hazardClasses: string;
      readonly nearestLotId: string | null;
      readonly nearestLotM: number | null;
    };
  }[];
}
