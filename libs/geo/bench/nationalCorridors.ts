/*
 * A national set of accident-segment corridors and a fleet driving by them, for the issue #21 item 6
 * benches (zones at national scale). Deterministic: everything comes from a seeded mulberry32.
 *
 * Roads are expressway-like polylines (a vertex every 200 m, gentle curves) spread over eastern and
 * central China (100–122°E, 22–41°N, where nearly all of its expressways run); each corridor is a
 * 1–5 km stretch of a road with a 30–100 m buffer, as the issue describes. Vehicles drive along the
 * roads at 60–90 km/h reporting every 15 s, each at its own lateral offset from the centre line
 * (0–150 m, plus a few metres of GNSS noise), so that many fixes fall just inside or just outside a
 * buffer and the exact edge tests run.
 */
import type { LonLat, ZoneSpec } from '../src/index.ts';
import { seededRandom } from '../test/seededRandom.ts';

const M_PER_DEG = 111_195;
const BOX = { west: 100, east: 122, south: 22, north: 41 };
/** Road vertex spacing. */
const STEP_M = 200;

/** A road: its vertices (lon, lat interleaved) and the cumulative distance in metres at each. */
export interface Road {
  readonly xy: Float64Array;
  readonly at: Float64Array;
}

export interface NationalOptions {
  roads: number;
  roadKm: number;
  corridors: number;
  seed: number;
}

export const nationalDefaults: NationalOptions = { roads: 1_000, roadKm: 150, corridors: 20_000, seed: 2121 };

function offset(lon: number, lat: number, east: number, north: number): [number, number] {
  return [lon + east / (M_PER_DEG * Math.cos((lat * Math.PI) / 180)), lat + north / M_PER_DEG];
}

/** `count` roads of `km` each, wandering from random starts, turning back at the edges of the box. */
export function nationalRoads(opts: NationalOptions, rnd: () => number): Road[] {
  const roads: Road[] = [];
  const vertices = Math.floor((opts.roadKm * 1000) / STEP_M) + 1;
  for (let r = 0; r < opts.roads; r++) {
    const xy = new Float64Array(2 * vertices);
    const at = new Float64Array(vertices);
    let lon = BOX.west + rnd() * (BOX.east - BOX.west);
    let lat = BOX.south + rnd() * (BOX.north - BOX.south);
    let heading = rnd() * 2 * Math.PI;
    let turn = 0;
    for (let i = 0; i < vertices; i++) {
      xy[2 * i] = lon;
      xy[2 * i + 1] = lat;
      at[i] = i * STEP_M;
      turn = 0.9 * turn + (rnd() - 0.5) * 0.02;
      heading += turn;
      [lon, lat] = offset(lon, lat, STEP_M * Math.cos(heading), STEP_M * Math.sin(heading));
      if (lon < BOX.west || lon > BOX.east || lat < BOX.south || lat > BOX.north) heading += Math.PI;
    }
    roads.push({ xy, at });
  }
  return roads;
}

/** `count` corridors: a 1–5 km stretch of a random road, buffered 30–100 m. */
export function nationalCorridors(roads: readonly Road[], count: number, rnd: () => number, idPrefix = 'nc'): ZoneSpec[] {
  const zones: ZoneSpec[] = [];
  for (let i = 0; i < count; i++) {
    const road = roads[Math.floor(rnd() * roads.length)] as Road;
    const vertices = road.at.length;
    const span = Math.round((1000 + rnd() * 4000) / STEP_M);
    const first = Math.floor(rnd() * (vertices - span));
    const path: LonLat[] = [];
    for (let k = first; k <= first + span; k++) path.push([road.xy[2 * k] as number, road.xy[2 * k + 1] as number]);
    const bufferM = Math.round(30 + rnd() * 70);
    zones.push({ zoneId: `${idPrefix}-${i}`, kind: 'accident-segment', name: `Corridor ${i}`, datum: 'WGS84', path, bufferM });
  }
  return zones;
}

/** The point `s` metres along the road, moved `lateralM` to its left. */
export function alongRoad(road: Road, s: number, lateralM: number): [number, number] {
  const last = road.at.length - 1;
  const d = Math.min(Math.max(s, 0), road.at[last] as number);
  const i = Math.min(last - 1, Math.floor(d / STEP_M));
  const f = (d - (road.at[i] as number)) / STEP_M;
  const ax = road.xy[2 * i] as number, ay = road.xy[2 * i + 1] as number;
  const bx = road.xy[2 * i + 2] as number, by = road.xy[2 * i + 3] as number;
  const lon = ax + f * (bx - ax), lat = ay + f * (by - ay);
  const cos = Math.cos((lat * Math.PI) / 180);
  const east = (bx - ax) * cos, north = by - ay;
  const n = Math.hypot(east, north) || 1;
  return offset(lon, lat, (-north / n) * lateralM, (east / n) * lateralM);
}

/** Fixes of a fleet on the roads, interleaved in time order like a platform receives them. */
export interface NationalFleet {
  readonly count: number;
  readonly vehicle: Int32Array;
  readonly ms: Float64Array;
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  readonly speed: Float64Array;
}

/**
 * `vehicles` vehicles, `fixes` fixes each, every 15 s from `t0`: each drives a random road from a
 * random place at 60–90 km/h (turning round at its ends) at its own lateral offset of 0–150 m.
 */
export function nationalFleet(roads: readonly Road[], vehicles: number, fixes: number, t0: number, rnd: () => number): NationalFleet {
  const n = vehicles * fixes;
  const fleet = { count: n, vehicle: new Int32Array(n), ms: new Float64Array(n), lon: new Float64Array(n), lat: new Float64Array(n), speed: new Float64Array(n) };
  for (let v = 0; v < vehicles; v++) {
    const road = roads[Math.floor(rnd() * roads.length)] as Road;
    const length = road.at[road.at.length - 1] as number;
    let s = rnd() * length;
    let direction = rnd() < 0.5 ? 1 : -1;
    const lateral = (rnd() < 0.5 ? -1 : 1) * rnd() * 150;
    const start = Math.floor(rnd() * 15_000);
    for (let i = 0; i < fixes; i++) {
      const speed = 60 + rnd() * 30;
      s += direction * (speed / 3.6) * 15;
      if (s < 0 || s > length) {
        direction = -direction;
        s = Math.min(Math.max(s, 0), length);
      }
      const [lon, lat] = alongRoad(road, s, direction * lateral + (rnd() - 0.5) * 10);
      const k = i * vehicles + v;
      fleet.vehicle[k] = v;
      fleet.ms[k] = t0 + start + i * 15_000;
      fleet.lon[k] = Math.round(lon * 1e6) / 1e6;
      fleet.lat[k] = Math.round(lat * 1e6) / 1e6;
      fleet.speed[k] = Math.round(speed * 10) / 10;
    }
  }
  return fleet;
}

/** The default national set: roads, 20,000 corridors, and the PRNG left where the corridors end (for a fleet). */
export function nationalSet(opts: NationalOptions = nationalDefaults): { roads: Road[]; zones: ZoneSpec[]; rnd: () => number } {
  const rnd = seededRandom(opts.seed);
  const roads = nationalRoads(opts, rnd);
  const zones = nationalCorridors(roads, opts.corridors, rnd);
  return { roads, zones, rnd };
}
