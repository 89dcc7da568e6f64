import type { VehicleCodeRevokedData } from '@dgt/events';

/** The revocations this fold reads (the store's envelopes, already validated). */
export interface VehicleCodeRevocation {
  readonly type: 'VehicleCodeRevoked';
  readonly occurredAt: string;
  readonly data: VehicleCodeRevokedData;
}

export interface VehicleCodeEntry {
  /** The generation of the code in use: revocations so far, plus one. */
  readonly generation: number;
  /** When the code in use was made current (the last revocation), or null for the first code. */
  readonly lastRevokedAt: string | null;
}

/**
 * A vehicle's code, folded from its `safety-code-vehicle-<vehicleId>` stream in record order.
 * Unlike a product, a vehicle needs no registration here: its code exists as long as the vehicle
 * does (the read models say that), and revocations only move its generation on. Revocations of
 * another vehicle are not counted, so a mis-filed event cannot retire this vehicle's label.
 */
export function foldVehicleCode(
  vehicleId: string,
  events: Iterable<VehicleCodeRevocation>,
): VehicleCodeEntry {
  let generation = 1;
  let lastRevokedAt: string | null = null;
  for (const e of events) {
    if (e.data.vehicleId !== vehicleId) continue;
    generation += 1;
    lastRevokedAt = e.occurredAt;
  }
  return { generation, lastRevokedAt };
}
