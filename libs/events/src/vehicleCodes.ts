import { z } from 'zod';
import { identifier } from './primitives.ts';

/*
 * 一企一品一码 on the truck: a vehicle's safety information code, like a product's, can be
 * withdrawn. Posted with a `registry` key only (the register vouches for what a code shows),
 * recorded in `safety-code-vehicle-<vehicleId>`.
 */

/**
 * The vehicle's printed code is withdrawn (a label lost, copied, or left on a truck sold on).
 * Each revocation retires the code in use: its scans answer "revoked", and the next code minted
 * for the vehicle is a new one (the code's generation is one more than the number of revocations).
 */
export const vehicleCodeRevokedData = z.looseObject({
  vehicleId: identifier,
  reason: z.string().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
});

export type VehicleCodeRevokedData = z.infer<typeof vehicleCodeRevokedData>;
