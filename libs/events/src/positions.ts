import { z } from 'zod';
import { identifier, latitude, longitude } from './primitives.ts';

/** WGS-84 fix; the envelope's `occurredAt` is the device fix time. */
export const vehiclePositionReportedData = z.looseObject({
  vehicleId: identifier,
  lon: longitude,
  lat: latitude,
  speedKmh: z.number().finite().min(0).max(400),
  headingDeg: z.number().finite().min(0).max(360).optional(),
});

export type VehiclePositionReportedData = z.infer<typeof vehiclePositionReportedData>;
