import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DgtEvent } from '@dgt/events';
import { consignmentStream, openSqliteEventStore, vehicleStream, zonesStream } from '@dgt/eventstore';

export const T0 = Date.parse('2026-03-01T00:00:00Z');
export const DAY_VEHICLE = '浙J-DAY01';
export const DAY_FIXES = 8_640;
const CHUNK = 500;

const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+08:00').replace(/^(.{19})\.\d{3}/, '$1');

/**
 * Fixes of one vehicle: driving along a line at 40–80 km/h, with a 20-minute stop every ~4 hours
 * (so the stop and parking rules run). `stepS` apart from T0.
 */
function fix(vehicleId: string, v: number, i: number, stepS: number): DgtEvent {
  const t = T0 + i * stepS * 1000;
  const stopped = i % 480 >= 440;
  const k = stopped ? i - (i % 480) + 440 : i;
  return {
    eventId: `jt808:${vehicleId}:${t}`,
    type: 'VehiclePositionReported',
    occurredAt: iso(t),
    data: { vehicleId, lon: 121.0 + (v % 50) * 0.02 + k * 0.00005, lat: 28.4 + Math.floor(v / 50) * 0.01 + (k % 200) * 0.00002, speedKmh: stopped ? 0 : 40 + ((i * 7) % 40), headingDeg: (i * 13) % 360 },
  };
}

function reference(): { stream: string; events: DgtEvent[] }[] {
  const zones: DgtEvent[] = [
    { eventId: 'z-lot', type: 'ZoneDesignated', occurredAt: '2026-02-01T00:00:00+08:00', data: { zoneId: 'lot-1', kind: 'parking-lot', name: 'Lot', datum: 'WGS84', polygon: [[121.1, 28.45], [121.12, 28.45], [121.12, 28.47], [121.1, 28.47]] } },
    { eventId: 'z-seg', type: 'ZoneDesignated', occurredAt: '2026-02-01T00:00:00+08:00', data: { zoneId: 'seg-1', kind: 'accident-segment', name: 'Segment', datum: 'WGS84', path: [[121.2, 28.4], [121.2, 28.8]], bufferM: 80 } },
  ];
  const out = [{ stream: zonesStream, events: zones }];
  // A laden trip for every tenth vehicle, so the parking rule has consignments to look at.
  for (let v = 0; v < 2_000; v += 10) {
    const vehicleId = `浙J${String(10_000 + v)}`;
    const waybillNo = `WB-${v}`;
    out.push({
      stream: consignmentStream(waybillNo),
      events: [
        { eventId: `${waybillNo}-d`, type: 'ConsignmentDeclared', occurredAt: '2026-02-28T20:00:00+08:00', data: { waybillNo, consignorId: 'CN', goods: [{ unNumber: '1230', name: 'methanol', hazardClass: '3', quantityKg: 20_000 }], origin: { name: 'o', lon: 120.5, lat: 28.0 }, destination: { name: 'd', lon: 122.5, lat: 29.5 } } },
        { eventId: `${waybillNo}-a`, type: 'CarriageAssigned', occurredAt: '2026-02-28T20:10:00+08:00', data: { waybillNo, carrierId: `C${v % 7}`, vehicleId, driverId: 'dr', escortId: 'es' } },
        { eventId: `${waybillNo}-l`, type: 'LoadingCompleted', occurredAt: '2026-02-28T21:00:00+08:00', data: { waybillNo, vehicleId } },
      ],
    });
  }
  return out;
}

/**
 * A SQLite store of `positions` fleet fixes (2,000 vehicles, 30 s apart, appended in 500-fix
 * commits interleaved across vehicles as a recorder would) plus one vehicle-day of 8,640 fixes
 * (10 s apart). Built once per size under `.bench/`, reused by later runs.
 */
export async function benchStore(dir: string, positions: number, log: (s: string) => void): Promise<string> {
  const path = join(dir, `replay-${positions}.sqlite`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const building = `${path}.building`;
  rmSync(building, { force: true });
  rmSync(`${building}-wal`, { force: true });
  const store = openSqliteEventStore({ path: building });
  for (const { stream, events } of reference()) await store.append(stream, events);
  const vehicles = 2_000;
  const perVehicle = Math.ceil((positions - DAY_FIXES) / vehicles);
  const started = performance.now();
  let written = 0;
  for (let from = 0; from < perVehicle; from += CHUNK) {
    for (let v = 0; v <= vehicles; v++) {
      const isDay = v === vehicles;
      const vehicleId = isDay ? DAY_VEHICLE : `浙J${String(10_000 + v)}`;
      const total = isDay ? DAY_FIXES : perVehicle;
      const events: DgtEvent[] = [];
      for (let i = from; i < Math.min(total, from + CHUNK); i++) events.push(fix(vehicleId, v, i, isDay ? 10 : 30));
      if (events.length === 0) continue;
      await store.append(vehicleStream(vehicleId), events);
      written += events.length;
    }
    const s = (performance.now() - started) / 1000;
    log(`  building ${written.toLocaleString('en')} fixes, ${Math.round(written / s).toLocaleString('en')}/s`);
  }
  // The vehicle-day may be longer than the fleet's tracks.
  for (let from = Math.ceil(perVehicle / CHUNK) * CHUNK; from < DAY_FIXES; from += CHUNK) {
    const events: DgtEvent[] = [];
    for (let i = from; i < Math.min(DAY_FIXES, from + CHUNK); i++) events.push(fix(DAY_VEHICLE, 2_000, i, 10));
    await store.append(vehicleStream(DAY_VEHICLE), events);
  }
  await store.close();
  renameSync(building, path);
  if (existsSync(`${building}-wal`)) renameSync(`${building}-wal`, `${path}-wal`);
  return path;
}
