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

export const accidentSegmentEnteredData = z.looseObject({
  vehicleId: identifier,
  zoneId: identifier,
  laden: z.boolean(),
  waybillNo: identifier.optional(),
  carrierId: identifier.optional(),
  speedKmh: z.number().finite().min(0),
  evidence,
});

export const accidentSegmentExitedData = z.looseObject({
  vehicleId: identifier,
  zoneId: identifier,
});
