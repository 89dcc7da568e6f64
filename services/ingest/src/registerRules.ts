import { epochMs, type EventOf, plateKey } from '@dgt/events';
import type { BatchRegister } from './batchRegister.ts';
import type { Refusal } from './itemAuthorization.ts';

type RegistryItem = EventOf<'CarrierRegistered'> | EventOf<'VehicleRegistered'> | EventOf<'VehicleTransferred'>;

/**
 * A registry key's item against the register (the rules the projector's fold applies too):
 * plates unique among registered vehicles; a vehicle changes carrier only by a transfer, which
 * names the owner at its effective time and is not dated ahead (the projection has no clock:
 * a transfer dated next month would make the new owner the current one today). A carrier may
 * be registered again (a new name or licence is the authority's to record).
 */
export async function registerRefusal(event: RegistryItem, register: BatchRegister, receivedMs: number, maxFutureSkewS: number): Promise<Refusal | undefined> {
  switch (event.type) {
    case 'CarrierRegistered':
      return undefined;
    case 'VehicleRegistered': {
      const { vehicleId, carrierId, plateNo } = event.data;
      const key = plateKey(plateNo) ?? plateNo;
      const holder = await register.plateHolder(key);
      if (holder !== undefined && holder !== vehicleId) {
        return { reason: 'plate_in_use', errors: [{ path: 'data.plateNo', message: `plate ${key} (written ${JSON.stringify(plateNo)}) is registered to vehicle ${holder}: plates are unique among registered vehicles` }] };
      }
      const owner = (await register.vehicle(vehicleId))?.periods.at(-1)?.carrierId;
      if (owner !== undefined && owner !== carrierId) {
        const message = `vehicle ${vehicleId} is registered to ${owner}: a change of owner is a VehicleTransferred { fromCarrierId: "${owner}", toCarrierId: "${carrierId}", effectiveAt }, not a second VehicleRegistered`;
        return { reason: 'owner_change_needs_transfer', errors: [{ path: 'data.carrierId', message }] };
      }
      register.registered(vehicleId, carrierId, plateNo, key);
      return undefined;
    }
    case 'VehicleTransferred': {
      const { vehicleId, fromCarrierId, toCarrierId, effectiveAt } = event.data;
      if (fromCarrierId === toCarrierId) return { reason: 'invalid', errors: [{ path: 'data.toCarrierId', message: `fromCarrierId and toCarrierId are both ${fromCarrierId}: nothing to transfer` }] };
      const aheadMs = epochMs(effectiveAt) - receivedMs;
      if (aheadMs > maxFutureSkewS * 1000) {
        const message = `effectiveAt ${effectiveAt} is ahead of the gateway's clock by more than ${maxFutureSkewS} s: post a transfer when it takes effect (the register has no notion of "not yet")`;
        return { reason: 'time_in_future', errors: [{ path: 'data.effectiveAt', message }] };
      }
      const owner = await register.ownerAt(vehicleId, effectiveAt);
      if (owner === undefined) return { reason: 'not_found', errors: [{ path: 'data.vehicleId', message: `no registered vehicle ${vehicleId}: register it (VehicleRegistered) before transferring it` }] };
      if (owner !== fromCarrierId) {
        return { reason: 'not_owner', errors: [{ path: 'data.fromCarrierId', message: `${fromCarrierId} did not own ${vehicleId} at ${effectiveAt} (${owner} did): a transfer names the owner at its effective time` }] };
      }
      register.transferred(vehicleId, toCarrierId, effectiveAt);
      return undefined;
    }
    default: {
      const never: never = event;
      throw new Error(`unreachable registry event ${(never as { type: string }).type}`);
    }
  }
}
