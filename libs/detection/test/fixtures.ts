import type { DgtEvent } from '@dgt/events';
import { parseEvent } from '@dgt/events';

/** Minute `m` after 08:00 on 2 March 2026, China time. */
export const at = (m: number, s = 0) => {
  const total = 8 * 3600 + m * 60 + s;
  const hh = String(Math.floor(total / 3600)).padStart(2, '0');
  const mm = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const ss = String(total % 60).padStart(2, '0');
  return `2026-03-02T${hh}:${mm}:${ss}+08:00`;
};

export const ROADSIDE = { lon: 121.52, lat: 28.7 };
export const ORIGIN = { name: 'Jiaojiang park', lon: 121.465, lat: 28.685 };
export const DESTINATION = { name: 'Linhai park', lon: 121.57, lat: 28.72 };

export function pos(id: string, t: string, vehicleId: string, lon: number, lat: number, speedKmh: number): DgtEvent {
  return parseEvent({ eventId: id, type: 'VehiclePositionReported', occurredAt: t, data: { vehicleId, lon, lat, speedKmh } });
}

export function lot(zoneId: string, t: string, lon: number, lat: number, half = 0.001): DgtEvent {
  return parseEvent({
    eventId: `zone-${zoneId}-${t}`,
    type: 'ZoneDesignated',
    occurredAt: t,
    data: { zoneId, kind: 'parking-lot', name: zoneId, datum: 'WGS84', polygon: [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half]] },
  });
}

export function withdraw(zoneId: string, t: string): DgtEvent {
  return parseEvent({ eventId: `withdraw-${zoneId}-${t}`, type: 'ZoneWithdrawn', occurredAt: t, data: { zoneId } });
}

export function consignment(waybillNo: string, vehicleId: string, steps: ('declare' | 'assign' | 'load' | 'unload' | 'close' | 'cancel')[], t = at(-60)): DgtEvent[] {
  return steps.map((step) => {
    const base = { eventId: `${waybillNo}-${step}`, occurredAt: t };
    switch (step) {
      case 'declare':
        return parseEvent({ ...base, type: 'ConsignmentDeclared', data: { waybillNo, consignorId: 'CN', goods: [{ unNumber: '1230', name: 'methanol', hazardClass: '3', quantityKg: 1000 }], origin: ORIGIN, destination: DESTINATION } });
      case 'assign':
        return parseEvent({ ...base, type: 'CarriageAssigned', data: { waybillNo, carrierId: 'C1', vehicleId, driverId: 'D', escortId: 'E' } });
      case 'load':
        return parseEvent({ ...base, type: 'LoadingCompleted', data: { waybillNo, vehicleId } });
      case 'unload':
        return parseEvent({ ...base, type: 'UnloadingCompleted', data: { waybillNo, vehicleId } });
      case 'close':
        return parseEvent({ ...base, type: 'ConsignmentClosed', data: { waybillNo } });
      case 'cancel':
        return parseEvent({ ...base, type: 'ConsignmentCancelled', data: { waybillNo, reason: 'customer withdrew' } });
    }
  });
}

/** A parked vehicle: one fix a minute at the roadside from minute `from` to `to`. */
export function parked(vehicleId: string, from: number, to: number, where = ROADSIDE): DgtEvent[] {
  const out: DgtEvent[] = [];
  for (let m = from; m <= to; m++) out.push(pos(`${vehicleId}-p${m}`, at(m), vehicleId, where.lon, where.lat, 0));
  return out;
}
