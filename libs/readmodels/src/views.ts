import { z } from 'zod';

/*
 * The read models as the API serves them. These zod schemas are the API's response schemas too:
 * a field not listed here never leaves the server.
 */

export const zoneKindView = z.enum(['parking-lot', 'accident-segment', 'chemical-park']);

export const zoneRef = z.object({ zoneId: z.string(), kind: zoneKindView, name: z.string() });

export const goodsView = z.object({ unNumber: z.string(), name: z.string(), hazardClass: z.string(), quantityKg: z.number() });

export const fixView = z.object({
  eventId: z.string(),
  occurredAt: z.string(),
  lon: z.number(),
  lat: z.number(),
  speedKmh: z.number(),
  headingDeg: z.number().nullable(),
});

export const violationTypes = ['illegal-parking', 'accident-segment'] as const;
export const violationType = z.enum(violationTypes);
export const violationStatus = z.enum(['open', 'closed']);

export const openViolationRef = z.object({ violationId: z.string(), type: violationType, startedAt: z.string() });

/**
 * One row of the live fleet, as its current owner may see it: nothing from before the owner's
 * period (a last fix, a waybill or an open violation of the previous owner) is in it.
 */
export const fleetVehicle = z.object({
  vehicleId: z.string(),
  plateNo: z.string().nullable(),
  /** The current registered owner; before registration, the carrier of its latest assignment. */
  carrierId: z.string().nullable(),
  lastFix: fixView.nullable(),
  laden: z.boolean(),
  waybillNo: z.string().nullable(),
  goods: z.array(goodsView),
  /** Every zone (lot, park, segment) the last fix is in. */
  zones: z.array(zoneRef),
  stoppedSince: z.string().nullable(),
  openViolations: z.array(openViolationRef),
});

/**
 * A violation: illegal parking (laden, stopped outside every lot), or a laden entry into an
 * accident-prone segment. Empty passages are detections and alerts, not violations.
 */
export const violationView = z.object({
  /** The eventId of the detection that opened it. */
  violationId: z.string(),
  type: violationType,
  status: violationStatus,
  vehicleId: z.string(),
  plateNo: z.string().nullable(),
  /**
   * Who may see it: the owner of the vehicle when it started (kept so by the store whenever the
   * register changes); for an unregistered vehicle, the waybill's carrier or the assigned one.
   */
  carrierId: z.string().nullable(),
  waybillNo: z.string().nullable(),
  zoneId: z.string().nullable(),
  zoneName: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationS: z.number().nullable(),
  lon: z.number(),
  lat: z.number(),
  speedKmh: z.number().nullable(),
  /** Event ids of the fixes and waybill events the detections cite, opening then closing. */
  evidence: z.array(z.string()),
  /** Detection event ids (opening, and closing once closed), as recorded in `detections-<vehicleId>`. */
  detectionEventIds: z.array(z.string()),
});

export const consignmentStatus = z.enum(['declared', 'assigned', 'loaded', 'unloaded', 'closed', 'cancelled']);

export const consignmentView = z.object({
  waybillNo: z.string(),
  status: consignmentStatus,
  consignorId: z.string(),
  carrierId: z.string().nullable(),
  vehicleId: z.string().nullable(),
  plateNo: z.string().nullable(),
  driverId: z.string().nullable(),
  escortId: z.string().nullable(),
  goods: z.array(goodsView),
  origin: z.object({ name: z.string(), lon: z.number(), lat: z.number() }),
  destination: z.object({ name: z.string(), lon: z.number(), lat: z.number() }),
  /** occurredAt of each lifecycle step reached. */
  timeline: z.object({
    declared: z.string().nullable(),
    assigned: z.string().nullable(),
    loaded: z.string().nullable(),
    unloaded: z.string().nullable(),
    closed: z.string().nullable(),
    cancelled: z.string().nullable(),
  }),
});

export const carrierView = z.object({
  carrierId: z.string(),
  name: z.string().nullable(),
  vehicles: z.number().int(),
});

/** A zone as drawn on the map: WGS-84 geometry, whatever datum it was declared in. */
export const zoneView = z.object({
  zoneId: z.string(),
  kind: zoneKindView,
  name: z.string(),
  declaredDatum: z.enum(['WGS84', 'GCJ02']),
  /** [lon, lat] WGS-84 ring for lots and parks. */
  polygon: z.array(z.tuple([z.number(), z.number()])).nullable(),
  /** [lon, lat] WGS-84 centre line for accident-prone segments. */
  path: z.array(z.tuple([z.number(), z.number()])).nullable(),
  bufferM: z.number().nullable(),
  designatedAt: z.string(),
});

/**
 * One owner of a vehicle over [from, to). The first registration owns from the beginning of the
 * record (`from: null`); the current owner's period is open (`to: null`). ISO-8601 instants.
 */
export const ownershipPeriod = z.object({ carrierId: z.string(), from: z.string().nullable(), to: z.string().nullable() });

/**
 * A registered vehicle as the register has it (VehicleRegistered, VehicleTransferred): its plate
 * and who owned it when. Decides what a carrier sees of the vehicle's track, violations and
 * consignments; never served to carriers as such.
 */
export const vehicleRegistration = z.object({
  vehicleId: z.string(),
  plateNo: z.string(),
  /** The plate's one spelling (`plateKey` of @dgt/events): uniqueness is checked on it. */
  plateKey: z.string(),
  /** Oldest first, back to back, covering all time: the first has `from: null`, the last `to: null`. */
  periods: z.array(ownershipPeriod).min(1),
});

/** What `dg.alerts` carries and `GET /v1/alerts/stream` sends: one per detection. */
export const alertView = z.object({
  /** The detection's eventId: consumers de-duplicate on it. */
  alertId: z.string(),
  type: z.enum(['IllegalParkingStarted', 'IllegalParkingEnded', 'AccidentSegmentEntered', 'AccidentSegmentExited']),
  occurredAt: z.string(),
  vehicleId: z.string(),
  plateNo: z.string().nullable(),
  carrierId: z.string().nullable(),
  waybillNo: z.string().nullable(),
  zoneId: z.string().nullable(),
  zoneName: z.string().nullable(),
  laden: z.boolean(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  /** One readable line for the alert feed. */
  message: z.string(),
});

export type ZoneRef = z.infer<typeof zoneRef>;
export type GoodsView = z.infer<typeof goodsView>;
export type FixView = z.infer<typeof fixView>;
export type ViolationType = z.infer<typeof violationType>;
export type FleetVehicle = z.infer<typeof fleetVehicle>;
export type ViolationView = z.infer<typeof violationView>;
export type ConsignmentView = z.infer<typeof consignmentView>;
export type CarrierView = z.infer<typeof carrierView>;
export type ZoneView = z.infer<typeof zoneView>;
export type AlertView = z.infer<typeof alertView>;
export type OwnershipPeriod = z.infer<typeof ownershipPeriod>;
export type VehicleRegistration = z.infer<typeof vehicleRegistration>;
