import { clockTick, type DgtEvent, parseEvent } from '@dgt/events';
import { mulberry32 } from '../bench/taizhouFleet.ts';

const T0 = Date.parse('2026-03-02T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const SEG_LAT = 28.6;
const M_PER_DEG_LON = 111_195 * Math.cos((SEG_LAT * Math.PI) / 180);

/**
 * A stream exercising every kind of engine state: zones designated, re-designated and withdrawn
 * mid-stream, consignments loaded and unloaded (plus refused and repeated lifecycle events),
 * vehicles passing an accident-prone segment, parking at the roadside and in a lot, and late and
 * duplicate fixes; the record's clock ticking every minute, terminals going silent (offline), long
 * rests (fatigue; run it with a shorter `fatigueAfterS`), and routed waybills left for runs of
 * fixes (route deviation). Time-ordered per vehicle, interleaved across vehicles.
 */
export function mixedStream(vehicles: number, minutes: number, seed = 7): DgtEvent[] {
  const rnd = mulberry32(seed);
  const out: DgtEvent[] = [];
  const zone = (eventId: string, ms: number, data: Record<string, unknown>) =>
    out.push(parseEvent({ eventId, type: 'ZoneDesignated', occurredAt: iso(ms), data }));
  // A 50 km/h segment, banning laden class-3 vehicles 09:00–09:30 Beijing time (the stream runs from 08:00).
  zone('z-seg', T0 - 3_600_000, {
    zoneId: 'seg-1', kind: 'accident-segment', name: 'Seg 1', datum: 'WGS84', path: [[121.31, SEG_LAT], [121.33, SEG_LAT]], bufferM: 40,
    rules: { speedLimitKmh: 50, bannedHours: [{ from: '09:00', to: '09:30' }], hazardClasses: ['3'] },
  });
  // A 50 m strip banning laden vehicles across the lot vehicles' road: usually jumped over between fixes.
  zone('z-strip', T0 - 3_600_000, {
    zoneId: 'ra-1', kind: 'restricted-area', name: 'Strip', datum: 'WGS84',
    polygon: [[121.32, 28.62], [121.3205, 28.62], [121.3205, 28.64], [121.32, 28.64]], rules: { ladenBanned: true },
  });
  zone('z-lot', T0 - 3_600_000, { zoneId: 'lot-1', kind: 'parking-lot', name: 'Lot 1', datum: 'GCJ02', polygon: [[121.31, 28.628], [121.315, 28.628], [121.315, 28.633], [121.31, 28.633]] });
  zone('z-park', T0 - 3_600_000, { zoneId: 'park-1', kind: 'chemical-park', name: 'Park 1', datum: 'WGS84', polygon: [[121.30, 28.598], [121.305, 28.598], [121.305, 28.602], [121.30, 28.602]] });

  const waybill = (v: number) => `WB-${v}`;
  const vid = (v: number) => `V${String(v).padStart(3, '0')}`;
  for (let v = 0; v < vehicles; v++) {
    if (v % 3 === 2) continue; // a third of the fleet runs empty
    const wb = waybill(v);
    const at = iso(T0 - 600_000 + v);
    const base = { waybillNo: wb };
    const site = { name: 'far', lon: 120.9, lat: 28.9 };
    // Every sixth vehicle drives along the segment's latitude on a declared route, 100 m of tolerance.
    const route = v % 6 === 0 ? { route: { path: [[121.29, SEG_LAT], [121.36, SEG_LAT]], toleranceM: 100 } } : {};
    out.push(
      parseEvent({ eventId: `${wb}-d`, type: 'ConsignmentDeclared', occurredAt: at, data: { ...base, consignorId: 'CN', goods: [{ unNumber: '1230', name: 'methanol', hazardClass: '3', quantityKg: 20000 }], origin: site, destination: site, ...route } }),
      parseEvent({ eventId: `${wb}-a`, type: 'CarriageAssigned', occurredAt: at, data: { ...base, carrierId: `C${v % 4}`, vehicleId: vid(v), driverId: 'D', escortId: 'E' } }),
      parseEvent({ eventId: `${wb}-l`, type: 'LoadingCompleted', occurredAt: at, data: { ...base, vehicleId: vid(v) } }),
    );
    // A repeat (ignored as duplicate) and an out-of-order step (refused).
    if (v % 5 === 0) out.push(parseEvent({ eventId: `${wb}-l`, type: 'LoadingCompleted', occurredAt: at, data: { ...base, vehicleId: vid(v) } }));
    if (v % 7 === 0) out.push(parseEvent({ eventId: `${wb}-x`, type: 'ConsignmentClosed', occurredAt: at, data: base }));
  }

  const pos = new Array<{ lon: number; lat: number }>();
  for (let v = 0; v < vehicles; v++) pos.push({ lon: 121.3 + rnd() * 0.04, lat: v % 2 === 0 ? SEG_LAT : 28.63 + rnd() * 0.005 });
  const recentIds: DgtEvent[] = [];
  for (let m = 0; m < minutes; m++) {
    const ms = T0 + m * 60_000;
    out.push(clockTick(ms));
    if (m === Math.floor(minutes / 3)) out.push(parseEvent({ eventId: 'z-lot-w', type: 'ZoneWithdrawn', occurredAt: iso(ms), data: { zoneId: 'lot-1' } }));
    if (m === Math.floor((3 * minutes) / 4)) {
      // Re-designated: the night ban replaces the rush-hour one from now on, the limit rises to 60.
      zone('z-seg-2', ms, {
        zoneId: 'seg-1', kind: 'accident-segment', name: 'Seg 1', datum: 'WGS84', path: [[121.31, SEG_LAT], [121.33, SEG_LAT]], bufferM: 40,
        rules: { speedLimitKmh: 60, bannedHours: [{ from: '22:00', to: '06:00' }] },
      });
    }
    if (m === Math.floor(minutes / 2)) zone('z-lot-2', ms, { zoneId: 'lot-1', kind: 'parking-lot', name: 'Lot 1 (enlarged)', datum: 'WGS84', polygon: [[121.305, 28.625], [121.32, 28.625], [121.32, 28.636], [121.305, 28.636]] });
    if (m === Math.floor((2 * minutes) / 3)) {
      for (let v = 0; v < vehicles; v += 6) {
        if (v % 3 === 2) continue;
        out.push(parseEvent({ eventId: `${waybill(v)}-u`, type: 'UnloadingCompleted', occurredAt: iso(ms), data: { waybillNo: waybill(v), vehicleId: vid(v) } }));
      }
    }
    for (let v = 0; v < vehicles; v++) {
      // Cycle: 12 min driving east, 14 min parked, 4 min driving, 3 min parked.
      const phase = (m + v * 5) % 33;
      // Some take a 25-minute rest: a stop long enough to end a driving period.
      const resting = v % 8 === 3 && m >= 75 && m < 100;
      const parkedNow = resting || (phase >= 12 && phase < 26) || phase >= 30;
      const p = pos[v]!;
      let speed: number;
      if (parkedNow) {
        speed = rnd() * 4;
        p.lon += ((rnd() - 0.5) * 10) / M_PER_DEG_LON;
      } else {
        // Some vehicles speed: a 50 km/h segment and the general 80 both get overspeed runs.
        speed = v % 4 === 1 ? 70 + rnd() * 20 : 40 + rnd() * 20;
        p.lon += (speed / 3.6) * 60 / M_PER_DEG_LON;
        if (p.lon > 121.345) p.lon = 121.3;
      }
      // Every few minutes a vehicle strays off the segment's corridor for a fix; routed ones for three (a deviation).
      const lat = (v % 6 === 0 && m % 17 >= 3 && m % 17 <= 5) ? SEG_LAT + 0.003 : v % 2 === 0 && m % 11 === v % 11 ? SEG_LAT + 0.002 : p.lat;
      // Some terminals fall silent for half an hour (offline while laden or assigned).
      if (v % 9 === 4 && m >= 40 && m < 70) continue;
      const e = parseEvent({
        eventId: `${vid(v)}-${m}`,
        type: 'VehiclePositionReported',
        occurredAt: iso(ms + v * 100),
        data: { vehicleId: vid(v), lon: Math.round(p.lon * 1e6) / 1e6, lat, speedKmh: Math.round(speed * 10) / 10 },
      });
      out.push(e);
      recentIds.push(e);
      if (recentIds.length > 40) recentIds.shift();
      if (rnd() < 0.02) out.push(recentIds[Math.floor(rnd() * recentIds.length)]!); // duplicate delivery
      if (rnd() < 0.01) {
        // A late fix: an earlier time under a new id.
        out.push(parseEvent({ eventId: `${vid(v)}-${m}-late`, type: 'VehiclePositionReported', occurredAt: iso(ms - 120_000), data: { vehicleId: vid(v), lon: p.lon, lat: p.lat, speedKmh: 0 } }));
      }
    }
  }
  return out;
}
