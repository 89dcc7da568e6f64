import { DetectionEngine } from '@dgt/detection';
import { type DgtEvent, epochMs, parseEvent } from '@dgt/events';
import { PlanningFold } from '../src/index.ts';

/** Minute `m` (and second `s`) after 08:00 on Monday 2 March 2026, Beijing time. */
export const at = (m: number, s = 0): string => new Date(Date.parse('2026-03-02T08:00:00+08:00') + (m * 60 + s) * 1000).toISOString();

export const ORIGIN = { name: 'Jiaojiang park', lon: 121.465, lat: 28.685 };
export const DESTINATION = { name: 'Linhai park', lon: 121.57, lat: 28.72 };
export const LOT = { lon: 121.4, lat: 28.6 };
export const ROADSIDE = { lon: 121.52, lat: 28.7 };
export const ROADSIDE_2 = { lon: 121.6, lat: 28.65 };
export const SEGMENT_LAT = 28.61;

export function pos(id: string, t: string, vehicleId: string, lon: number, lat: number, speedKmh: number): DgtEvent {
  return parseEvent({ eventId: id, type: 'VehiclePositionReported', occurredAt: t, data: { vehicleId, lon, lat, speedKmh } });
}

export function zones(): DgtEvent[] {
  const h = 0.001;
  return [
    parseEvent({
      eventId: 'z-lot', type: 'ZoneDesignated', occurredAt: at(-60),
      data: { zoneId: 'lot-A', kind: 'parking-lot', name: '甲停车场', datum: 'WGS84', capacity: 1, polygon: [[LOT.lon - h, LOT.lat - h], [LOT.lon + h, LOT.lat - h], [LOT.lon + h, LOT.lat + h], [LOT.lon - h, LOT.lat + h]] },
    }),
    parseEvent({
      eventId: 'z-seg', type: 'ZoneDesignated', occurredAt: at(-60),
      data: { zoneId: 'seg-1', kind: 'accident-segment', name: '事故多发路段一', datum: 'WGS84', path: [[121.31, SEGMENT_LAT], [121.33, SEGMENT_LAT]], bufferM: 40, rules: { bannedHours: [{ from: '08:00', to: '09:00' }] } },
    }),
  ];
}

export function laden(waybillNo: string, vehicleId: string, carrierId = 'C1', hazardClass = '3'): DgtEvent[] {
  const t = at(-30);
  return [
    parseEvent({ eventId: `${waybillNo}-d`, type: 'ConsignmentDeclared', occurredAt: t, data: { waybillNo, consignorId: 'CN', goods: [{ unNumber: '1230', name: '甲醇', hazardClass, quantityKg: 1000 }], origin: ORIGIN, destination: DESTINATION } }),
    parseEvent({ eventId: `${waybillNo}-a`, type: 'CarriageAssigned', occurredAt: t, data: { waybillNo, carrierId, vehicleId, driverId: 'D', escortId: 'E' } }),
    parseEvent({ eventId: `${waybillNo}-l`, type: 'LoadingCompleted', occurredAt: t, data: { waybillNo, vehicleId } }),
  ];
}

/** One fix a minute at `where`, minutes `from`..`to`, then one fix 2 km east, moving. */
export function parkedThenLeaves(vehicleId: string, from: number, to: number, where: { lon: number; lat: number }): DgtEvent[] {
  const out: DgtEvent[] = [];
  for (let m = from; m <= to; m++) out.push(pos(`${vehicleId}-p${m}`, at(m), vehicleId, where.lon, where.lat, 0));
  out.push(pos(`${vehicleId}-p${to + 1}`, at(to + 1), vehicleId, where.lon + 0.02, where.lat, 50));
  return out;
}

/** A drive along the segment's latitude at 60 km/h, a fix every 10 s, from lon 121.30 to 121.34, starting at minute `m`. */
export function drive(vehicleId: string, m: number, speedKmh = 60): DgtEvent[] {
  const out: DgtEvent[] = [];
  const stepDeg = (speedKmh / 3.6) * 10 / (111_195 * Math.cos((SEGMENT_LAT * Math.PI) / 180));
  for (let i = 0, lon = 121.3; lon <= 121.34; i++, lon += stepDeg) out.push(pos(`${vehicleId}-d${i}`, at(m, i * 10), vehicleId, lon, SEGMENT_LAT, speedKmh));
  return out;
}

/** The scenario's record: zones and waybills first, then every fix in time order (stable by vehicle). */
export function scenario(): DgtEvent[] {
  const fixes = [
    // Lot: V1 laden 08:00–09:30, V2 empty 08:30–09:00; capacity 1.
    ...parkedThenLeaves('V1', 0, 89, LOT),
    ...parkedThenLeaves('V2', 30, 59, LOT),
    // Demand: V3 laden 21 min at the roadside (long), V4 laden 5 min (short), V5 empty 21 min (none), V6 laden at its origin (loading, none).
    ...parkedThenLeaves('V3', 0, 20, ROADSIDE),
    ...parkedThenLeaves('V4', 0, 4, ROADSIDE_2),
    ...parkedThenLeaves('V5', 0, 20, ROADSIDE),
    ...parkedThenLeaves('V6', 0, 20, ORIGIN),
    // Segment: V8 laden (class 3, carrier C8) and V9 empty pass it during its banned hours.
    ...drive('V8', 10),
    ...drive('V9', 12, 40),
  ].sort((a, b) => epochMs(a.occurredAt) - epochMs(b.occurredAt));
  return [...zones(), ...laden('WB1', 'V1'), ...laden('WB3', 'V3'), ...laden('WB4', 'V4', 'C1', '2.1'), ...laden('WB6', 'V6'), ...laden('WB8', 'V8', 'C8', '3'), ...fixes];
}

/** Detection engine then planning, event by event: what the projector and the report both do. */
export function runFold(events: readonly DgtEvent[], fold = new PlanningFold(), engine = new DetectionEngine()): { fold: PlanningFold; engine: DetectionEngine } {
  for (const e of events) fold.apply(e, engine.apply(e), engine);
  return { fold, engine };
}
