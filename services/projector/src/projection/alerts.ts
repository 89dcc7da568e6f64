import type { DetectionEvent } from '@dgt/events';
import type { AlertView } from '@dgt/readmodels';
import { numberOf } from './violations.ts';

export interface AlertContext {
  plateNo: string | null;
  /** The violation's carrier if the detection belongs to one, else the vehicle's owner. */
  carrierId: string | null;
  laden: boolean;
  zoneName: (zoneId: string) => string | null;
}

const minutes = (s: number) => `${Math.round(s / 60)} min`;

/** One alert per detection, with a line a desk operator can read at a glance. */
export function alertOf(d: DetectionEvent, ctx: AlertContext): AlertView {
  const who = ctx.plateNo ?? d.data.vehicleId;
  const base = { alertId: d.eventId, type: d.type, occurredAt: d.occurredAt, vehicleId: d.data.vehicleId, plateNo: ctx.plateNo, carrierId: ctx.carrierId, laden: ctx.laden };
  switch (d.type) {
    case 'IllegalParkingStarted': {
      const x = d.data;
      return { ...base, waybillNo: x.waybillNo, zoneId: null, zoneName: null, lon: x.lon, lat: x.lat, message: `${who} illegally parked laden (waybill ${x.waybillNo}) outside any dedicated lot, stopped since ${x.stoppedSince}` };
    }
    case 'IllegalParkingEnded': {
      const x = d.data;
      return { ...base, waybillNo: x.waybillNo, zoneId: null, zoneName: null, lon: null, lat: null, message: `${who} moved off after ${minutes(x.durationS)} of illegal parking (waybill ${x.waybillNo})` };
    }
    case 'AccidentSegmentEntered': {
      const x = d.data;
      const name = ctx.zoneName(x.zoneId);
      const load = x.laden ? `laden (waybill ${x.waybillNo ?? 'unknown'})` : 'empty';
      return { ...base, waybillNo: x.waybillNo ?? null, zoneId: x.zoneId, zoneName: name, lon: numberOf(x.lon), lat: numberOf(x.lat), message: `${who} entered accident-prone segment ${name ?? x.zoneId} ${load} at ${x.speedKmh} km/h` };
    }
    case 'AccidentSegmentExited': {
      const x = d.data;
      const name = ctx.zoneName(x.zoneId);
      return { ...base, waybillNo: null, zoneId: x.zoneId, zoneName: name, lon: null, lat: null, message: `${who} left accident-prone segment ${name ?? x.zoneId}` };
    }
    default: {
      const never: never = d;
      throw new Error(`unreachable detection ${(never as { type: string }).type}`);
    }
  }
}
