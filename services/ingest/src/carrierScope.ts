import type { EventOf } from '@dgt/events';
import type { BatchRegister } from './batchRegister.ts';
import type { Refusal } from './itemAuthorization.ts';

type ScopedItem =
  | EventOf<'VehiclePositionReported'>
  | EventOf<'ConsignmentDeclared'>
  | EventOf<'CarriageAssigned'>
  | EventOf<'LoadingCompleted'>
  | EventOf<'UnloadingCompleted'>
  | EventOf<'ConsignmentClosed'>
  | EventOf<'ConsignmentCancelled'>;

/*
 * An `ingest:<carrierId>` key posts for its own carrier only: fixes of the vehicles the carrier
 * owned when they were taken, and events of its own waybills. Anything else is answered as if
 * it did not exist (`not_found`, the API's 404): the answer must not tell another carrier's
 * vehicle or waybill from an unknown one.
 */

const noVehicle = (vehicleId: string, carrierId: string, at: string): Refusal => ({
  reason: 'not_found',
  errors: [{ path: 'data.vehicleId', message: `no vehicle ${vehicleId} of carrier ${carrierId} at ${at}` }],
});
const noWaybill = (waybillNo: string, carrierId: string): Refusal => ({
  reason: 'not_found',
  errors: [{ path: 'data.waybillNo', message: `no waybill ${waybillNo} of carrier ${carrierId}` }],
});

export async function carrierScopeRefusal(event: ScopedItem, carrierId: string, register: BatchRegister): Promise<Refusal | undefined> {
  const ownsVehicle = async (vehicleId: string) => (await register.ownerAt(vehicleId, event.occurredAt)) === carrierId;
  switch (event.type) {
    case 'VehiclePositionReported':
      return (await ownsVehicle(event.data.vehicleId)) ? undefined : noVehicle(event.data.vehicleId, carrierId, event.occurredAt);
    case 'ConsignmentDeclared': {
      // A new waybill is the declaring carrier's to assign; an existing one only if it is its own.
      const { waybillNo } = event.data;
      const current = await register.waybillCarrier(waybillNo);
      if (current === undefined || current === carrierId || (current === null && register.declaredBy(waybillNo) === carrierId)) {
        register.declared(waybillNo, carrierId);
        return undefined;
      }
      return noWaybill(waybillNo, carrierId);
    }
    case 'CarriageAssigned': {
      const { waybillNo, vehicleId } = event.data;
      if (event.data.carrierId !== carrierId) {
        return { reason: 'forbidden', errors: [{ path: 'data.carrierId', message: `a key of carrier ${carrierId} assigns carriage to ${carrierId} only` }] };
      }
      const current = await register.waybillCarrier(waybillNo);
      // Its own waybill, or one declared by its own key that has no carrier yet; never another's.
      const mine = current === carrierId || (current === null && register.declaredBy(waybillNo) === carrierId) || current === undefined;
      if (!mine) return noWaybill(waybillNo, carrierId);
      if (!(await ownsVehicle(vehicleId))) return noVehicle(vehicleId, carrierId, event.occurredAt);
      register.assigned(waybillNo, carrierId);
      return undefined;
    }
    case 'LoadingCompleted':
    case 'UnloadingCompleted': {
      const { waybillNo, vehicleId } = event.data;
      if ((await register.waybillCarrier(waybillNo)) !== carrierId) return noWaybill(waybillNo, carrierId);
      return (await ownsVehicle(vehicleId)) ? undefined : noVehicle(vehicleId, carrierId, event.occurredAt);
    }
    case 'ConsignmentClosed':
    case 'ConsignmentCancelled':
      return (await register.waybillCarrier(event.data.waybillNo)) === carrierId ? undefined : noWaybill(event.data.waybillNo, carrierId);
    default: {
      const never: never = event;
      throw new Error(`unreachable scoped event ${(never as { type: string }).type}`);
    }
  }
}
