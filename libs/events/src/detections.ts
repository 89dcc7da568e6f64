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
