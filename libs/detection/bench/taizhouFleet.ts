import { type DgtEvent, parseEvent } from '@dgt/events';

/** Deterministic PRNG so every bench run measures the same tracks. */
export function mulberry32(seed: number): () => number {
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

export interface FleetOptions {
  vehicles: number;
  fixesPerVehicle: number;
  lots: number;
  parks: number;
  segments: number;
  /** Restricted areas, and rules on some segments and parks (0: today's fleet of zones without rules). */
  restricted: number;
  seed: number;
  /**
   * Declare each waybill's route: the vehicle's own track sampled every 8 fixes, 300 m of
   * tolerance (so most fixes are on it and some corners cut by the samples are not). Default off.
   */
  routes?: boolean;
}

/**
 * Hundreds of Taizhou-sized zones: lots of ~200 m, parks of ~2 km, segments of 2–20 km with 50–150 m
 * buffers; with `restricted` > 0 also restricted areas of 1–4 km, and rules on 40 % of the segments
 * (60 km/h; a 07:00–09:00 or a night ban for classes 2.1 and 3) and a third of the parks (40 km/h).
 * Rules come from their own PRNG, so the geometry and the tracks are the same with or without them.
 */
export function taizhouZones(opts: FleetOptions, rnd: () => number): DgtEvent[] {
  const zones: DgtEvent[] = [];
  const ruled = opts.restricted > 0;
  const rr = mulberry32(opts.seed ^ 0x1515);
  const segmentRules = () =>
    ruled && rr() < 0.4
      ? { rules: { speedLimitKmh: 60, bannedHours: [rr() < 0.67 ? { from: '07:00', to: '09:00' } : { from: '22:00', to: '06:00' }], hazardClasses: ['2.1', '3'] } }
      : {};
  const parkRules = () => (ruled && rr() < 0.33 ? { rules: { speedLimitKmh: 40 } } : {});
  const t = '2026-01-01T00:00:00+08:00';
  const square = (cx: number, cy: number, halfM: number) => {
    const dx = halfM / M_PER_DEG_LON;
    const dy = halfM / M_PER_DEG_LAT;
    return [[cx - dx, cy - dy], [cx + dx, cy - dy], [cx + dx, cy + dy], [cx - dx, cy + dy]];
  };
  const point = () => [BOX.west + rnd() * (BOX.east - BOX.west), BOX.south + rnd() * (BOX.north - BOX.south)] as const;
  for (let i = 0; i < opts.lots; i++) {
    const [x, y] = point();
    zones.push(parseEvent({ eventId: `lot-${i}`, type: 'ZoneDesignated', occurredAt: t, data: { zoneId: `lot-${i}`, kind: 'parking-lot', name: `Lot ${i}`, datum: 'WGS84', polygon: square(x, y, 80 + rnd() * 120) } }));
  }
  for (let i = 0; i < opts.parks; i++) {
    const [x, y] = point();
    zones.push(parseEvent({ eventId: `park-${i}`, type: 'ZoneDesignated', occurredAt: t, data: { zoneId: `park-${i}`, kind: 'chemical-park', name: `Park ${i}`, datum: 'WGS84', polygon: square(x, y, 600 + rnd() * 1400), ...parkRules() } }));
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
    zones.push(parseEvent({ eventId: `seg-${i}`, type: 'ZoneDesignated', occurredAt: t, data: { zoneId: `seg-${i}`, kind: 'accident-segment', name: `Segment ${i}`, datum: 'WGS84', path, bufferM: 50 + rnd() * 100, ...segmentRules() } }));
  }
  for (let i = 0; i < opts.restricted; i++) {
    const x = BOX.west + rr() * (BOX.east - BOX.west);
    const y = BOX.south + rr() * (BOX.north - BOX.south);
    const rules = rr() < 0.5 ? { ladenBanned: true } : { bannedHours: [{ from: '07:00', to: '09:00' }, { from: '17:00', to: '19:00' }] };
    zones.push(parseEvent({ eventId: `ra-${i}`, type: 'ZoneDesignated', occurredAt: t, data: { zoneId: `ra-${i}`, kind: 'restricted-area', name: `Area ${i}`, datum: 'WGS84', polygon: square(x, y, 500 + rr() * 1500), rules } }));
  }
  return zones;
}

/** Fixes stored compactly, so the bench can materialise events in small chunks just before use. */
export interface Track {
  count: number;
  vehicle: Int32Array;
  ms: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  speed: Float64Array;
  vehicleIds: string[];
}

/**
 * Laden vehicles driving at 30–80 km/h with gentle turns, reporting every 15 s, some pausing
 * at lights or parking for a while; fixes are interleaved in time order, as a platform
 * receives them.
 */
export function taizhouTracks(opts: FleetOptions, rnd: () => number): { setup: DgtEvent[]; track: Track } {
  const setup: DgtEvent[] = [];
  const n = opts.vehicles * opts.fixesPerVehicle;
  const track: Track = {
    count: n,
    vehicle: new Int32Array(n),
    ms: new Float64Array(n),
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    speed: new Float64Array(n),
    vehicleIds: [],
  };
  const t0 = Date.parse('2026-03-02T00:00:00Z');
  const o = { name: 'o', lon: 121.4, lat: 28.6 };
  for (let v = 0; v < opts.vehicles; v++) {
    const id = `浙J${String(v).padStart(5, '0')}`;
    track.vehicleIds.push(id);
    const wb = `WB-${v}`;
    let x = BOX.west + rnd() * (BOX.east - BOX.west);
    let y = BOX.south + rnd() * (BOX.north - BOX.south);
    let heading = rnd() * 2 * Math.PI;
    let pause = 0;
    const offset = Math.floor(rnd() * 15_000);
    for (let i = 0; i < opts.fixesPerVehicle; i++) {
      if (pause === 0 && rnd() < 0.01) pause = rnd() < 0.2 ? 60 : 8;
      let speed: number;
      if (pause > 0) {
        pause--;
        speed = rnd() * 6;
        x += ((rnd() - 0.5) * 20) / M_PER_DEG_LON;
        y += ((rnd() - 0.5) * 20) / M_PER_DEG_LAT;
      } else {
        speed = 30 + rnd() * 50;
        heading += (rnd() - 0.5) * 0.3;
        const m = (speed / 3.6) * 15;
        x += (Math.cos(heading) * m) / M_PER_DEG_LON;
        y += (Math.sin(heading) * m) / M_PER_DEG_LAT;
        if (x < BOX.west || x > BOX.east || y < BOX.south || y > BOX.north) heading += Math.PI;
      }
      // Round-robin over vehicles keeps global time order for equal cadences.
      const k = i * opts.vehicles + v;
      track.vehicle[k] = v;
      track.ms[k] = t0 + offset + i * 15_000;
      track.lon[k] = Math.round(x * 1e6) / 1e6;
      track.lat[k] = Math.round(y * 1e6) / 1e6;
      track.speed[k] = Math.round(speed * 10) / 10;
    }
    const path: [number, number][] = [];
    if (opts.routes === true) {
      for (let i = 0; i < opts.fixesPerVehicle; i += 8) path.push([track.lon[i * opts.vehicles + v]!, track.lat[i * opts.vehicles + v]!]);
      const last = (opts.fixesPerVehicle - 1) * opts.vehicles + v;
      path.push([track.lon[last]!, track.lat[last]!]);
    }
    const route = path.length >= 2 ? { route: { path, toleranceM: 300 } } : {};
    setup.push(
      parseEvent({ eventId: `${wb}-d`, type: 'ConsignmentDeclared', occurredAt: '2026-03-01T00:00:00Z', data: { waybillNo: wb, consignorId: 'c', goods: [{ unNumber: '1230', name: 'methanol', hazardClass: '3', quantityKg: 20000 }], origin: o, destination: o, ...route } }),
      parseEvent({ eventId: `${wb}-a`, type: 'CarriageAssigned', occurredAt: '2026-03-01T00:00:01Z', data: { waybillNo: wb, carrierId: `C${v % 50}`, vehicleId: id, driverId: 'd', escortId: 'e' } }),
      parseEvent({ eventId: `${wb}-l`, type: 'LoadingCompleted', occurredAt: '2026-03-01T00:00:02Z', data: { waybillNo: wb, vehicleId: id } }),
    );
  }
  return { setup, track };
}

/** Events for fixes [from, to), built the way a consumer holds them: freshly parsed. */
export function materialise(track: Track, from: number, to: number): DgtEvent[] {
  const out: DgtEvent[] = [];
  for (let k = from; k < to; k++) {
    const vehicleId = track.vehicleIds[track.vehicle[k]!]!;
    out.push({
      eventId: `${vehicleId}-${k}`,
      type: 'VehiclePositionReported',
      occurredAt: new Date(track.ms[k]!).toISOString(),
      data: { vehicleId, lon: track.lon[k]!, lat: track.lat[k]!, speedKmh: track.speed[k]! },
    });
  }
  return out;
}
