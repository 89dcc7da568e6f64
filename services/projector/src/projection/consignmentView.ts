import type { Consignment } from '@dgt/detection';
import type { ConsignmentView } from '@dgt/readmodels';

/** The consignment row: the engine's lifecycle state plus the plate the register gives its vehicle. */
export function consignmentViewOf(c: Readonly<Consignment>, plateNo: string | null): ConsignmentView {
  const t = c.timeline;
  return {
    waybillNo: c.waybillNo,
    status: c.status,
    consignorId: c.consignorId,
    carrierId: c.carrierId ?? null,
    vehicleId: c.vehicleId ?? null,
    plateNo,
    driverId: c.driverId ?? null,
    escortId: c.escortId ?? null,
    goods: c.goods.map((g) => ({ unNumber: g.unNumber, name: g.name, hazardClass: g.hazardClass, quantityKg: g.quantityKg })),
    origin: { name: c.origin.name, lon: c.origin.lon, lat: c.origin.lat },
    destination: { name: c.destination.name, lon: c.destination.lon, lat: c.destination.lat },
    timeline: {
      declared: t.declared ?? null,
      assigned: t.assigned ?? null,
      loaded: t.loaded ?? null,
      unloaded: t.unloaded ?? null,
      closed: t.closed ?? null,
      cancelled: t.cancelled ?? null,
    },
  };
}
