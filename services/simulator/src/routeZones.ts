import { type PlanarZone, type PlanarZoneKind, planarZones } from './ruleZones.ts';
import { positionAt, type Route } from './roadNetwork.ts';

/** Where along a route (arc length, m) the noise-free trajectory is inside a zone. */
export interface ZoneInterval {
  zoneId: string;
  kind: PlanarZoneKind;
  fromM: number;
  toM: number;
}

const STEP_M = 5;
/** Zones are fixed, so a route's intervals are too: computed once per route object, per process. */
const cache = new WeakMap<Route, ZoneInterval[]>();

/**
 * Walks the route and refines each boundary by bisection to a few millimetres. Steps are as long
 * as the point's distance to the nearest zone boundary (a step of d metres moves it at most d, so
 * it cannot cross a boundary unseen), at least 5 m: long far from zones, short near their edges.
 */
export function zoneIntervals(route: Route): ZoneInterval[] {
  const hit = cache.get(route);
  if (hit !== undefined) return hit;
  const out: ZoneInterval[] = [];
  const zones = planarZones;
  const from: (number | null)[] = zones.map(() => null);
  const isIn: boolean[] = zones.map(() => false);
  let prevS = 0;
  for (let s = 0; ; ) {
    const p = positionAt(route, s);
    let step = Infinity;
    zones.forEach((zone, i) => {
      const box = zone.boxDistanceM(p.x, p.y);
      const clearance = box > 0 ? -1 : zone.clearanceM(p.x, p.y);
      const inside = box === 0 && clearance <= 0;
      step = Math.min(step, box > 0 ? box : Math.abs(clearance));
      if (inside !== isIn[i] && s > 0) {
        const edge = bisect((m) => insideAt(route, zone, m), prevS, s, isIn[i]!);
        if (inside) from[i] = edge;
        else {
          out.push({ zoneId: zone.zoneId, kind: zone.kind, fromM: from[i] ?? 0, toM: edge });
          from[i] = null;
        }
      } else if (inside && s === 0) from[i] = 0;
      isIn[i] = inside;
    });
    if (s >= route.lengthM) break;
    prevS = s;
    s = Math.min(route.lengthM, s + Math.max(STEP_M, step - STEP_M));
  }
  zones.forEach((zone, i) => {
    if (from[i] !== null) out.push({ zoneId: zone.zoneId, kind: zone.kind, fromM: from[i]!, toM: route.lengthM });
  });
  out.sort((a, b) => a.fromM - b.fromM || (a.zoneId < b.zoneId ? -1 : 1));
  cache.set(route, out);
  return out;
}

function insideAt(route: Route, zone: PlanarZone, s: number): boolean {
  const p = positionAt(route, s);
  return zone.contains(p.x, p.y);
}

function bisect(isIn: (s: number) => boolean, lo: number, hi: number, loIn: boolean): number {
  for (let i = 0; i < 12; i++) {
    const mid = (lo + hi) / 2;
    if (isIn(mid) === loIn) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Metres from (x, y) to the nearest zone (0 inside one): roadside stops keep away from all of them. */
export function distanceToZonesM(x: number, y: number): number {
  let best = Infinity;
  for (const z of planarZones) best = Math.min(best, Math.max(0, z.clearanceM(x, y)));
  return best;
}
