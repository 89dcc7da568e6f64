import { z } from 'zod';
import { identifier } from './primitives.ts';

/*
 * The register of carriers and their vehicles (道路运输证). It decides who owns a vehicle, and so
 * what a carrier's key may see; detection itself does not depend on it.
 */

export const carrierRegisteredData = z.looseObject({
  carrierId: identifier,
  name: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  /** 道路运输经营许可证 number, when known. */
  licenceNo: identifier.optional(),
});

/** Plates as printed, e.g. `浙J·12345` (province, city letter, separator, serial). */
export const plateNo = z.string().regex(/^\p{Script=Han}[A-Z]·?[A-Z0-9]{5,6}$/u, 'must be a plate like 浙J·12345');

export const vehicleRegisteredData = z.looseObject({
  vehicleId: identifier,
  carrierId: identifier,
  plateNo,
  /** JT/T 808 terminal phone number, when the vehicle reports through the gateway. */
  terminalPhone: z.string().regex(/^\d{11,20}$/, 'must be 11–20 digits').optional(),
});

export type CarrierRegisteredData = z.infer<typeof carrierRegisteredData>;
export type VehicleRegisteredData = z.infer<typeof vehicleRegisteredData>;
