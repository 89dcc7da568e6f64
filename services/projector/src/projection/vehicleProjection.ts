import type { PositionEvent } from '@dgt/events';
import type { AdvisoryView, FixView, ViolationView } from '@dgt/readmodels';

/** What the projection keeps per vehicle beyond the engine: register entries, heading, open violations. */
export interface VehicleProjectionData {
  plateNo: string | null;
  /** Current owner in the register (see register.ts), as last applied to the carriers' vehicle counts. */
  registeredCarrier: string | null;
  /** Carrier of the latest applied CarriageAssigned: the owner until the vehicle is registered. */
  assignedCarrier: string | null;
  /** Waybill assigned to the vehicle and not yet unloaded or cancelled. */
  waybillNo: string | null;
  lastFix: FixView | null;
  /** Open violations as whole rows, so closing one rewrites the row without a read. */
  open: ViolationView[];
  /** Open advisories (segment passages), the same way. */
  advisories: AdvisoryView[];
}

/** The in-memory form: the last applied fix is kept as the event itself until a flush needs a row. */
export interface VehicleProjection extends VehicleProjectionData {
  readonly vehicleId: string;
  lastEvent: PositionEvent | null;
  dirty: boolean;
}

export function newVehicleProjection(vehicleId: string): VehicleProjection {
  return { vehicleId, plateNo: null, registeredCarrier: null, assignedCarrier: null, waybillNo: null, lastFix: null, open: [], advisories: [], lastEvent: null, dirty: false };
}

export function carrierOfVehicle(v: VehicleProjectionData): string | null {
  return v.registeredCarrier ?? v.assignedCarrier;
}

export function fixViewOf(e: PositionEvent): FixView {
  const d = e.data;
  return { eventId: e.eventId, occurredAt: e.occurredAt, lon: d.lon, lat: d.lat, speedKmh: d.speedKmh, headingDeg: d.headingDeg ?? null };
}

/** Brings the saved fix up to date with the last applied position, if one arrived since. */
export function settleFix(v: VehicleProjection): void {
  if (v.lastEvent !== null) {
    v.lastFix = fixViewOf(v.lastEvent);
    v.lastEvent = null;
  }
}

export function vehicleProjectionData(v: VehicleProjection): VehicleProjectionData {
  settleFix(v);
  return {
    plateNo: v.plateNo,
    registeredCarrier: v.registeredCarrier,
    assignedCarrier: v.assignedCarrier,
    waybillNo: v.waybillNo,
    lastFix: v.lastFix,
    open: v.open,
    advisories: v.advisories,
  };
}

export function restoreVehicleProjection(vehicleId: string, d: VehicleProjectionData): VehicleProjection {
  // State saved before advisories existed has none (a store that old is rebuilt anyway: schema v3).
  return { ...d, open: [...d.open], advisories: [...(d.advisories ?? [])], vehicleId, lastEvent: null, dirty: false };
}
