/*
 * An NDJSON file as a platform exports it: zones, then 2,000 laden vehicles' waybills, then their
 * fixes interleaved in time order (every 15 s, 30–80 km/h with gentle turns, some pausing or
 * parking). Deterministic, so every run reads the same bytes.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface FleetFileOptions {
  vehicles: number;
  fixesPerVehicle: number;
  lots: number;
  parks: number;
  segments: number;
  seed: number;
}

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BOX = { west: 120.7, east: 121.8, south: 28.1, north: 29.2 };
const M_PER_DEG_LAT = 111_195;
const M_PER_DEG_LON = 111_195 * Math.cos((28.65 * Math.PI) / 180);

function zoneLines(opts: FleetFileOptions, rnd: () => number): string[] {
  const t = '2026-01-01T00:00:00+08:00';
  const out: string[] = [];
  const square = (cx: number, cy: number, halfM: number): number[][] => {
    const dx = halfM / M_PER_DEG_LON;
    const dy = halfM / M_PER_DEG_LAT;
    return [[cx - dx, cy - dy], [cx + dx, cy - dy], [cx + dx, cy + dy], [cx - dx, cy + dy]];
  };
  const point = (): [number, number] => [BOX.west + rnd() * (BOX.east - BOX.west), BOX.south + rnd() * (BOX.north - BOX.south)];
  const zone = (zoneId: string, data: Record<string, unknown>): void => {
    out.push(JSON.stringify({ eventId: `zone-${zoneId}`, type: 'ZoneDesignated', occurredAt: t, data: { zoneId, datum: 'WGS84', ...data } }));
  };
  for (let i = 0; i < opts.lots; i++) {
    const [x, y] = point();
    zone(`lot-${i}`, { kind: 'parking-lot', name: `Lot ${i}`, polygon: square(x, y, 80 + rnd() * 120) });
  }
  for (let i = 0; i < opts.parks; i++) {
    const [x, y] = point();
    zone(`park-${i}`, { kind: 'chemical-park', name: `Park ${i}`, polygon: square(x, y, 600 + rnd() * 1400) });
  }
  for (let i = 0; i < opts.segments; i++) {
    let [x, y] = point();
    let heading = rnd() * 2 * Math.PI;
    const lengthM = 2_000 + rnd() * 18_000;
    const path: number[][] = [[x, y]];
    for (let d = 0; d < lengthM; d += 500) {
      heading += (rnd() - 0.5) * 0.4;
      x += (Math.cos(heading) * 500) / M_PER_DEG_LON;
      y += (Math.sin(heading) * 500) / M_PER_DEG_LAT;
      path.push([x, y]);
    }
    zone(`seg-${i}`, { kind: 'accident-segment', name: `Segment ${i}`, path, bufferM: 50 + rnd() * 100 });
  }
  return out;
}

/** Writes the file; returns how many lines it has and how many of them are positions. */
export async function writeFleetFile(path: string, opts: FleetFileOptions): Promise<{ lines: number; positions: number }> {
  const rnd = prng(opts.seed);
  const out = createWriteStream(path);
  let buffer = '';
  let lines = 0;
  const write = async (line: string): Promise<void> => {
    buffer += line + '\n';
    lines++;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  };
  for (const line of zoneLines(opts, rnd)) await write(line);
  const origin = { name: 'o', lon: 121.4, lat: 28.6 };
  const ids: string[] = [];
  const state: { x: number; y: number; heading: number; pause: number; offset: number }[] = [];
  for (let v = 0; v < opts.vehicles; v++) {
    const vehicleId = `浙J${String(v).padStart(5, '0')}`;
    const waybillNo = `WB-${v}`;
    ids.push(vehicleId);
    const at = (s: number): string => `2026-03-01T07:00:0${s}+08:00`;
    await write(JSON.stringify({ eventId: `${waybillNo}-d`, type: 'ConsignmentDeclared', occurredAt: at(0), data: { waybillNo, consignorId: 'c', goods: [{ unNumber: '1230', name: 'methanol', hazardClass: '3', quantityKg: 20000 }], origin, destination: origin } }));
    await write(JSON.stringify({ eventId: `${waybillNo}-a`, type: 'CarriageAssigned', occurredAt: at(1), data: { waybillNo, carrierId: `C${v % 50}`, vehicleId, driverId: 'd', escortId: 'e' } }));
    await write(JSON.stringify({ eventId: `${waybillNo}-l`, type: 'LoadingCompleted', occurredAt: at(2), data: { waybillNo, vehicleId } }));
    state.push({ x: BOX.west + rnd() * (BOX.east - BOX.west), y: BOX.south + rnd() * (BOX.north - BOX.south), heading: rnd() * 2 * Math.PI, pause: 0, offset: Math.floor(rnd() * 15) });
  }
  const t0 = Date.parse('2026-03-02T00:00:00Z');
  for (let i = 0; i < opts.fixesPerVehicle; i++) {
    for (let v = 0; v < opts.vehicles; v++) {
      const s = state[v] as (typeof state)[number];
      if (s.pause === 0 && rnd() < 0.01) s.pause = rnd() < 0.2 ? 60 : 8;
      let speed: number;
      if (s.pause > 0) {
        s.pause--;
        speed = rnd() * 6;
        s.x += ((rnd() - 0.5) * 20) / M_PER_DEG_LON;
        s.y += ((rnd() - 0.5) * 20) / M_PER_DEG_LAT;
      } else {
        speed = 30 + rnd() * 50;
        s.heading += (rnd() - 0.5) * 0.3;
        const m = (speed / 3.6) * 15;
        s.x += (Math.cos(s.heading) * m) / M_PER_DEG_LON;
        s.y += (Math.sin(s.heading) * m) / M_PER_DEG_LAT;
        if (s.x < BOX.west || s.x > BOX.east || s.y < BOX.south || s.y > BOX.north) s.heading += Math.PI;
      }
      const headingDeg = Math.round((((90 - (s.heading * 180) / Math.PI) % 360) + 360) % 360);
      const vehicleId = ids[v] as string;
      await write(
        JSON.stringify({
          eventId: `p-${v}-${i}`,
          type: 'VehiclePositionReported',
          occurredAt: new Date(t0 + (s.offset + i * 15) * 1000).toISOString(),
          data: { vehicleId, lon: Math.round(s.x * 1e6) / 1e6, lat: Math.round(s.y * 1e6) / 1e6, speedKmh: Math.round(speed * 10) / 10, headingDeg },
        }),
      );
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return { lines, positions: opts.vehicles * opts.fixesPerVehicle };
}
