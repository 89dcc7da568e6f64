import type { DgtEvent } from '@dgt/events';

/*
 * A deterministic fleet for the projector's tests and bench: registered carriers and vehicles
 * (a few unregistered, owned only through their assignment), lots, parks and accident-prone
 * segments (one declared in GCJ-02, one lot withdrawn part-way), laden and empty vehicles
 * driving east across the segments, parking at the roadside or in a lot every cycle, and the
 * odd duplicate delivery. Events come in time order, interleaved across vehicles.
 */

export interface FleetSpec {
  readonly vehicles: number;
  readonly fixesPerVehicle: number;
  readonly carriers?: number;
  /** Share of vehicles carrying a load (a waybill declared, assigned and loaded). */
  readonly ladenShare?: number;
}

const T0 = Date.parse('2026-03-02T00:00:00Z');
const FIX_MS = 30_000;
const WEST = 120.8;
const EAST = 121.6;
const M_PER_DEG_LON = 111_195 * Math.cos((28.6 * Math.PI) / 180);
const SEGMENT_LONS = [120.95, 121.2, 121.45];
const CYCLE = 80;
const PARK_FROM = 52; // fixes 52..79 of each cycle: 28 fixes = 14 min parked

const iso = (ms: number) => new Date(ms).toISOString();
const pad = (n: number, w = 5) => String(n).padStart(w, '0');

export const vehicleIdOf = (v: number) => `V${pad(v)}`;
const latOf = (v: number, n: number) => 28.5 + (0.12 * v) / Math.max(1, n);

/** Small integer hash: the same vehicle always behaves the same way. */
function hash(a: number, b = 0): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 13;
  h = Math.imul(h, 0x27d4eb2f);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

export function setupEvents(spec: FleetSpec): DgtEvent[] {
  const carriers = spec.carriers ?? Math.max(1, Math.ceil(spec.vehicles / 40));
  const laden = spec.ladenShare ?? 0.5;
  const out: DgtEvent[] = [];
  const at = iso(T0 - 3_600_000);
  for (let c = 0; c < carriers; c++) {
    out.push({ eventId: `carrier-${c}`, type: 'CarrierRegistered', occurredAt: at, data: { carrierId: `C${pad(c, 3)}`, name: `Taizhou Hazmat Logistics ${c}` } });
  }
  SEGMENT_LONS.forEach((lon, i) => {
    const datum = i === 1 ? 'GCJ02' : 'WGS84';
    out.push({
      eventId: `zone-seg-${i}`,
      type: 'ZoneDesignated',
      occurredAt: at,
      data: { zoneId: `seg-${i}`, kind: 'accident-segment', name: `Accident-prone segment ${i}`, datum, path: [[lon, 28.49], [lon, 28.63]], bufferM: 60 },
    });
  });
  for (let i = 0; i < 4; i++) {
    const lon = WEST + 0.1 + i * 0.2;
    out.push({
      eventId: `zone-lot-${i}`,
      type: 'ZoneDesignated',
      occurredAt: at,
      data: { zoneId: `lot-${i}`, kind: 'parking-lot', name: `Hazmat lot ${i}`, datum: 'WGS84', polygon: [[lon, 28.5], [lon + 0.01, 28.5], [lon + 0.01, 28.52], [lon, 28.52]] },
    });
  }
  out.push({
    eventId: 'zone-park-0',
    type: 'ZoneDesignated',
    occurredAt: at,
    data: { zoneId: 'park-0', kind: 'chemical-park', name: 'Jiaojiang chemical park', datum: 'WGS84', polygon: [[121.3, 28.56], [121.31, 28.56], [121.31, 28.57], [121.3, 28.57]] },
  });
  for (let v = 0; v < spec.vehicles; v++) {
    const vehicleId = vehicleIdOf(v);
    const carrierId = `C${pad(v % carriers, 3)}`;
    // One vehicle in ten is not in the register: its owner is the carrier of its assignment.
    if (v % 10 !== 9) out.push({ eventId: `reg-${vehicleId}`, type: 'VehicleRegistered', occurredAt: at, data: { vehicleId, carrierId, plateNo: `浙J·${pad(v)}` } });
    if (hash(v, 1) < laden) {
      const wb = `WB-${pad(v)}`;
      const site = { name: 'Ningbo depot', lon: 121.9, lat: 29.8 };
      out.push(
        { eventId: `${wb}-declared`, type: 'ConsignmentDeclared', occurredAt: at, data: { waybillNo: wb, consignorId: 'CN-1', goods: [{ unNumber: '1230', name: 'methanol', hazardClass: '3', quantityKg: 20_000 }], origin: site, destination: site } },
        { eventId: `${wb}-assigned`, type: 'CarriageAssigned', occurredAt: at, data: { waybillNo: wb, carrierId, vehicleId, driverId: `D${v}`, escortId: `E${v}` } },
        { eventId: `${wb}-loaded`, type: 'LoadingCompleted', occurredAt: at, data: { waybillNo: wb, vehicleId } },
      );
    }
  }
  return out;
}

/** Every event of the fleet, in order: setup, then fixes (with lifecycle and zone changes part-way). */
export function* fleetEvents(spec: FleetSpec): Generator<DgtEvent> {
  yield* setupEvents(spec);
  const n = spec.vehicles;
  const lon = new Float64Array(n);
  for (let v = 0; v < n; v++) lon[v] = WEST + hash(v, 2) * (EAST - WEST);
  const stepMs = Math.floor(FIX_MS / Math.max(1, n));
  let recent: DgtEvent | null = null;
  for (let k = 0; k < spec.fixesPerVehicle; k++) {
    const tk = T0 + k * FIX_MS;
    if (k === Math.floor(spec.fixesPerVehicle / 2)) {
      yield { eventId: 'zone-lot-3-withdrawn', type: 'ZoneWithdrawn', occurredAt: iso(tk), data: { zoneId: 'lot-3' } };
      // A few loads delivered: unloaded, then closed.
      for (let v = 0; v < n; v += 7) {
        if (hash(v, 1) >= (spec.ladenShare ?? 0.5)) continue;
        const wb = `WB-${pad(v)}`;
        yield { eventId: `${wb}-unloaded`, type: 'UnloadingCompleted', occurredAt: iso(tk), data: { waybillNo: wb, vehicleId: vehicleIdOf(v) } };
        yield { eventId: `${wb}-closed`, type: 'ConsignmentClosed', occurredAt: iso(tk + 1), data: { waybillNo: wb } };
      }
    }
    for (let v = 0; v < n; v++) {
      const phase = (k + Math.floor(hash(v, 3) * CYCLE)) % CYCLE;
      const parked = phase >= PARK_FROM;
      const speed = parked ? Math.round(hash(v, k) * 30) / 10 : 40 + Math.round(hash(k, v) * 300) / 10;
      if (!parked) {
        lon[v] = lon[v]! + (speed / 3.6) * (FIX_MS / 1000) / M_PER_DEG_LON;
        if (lon[v]! > EAST) lon[v] = WEST;
      }
      const e: DgtEvent = {
        eventId: `${vehicleIdOf(v)}-${k}`,
        type: 'VehiclePositionReported',
        occurredAt: iso(tk + v * stepMs),
        data: { vehicleId: vehicleIdOf(v), lon: Math.round(lon[v]! * 1e6) / 1e6, lat: latOf(v, n), speedKmh: speed, headingDeg: parked ? 0 : 90 },
      };
      yield e;
      // Now and then the same fix is delivered twice.
      if (recent !== null && hash(k, v + 17) < 0.002) yield recent;
      recent = e;
    }
  }
}

export function fleetEventCount(spec: FleetSpec): number {
  let count = 0;
  for (const _ of fleetEvents(spec)) count++;
  return count;
}
