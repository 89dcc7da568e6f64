import { advisoryKinds, detectionKinds, violationKinds } from '@dgt/detection';
import { detectionEventTypes, restrictedEntryRules, zoneKinds } from '@dgt/events';
import { z } from 'zod';

/*
 * The read models as the API serves them. These zod schemas are the API's response schemas too:
 * a field not listed here never leaves the server. What is a violation and what an advisory is
 * the catalogue's (`@dgt/detection` violations.ts): the kinds here are its kinds.
 */

export const zoneKindView = z.enum(zoneKinds);

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

export const violationKind = z.enum(violationKinds);
export const advisoryKind = z.enum(advisoryKinds);
export const occurrenceKind = z.enum(detectionKinds);
export const detectionCategory = z.enum(['violation', 'advisory']);
export const severity = z.enum(['low', 'medium', 'high']);
export const occurrenceStatus = z.enum(['open', 'closed']);

export const openViolationRef = z.object({ violationId: z.string(), kind: violationKind, startedAt: z.string() });

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
 * What violations and advisories share: one occurrence as the catalogue pairs it (opening
 * detection, then its closing one), with the fields of every kind (null where a kind has none).
 */
const occurrenceFields = {
  severity,
  status: occurrenceStatus,
  vehicleId: z.string(),
  plateNo: z.string().nullable(),
  /**
   * Who may see it: the owner of the vehicle when it started (kept so by the store whenever the
   * register changes); for an unregistered vehicle, the waybill's carrier or the assigned one.
   */
  carrierId: z.string().nullable(),
  waybillNo: z.string().nullable(),
  laden: z.boolean(),
  /** The zone entered (segment, restricted area) or whose speed limit was broken; null for parking and the general limit. */
  zoneId: z.string().nullable(),
  zoneName: z.string().nullable(),
  /** Restricted entries: the ban broken (`laden-banned` wins over `banned-hours`). */
  rule: z.enum(restrictedEntryRules).nullable(),
  /** The opening detection's time: lists filter and sort on it. */
  startedAt: z.string(),
  /** When the breach began: the stop's first fix (illegal parking), the run's first fix (overspeed); else startedAt. */
  since: z.string(),
  endedAt: z.string().nullable(),
  durationS: z.number().nullable(),
  /** The detection's position (a stop's anchor), else the fix that raised it. */
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  speedKmh: z.number().nullable(),
  /** Overspeed: the limit in force; `maxSpeedKmh` once the run ended. */
  limitKmh: z.number().nullable(),
  maxSpeedKmh: z.number().nullable(),
  /** Entry or exit timed between two fixes (a short tunnel or bridge passed with no fix inside). */
  interpolated: z.boolean(),
  /** Event ids of the fixes and waybill events the detections cite, opening then closing. */
  evidence: z.array(z.string()),
  /** Detection event ids (opening, and closing once closed), as recorded in `detections-<vehicleId>`. */
  detectionEventIds: z.array(z.string()),
};

/** A violation (违法违规): illegal parking, a restricted entry, overspeed — never a segment passage. */
export const violationView = z.object({
  /** The eventId of the detection that opened it. */
  violationId: z.string(),
  kind: violationKind,
  ...occurrenceFields,
});

/** An advisory: exposure worth recording and showing (a laden or empty segment passage), never a violation. */
export const advisoryView = z.object({
  /** The eventId of the detection that opened it. */
  advisoryId: z.string(),
  kind: advisoryKind,
  ...occurrenceFields,
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

/** A zone's rules, every field present: no limit = null, no ban = false / empty. */
export const zoneRulesView = z.object({
  speedLimitKmh: z.number().nullable(),
  ladenBanned: z.boolean(),
  /** Beijing time `HH:MM`, `to` exclusive; a window whose `to` is before its `from` wraps past midnight. */
  bannedHours: z.array(z.object({ from: z.string(), to: z.string() })),
  /** The bans apply to vehicles laden with these classes only; null = every class. */
  hazardClasses: z.array(z.string()).nullable(),
});

/** A zone as drawn on the map: WGS-84 geometry, whatever datum it was declared in. */
export const zoneView = z.object({
  zoneId: z.string(),
  kind: zoneKindView,
  name: z.string(),
  declaredDatum: z.enum(['WGS84', 'GCJ02']),
  /** [lon, lat] WGS-84 ring for lots, parks and restricted areas. */
  polygon: z.array(z.tuple([z.number(), z.number()])).nullable(),
  /** [lon, lat] WGS-84 centre line for accident-prone segments. */
  path: z.array(z.tuple([z.number(), z.number()])).nullable(),
  bufferM: z.number().nullable(),
  /** Segments, restricted areas and chemical parks may carry rules (speed limit, bans). */
  rules: zoneRulesView.nullable(),
  /** Vehicles a dedicated lot holds. */
  capacity: z.number().nullable(),
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

/** What `dg.alerts` carries and `GET /v1/alerts/stream` sends: one per detection, classified by the catalogue. */
export const alertView = z.object({
  /** The detection's eventId: consumers de-duplicate on it. */
  alertId: z.string(),
  type: z.enum(detectionEventTypes),
  /** A violation's opening or closing, or an advisory's (a segment passage): never counted as a violation. */
  category: detectionCategory,
  kind: occurrenceKind,
  severity,
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
export type ViolationKind = z.infer<typeof violationKind>;
export type AdvisoryKind = z.infer<typeof advisoryKind>;
export type OccurrenceKind = z.infer<typeof occurrenceKind>;
export type DetectionCategory = z.infer<typeof detectionCategory>;
export type FleetVehicle = z.infer<typeof fleetVehicle>;
export type ViolationView = z.infer<typeof violationView>;
export type AdvisoryView = z.infer<typeof advisoryView>;
/** A violation or an advisory row: the store keeps both the same way. */
export type OccurrenceView = ViolationView | AdvisoryView;
export type ZoneRulesView = z.infer<typeof zoneRulesView>;
export type ConsignmentView = z.infer<typeof consignmentView>;
export type CarrierView = z.infer<typeof carrierView>;
export type ZoneView = z.infer<typeof zoneView>;
export type AlertView = z.infer<typeof alertView>;
export type OwnershipPeriod = z.infer<typeof ownershipPeriod>;
export type VehicleRegistration = z.infer<typeof vehicleRegistration>;
