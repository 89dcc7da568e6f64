import { z } from 'zod';
import { eventId, identifier, latitude, longitude, timestamp } from './primitives.ts';

const evidence = z.array(eventId).min(1);

export const illegalParkingStartedData = z.looseObject({
  vehicleId: identifier,
  waybillNo: identifier,
  carrierId: identifier,
  lon: longitude,
  lat: latitude,
  stoppedSince: timestamp,
  evidence,
});

export const illegalParkingEndedData = z.looseObject({
  vehicleId: identifier,
  waybillNo: identifier,
  stoppedSince: timestamp,
  endedAt: timestamp,
  durationS: z.number().finite().min(0),
});

/**
 * Set on an entry or exit that happened between two fixes (a short tunnel or bridge passed with no
 * fix inside it): its time is interpolated along the straight line between them.
 */
const interpolated = z.literal(true).optional();
/** With `interpolated`: where the straight line between the two fixes enters the zone (WGS-84). */
const entryLon = longitude.optional();
const entryLat = latitude.optional();

export const accidentSegmentEnteredData = z.looseObject({
  vehicleId: identifier,
  zoneId: identifier,
  laden: z.boolean(),
  waybillNo: identifier.optional(),
  carrierId: identifier.optional(),
  speedKmh: z.number().finite().min(0),
  evidence,
  interpolated,
  lon: entryLon,
  lat: entryLat,
});

export const accidentSegmentExitedData = z.looseObject({
  vehicleId: identifier,
  zoneId: identifier,
  interpolated,
});

export const restrictedEntryRules = ['laden-banned', 'banned-hours'] as const;

/** A laden vehicle inside a zone whose rules ban it (always, or at this hour, for its goods' classes). */
export const restrictedEntryStartedData = z.looseObject({
  vehicleId: identifier,
  zoneId: identifier,
  /** `laden-banned` wins when both apply. */
  rule: z.enum(restrictedEntryRules),
  waybillNo: identifier,
  carrierId: identifier,
  speedKmh: z.number().finite().min(0),
  evidence,
  interpolated,
  lon: entryLon,
  lat: entryLat,
});

export const restrictedEntryEndedData = z.looseObject({
  vehicleId: identifier,
  zoneId: identifier,
  startedAt: timestamp,
  endedAt: timestamp,
  durationS: z.number().finite().min(0),
  interpolated,
});

/** A run of fixes faster than the limit in force, lasting at least `overspeedMinS`. */
export const overspeedStartedData = z.looseObject({
  vehicleId: identifier,
  limitKmh: z.number().finite().positive(),
  /** The zone whose `speedLimitKmh` set the limit; null for the general hazmat limit. */
  zoneId: identifier.nullable(),
  /** The run's first fix. */
  since: timestamp,
  speedKmh: z.number().finite().min(0),
  laden: z.boolean(),
  waybillNo: identifier.optional(),
  carrierId: identifier.optional(),
  evidence,
});

export const overspeedEndedData = z.looseObject({
  vehicleId: identifier,
  since: timestamp,
  endedAt: timestamp,
  maxSpeedKmh: z.number().finite().min(0),
  durationS: z.number().finite().min(0),
});

/*
 * Time rules (issue #16). Fatigue applies laden or empty; offline only to a vehicle with an active
 * consignment (assigned or laden); route deviation only while laden with a waybill that declares a route.
 */

/** Driving for more than `fatigueAfterS` since the last rest (疲劳驾驶). */
export const fatigueDrivingStartedData = z.looseObject({
  vehicleId: identifier,
  /** The first moving fix after the last rest (or the vehicle's first moving fix). */
  drivingSince: timestamp,
  /** Seconds from `drivingSince` to the fix that raised this (short stops included: they are no rest). */
  drivenS: z.number().finite().min(0),
  laden: z.boolean(),
  waybillNo: identifier.optional(),
  carrierId: identifier.optional(),
  evidence,
});

/** A rest completed: a stop, or a gap without moving, of at least `restMinS`. */
export const fatigueDrivingEndedData = z.looseObject({
  vehicleId: identifier,
  drivingSince: timestamp,
  restStartedAt: timestamp,
  /** The first fix, or ClockTicked, at which the rest had lasted `restMinS`. */
  endedAt: timestamp,
});

/** An active consignment's vehicle whose terminal has not reported for `offlineAfterS` of the record's clock (不在线). */
export const terminalOfflineData = z.looseObject({
  vehicleId: identifier,
  lastFixAt: timestamp,
  /** Where the last fix was. */
  lon: longitude,
  lat: latitude,
  laden: z.boolean(),
  waybillNo: identifier.optional(),
  carrierId: identifier.optional(),
  /** The last fix, and the ClockTicked that passed its deadline. */
  evidence,
});

/** The first fix after an offline terminal came back. */
export const terminalOnlineData = z.looseObject({
  vehicleId: identifier,
  lastFixAt: timestamp,
  backAt: timestamp,
  gapS: z.number().finite().min(0),
  /** Great-circle distance between the fixes either side of the gap: a large one is itself evidence. */
  movedM: z.number().finite().min(0),
});

/** A laden vehicle's run of `routeDeviationFixes` consecutive fixes each farther than the route's tolerance (偏离线路). */
export const routeDeviationStartedData = z.looseObject({
  vehicleId: identifier,
  waybillNo: identifier,
  carrierId: identifier,
  /** Distance (m) from the declared route of the run's first fix. */
  distanceM: z.number().finite().min(0),
  /** The run's fixes and the loading event. */
  evidence,
  /** The run's first fix (where the vehicle left the route). */
  lon: longitude.optional(),
  lat: latitude.optional(),
});

export const routeDeviationEndedData = z.looseObject({
  vehicleId: identifier,
  waybillNo: identifier,
  startedAt: timestamp,
  endedAt: timestamp,
  maxDistanceM: z.number().finite().min(0),
});
