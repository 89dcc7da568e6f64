import type { AdvisoryKind, AdvisoryView, AlertView, CarrierView, ConsignmentView, FleetVehicle, VehicleRegistration, ViolationKind, ViolationView, ZoneView } from './views.ts';
import type { ReadModelStatistics, StatisticsQuery } from './statistics.ts';

/*
 * The read-model store port. The projector is its only writer (`commit`); the API reads it.
 * Adapters: memory (unit tests, in-process demo) and SQLite (embedded default; the API may open
 * the projector's file from another process). One contract suite pins both down.
 */

/** Restricts a query to what a caller may see: a carrier key sees only its own rows. */
export interface Scope {
  /** `null` = everything (bureau, enforcement). */
  readonly carrierId: string | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back as `cursor` for the next page; `null` on the last page. */
  readonly nextCursor: string | null;
}

export interface BoundingBox {
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
}

export interface FleetQuery {
  readonly scope: Scope;
  /** Only this carrier's vehicles (intersected with the scope). */
  readonly carrierId?: string;
  readonly laden?: boolean;
  /** Only vehicles with (true) / without (false) an open violation. */
  readonly inViolation?: boolean;
  /** Last fix inside the box (edges inclusive). Vehicles without a fix never match. */
  readonly bbox?: BoundingBox;
  /** Ordered by vehicleId; the cursor is opaque. */
  readonly cursor?: string;
  readonly limit: number;
}

/** A listing of violations or advisories: the same filters, order and paging for both. */
export interface OccurrenceQuery<K extends string> {
  readonly scope: Scope;
  readonly kind?: K;
  readonly status?: 'open' | 'closed';
  /** `startedAt` at or after (inclusive), ISO-8601. */
  readonly from?: string;
  /** `startedAt` strictly before (exclusive), ISO-8601. */
  readonly to?: string;
  readonly carrierId?: string;
  readonly vehicleId?: string;
  /** Newest first (`startedAt` desc, then id); the cursor is opaque. */
  readonly cursor?: string;
  readonly limit: number;
}

export type ViolationQuery = OccurrenceQuery<ViolationKind>;
export type AdvisoryQuery = OccurrenceQuery<AdvisoryKind>;

/**
 * A planning aggregate (issue 19: lot occupancy, parking-demand cells, segment exposure; see
 * @dgt/planning): whole, as JSON. The store keeps them by kind and key and never reads inside.
 */
export interface PlanningRow {
  readonly kind: 'lot' | 'cell' | 'segment' | 'meta';
  readonly key: string;
  readonly data: string;
}

/** Sizes for the `dgt_readmodel_rows` gauge. */
export interface ReadModelSizes {
  readonly vehicles: number;
  readonly violations: number;
  readonly openViolations: number;
  readonly advisories: number;
  readonly openAdvisories: number;
  readonly consignments: number;
  readonly carriers: number;
  readonly zones: number;
}

/**
 * Everything one projector batch changes, written atomically with its checkpoint, so a crash
 * leaves the read models exactly at some checkpoint. Rows are whole (upserts), never deltas,
 * so re-applying a batch after a crash is harmless.
 */
export interface ReadModelBatch {
  /** Store position of the last event the batch covers (opaque string). */
  readonly checkpoint: string;
  readonly vehicles: readonly FleetVehicle[];
  readonly violations: readonly ViolationView[];
  /** Segment passages and other advisories (never violations); absent = none. Owned like violations. */
  readonly advisories?: readonly AdvisoryView[];
  readonly consignments: readonly ConsignmentView[];
  readonly carriers: readonly CarrierView[];
  /** Zones now active (upsert) and withdrawn (removed). */
  readonly zones: readonly ZoneView[];
  readonly withdrawnZoneIds: readonly string[];
  /**
   * Register entries (plate, ownership periods) of vehicles whose registration or transfers
   * changed: whole upserts. The store then re-owns every violation and advisory of those vehicles
   * (its `carrierId` becomes the owner when it started; see `ownedOccurrence`), and applies the
   * same rule to every one it upserts for a registered vehicle. Absent = none changed.
   */
  readonly registrations?: readonly VehicleRegistration[];
  /** Vehicles no longer registered (their register entry is removed; their violations and advisories keep their carrier). */
  readonly unregisteredVehicleIds?: readonly string[];
  /** Planning aggregates changed by the batch (whole upserts); absent = none. */
  readonly planning?: readonly PlanningRow[];
  /**
   * Opaque projector state (the detection engine's, per key) saved with the checkpoint, so a
   * restart resumes without re-reading history. `null` value deletes the key.
   */
  readonly engineState: ReadonlyMap<string, string | null>;
}

export interface ReadModelStore {
  // --- projector side
  /** The checkpoint of the last committed batch; `null` before the first. */
  checkpoint(): Promise<string | null>;
  commit(batch: ReadModelBatch): Promise<void>;
  /** All saved engine state, for a restart. */
  engineState(): Promise<ReadonlyMap<string, string>>;
  /** Drops every row and the checkpoint (`dgt projector --rebuild`). */
  reset(): Promise<void>;

  // --- query side (every query applies its scope)
  fleet(query: FleetQuery): Promise<Page<FleetVehicle>>;
  vehicle(vehicleId: string, scope: Scope): Promise<FleetVehicle | undefined>;
  violations(query: ViolationQuery): Promise<Page<ViolationView>>;
  advisories(query: AdvisoryQuery): Promise<Page<AdvisoryView>>;
  /** The statistics page's aggregates over a window of start times (Beijing days and hours; see statistics.ts). */
  statistics(query: StatisticsQuery): Promise<ReadModelStatistics>;
  /** A carrier sees it only if assigned to it and owning the vehicle at assignment (`consignmentVisibleTo`). */
  consignment(waybillNo: string, scope: Scope): Promise<ConsignmentView | undefined>;
  carrier(carrierId: string, scope: Scope): Promise<CarrierView | undefined>;
  zones(): Promise<readonly ZoneView[]>;
  /**
   * The register entry of a vehicle (undefined: never registered). Unscoped: for the API's
   * track route and the ingest gateway's checks, which apply the ownership rules themselves.
   */
  registration(vehicleId: string): Promise<VehicleRegistration | undefined>;
  /** The registered vehicle whose plate has this `plateKey` (the register keeps plates unique). Unscoped. */
  registrationByPlate(plateKey: string): Promise<VehicleRegistration | undefined>;
  /**
   * The whole register, by vehicleId. Unscoped: for gateways that check every fix synchronously
   * against a copy they refresh when `generation` changes (the JT/T 809 gateway's live register).
   */
  registrations(): Promise<readonly VehicleRegistration[]>;
  /** Every planning aggregate, ordered by kind then key (the API derives its tables from them). */
  planningRows(): Promise<readonly PlanningRow[]>;
  sizes(): Promise<ReadModelSizes>;
  /**
   * Changes whenever a commit lands (from any process for SQLite): lets the API cache
   * responses until the projector writes again.
   */
  generation(): Promise<number>;
  close(): Promise<void>;
}

export type { AlertView };
