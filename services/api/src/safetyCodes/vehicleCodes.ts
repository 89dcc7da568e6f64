import { isVehicleCodeEvent, type DgtEvent } from '@dgt/events';
import { vehicleCodeStream, type EventStore } from '@dgt/eventstore';
import {
  foldVehicleCode,
  type VehicleCodeEntry,
  type VehicleCodeRevocation,
} from '@dgt/safetycodes';

/**
 * A vehicle's code as its `safety-code-vehicle-<vehicleId>` stream says now. Read per scan and
 * per print, like a firm's products: a handful of revocations in a truck's life, and a revocation
 * must count from the moment it is recorded.
 */
export async function vehicleCodeOf(
  store: EventStore,
  vehicleId: string,
): Promise<VehicleCodeEntry> {
  const revocations: VehicleCodeRevocation[] = [];
  for await (const r of store.readStream(vehicleCodeStream(vehicleId))) {
    const e = r.event as unknown as DgtEvent;
    if (isVehicleCodeEvent(e)) revocations.push(e);
  }
  return foldVehicleCode(vehicleId, revocations);
}
