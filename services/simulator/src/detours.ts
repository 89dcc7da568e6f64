import { customers, lots, nodes, parks } from './geography.ts';
import type { Gap, LegPlanning, PlannedStop } from './legPlan.ts';
import { toXY } from './planar.ts';
import { positionAt, type Route } from './roadNetwork.ts';
import { distanceToZonesM, type ZoneInterval } from './routeZones.ts';
import type { Burst } from './speedProfile.ts';

/*
 * Detours off the declared route (偏离线路) and terminals switched off on the road (不在线), placed
 * like every other injection: clear of zones, sites, injected stops, bursts and signal gaps, so
 * the other rules' truth stays what it was. Their own truth is derived from the fixes
 * (timeRuleTruth.ts), so what counts is the rule, not this plan.
 */

/** A sideways excursion on one straight piece of the route: out by `offsetM`, along, back. */
export interface Detour {
  fromM: number;
  toM: number;
  rampM: number;
  offsetM: number;
  /** +1: to the right of the direction of travel; −1: to the left. */
  side: 1 | -1;
  /** Meant to stay beyond tolerance for only 1–2 fixes (not a deviation). */
  short: boolean;
}

/** A terminal switched off while driving; `onAfterArrivalS` set: back on that long after the leg ends, else after `durationS`. */
export interface SwitchOff {
  startS: number;
  durationS: number | null;
  onAfterArrivalS: number | null;
}

const sitePoints = [...parks, ...lots, ...customers].map((s) => toXY(nodes[s.id]));

/** Lateral offset (m) of a detour at `s`: a cosine ramp out, a plateau, a cosine ramp back. */
export function detourOffsetM(d: Detour, s: number): number {
  if (s <= d.fromM || s >= d.toM) return 0;
  const up = (s - d.fromM) / d.rampM;
  const down = (d.toM - s) / d.rampM;
  const x = Math.min(1, up, down);
  return (d.offsetM * (1 - Math.cos(Math.PI * x))) / 2;
}

/** Where a detour puts the vehicle at `s` (the route's position moved sideways). */
export function detourPosition(route: Route, d: Detour, s: number, x: number, y: number, headingDeg: number): { x: number; y: number } {
  const off = detourOffsetM(d, s) * d.side;
  if (off === 0) return { x, y };
  const h = (headingDeg * Math.PI) / 180;
  // Heading is clockwise from north: (sin h, cos h) ahead, (cos h, −sin h) to the right.
  return { x: x + off * Math.cos(h), y: y - off * Math.sin(h) };
}

function clearOf(a: number, b: number, intervals: readonly ZoneInterval[], stops: readonly PlannedStop[], bursts: readonly Burst[], gap: Gap | null, marginM: number): boolean {
  if (intervals.some((iv) => iv.toM > a - marginM && iv.fromM < b + marginM)) return false;
  if (stops.some((x) => x.kind !== 'light' && x.kind !== 'end' && x.s > a - marginM && x.s < b + marginM)) return false;
  if (bursts.some((x) => x.toM > a - marginM && x.fromM < b + marginM)) return false;
  if (gap !== null) {
    const gapEnd = gap.startS + gap.durationS * 23 + 1_000;
    if (gapEnd > a - marginM && gap.startS < b + marginM) return false;
  }
  return true;
}

/**
 * A detour on a straight piece of the route. A long one stays beyond `toleranceM` for 4–10 report
 * intervals (a deviation); a short one only for about one interval of driving (1–2 fixes: none).
 */
export function planDetour(
  p: LegPlanning,
  route: Route,
  stops: readonly PlannedStop[],
  intervals: readonly ZoneInterval[],
  bursts: readonly Burst[],
  gap: Gap | null,
  reportIntervalS: number,
  toleranceM: number,
  short: boolean,
): Detour | null {
  const rng = p.rng;
  for (let attempt = 0; attempt < 20; attempt++) {
    const i = rng.int(0, route.cum.length - 2);
    const pieceFrom = route.cum[i]!;
    const pieceTo = route.cum[i + 1]!;
    const speed = (route.limitKmh[i]! * 0.9) / 3.6;
    let offsetM: number;
    let rampM: number;
    let plateauM: number;
    if (short) {
      offsetM = toleranceM * rng.range(1.3, 1.6);
      // Beyond tolerance over the top of both ramps: 2·ramp·(1 − x*), x* where the cosine ramp reaches the tolerance.
      const xStar = Math.acos(1 - (2 * toleranceM) / offsetM) / Math.PI;
      const beyondM = speed * reportIntervalS * rng.range(0.5, 1.2);
      rampM = Math.max(250, beyondM / (2 * (1 - xStar)));
      plateauM = 0;
    } else {
      offsetM = toleranceM + rng.range(500, 2_000);
      rampM = rng.range(500, 900);
      plateauM = speed * reportIntervalS * rng.range(4, 10);
    }
    const lengthM = 2 * rampM + plateauM;
    if (pieceTo - pieceFrom < lengthM + 400) continue;
    const fromM = pieceFrom + 200 + rng.next() * (pieceTo - pieceFrom - lengthM - 400);
    const toM = fromM + lengthM;
    if (fromM < 2_000 || toM > route.lengthM - 2_000) continue;
    if (!clearOf(fromM, toM, intervals, stops, bursts, gap, 1_500)) continue;
    const side: 1 | -1 = rng.chance(0.5) ? 1 : -1;
    const d: Detour = { fromM, toM, rampM, offsetM, side, short };
    let ok = true;
    for (let s = fromM; ok && s <= toM; s += 200) {
      const at = positionAt(route, s);
      const q = detourPosition(route, d, s, at.x, at.y, at.headingDeg);
      if (distanceToZonesM(q.x, q.y) < 1_000 || sitePoints.some(([x, y]) => Math.hypot(q.x - x, q.y - y) < 1_500)) ok = false;
    }
    if (ok) return d;
  }
  return null;
}

/**
 * A terminal switched off on the road, clear of everything ahead that another rule's truth reads
 * from the fixes' trajectory (segments, injected stops, bursts, gaps, detours). `long`: off for the
 * rest of the leg and 1–8 min after arriving (the first 20+ min of silence make it offline; the stay
 * that follows is long enough to be a rest once it is back); otherwise off for 4–15 min and back
 * on the road (too short to be offline).
 */
export function planSwitchOff(
  p: LegPlanning,
  route: Route,
  stops: readonly PlannedStop[],
  intervals: readonly ZoneInterval[],
  bursts: readonly Burst[],
  gap: Gap | null,
  detour: Detour | null,
  long: boolean,
): SwitchOff | null {
  const rng = p.rng;
  const segments = intervals.filter((iv) => iv.kind === 'accident-segment');
  for (let attempt = 0; attempt < 20; attempt++) {
    if (long) {
      // 14–45 min of driving left at about 45 km/h, then 1–8 min at the destination.
      const leftM = rng.range(14, 45) * 60 * 12.5;
      const startS = route.lengthM - leftM;
      if (startS < 1_500) continue;
      if (!clearOf(startS, route.lengthM + 2_000, segments, stops, bursts, gap, 1_500)) continue;
      if (detour !== null && detour.toM > startS - 1_000) continue;
      return { startS, durationS: null, onAfterArrivalS: rng.int(60, 480) };
    }
    const durationS = rng.int(240, 900);
    const spanM = durationS * 23;
    if (route.lengthM < spanM + 5_000) return null;
    const startS = rng.range(2_000, route.lengthM - spanM - 2_000);
    if (!clearOf(startS, startS + spanM, segments, stops, bursts, gap, 1_500)) continue;
    if (detour !== null && detour.toM > startS - 1_000 && detour.fromM < startS + spanM + 1_000) continue;
    return { startS, durationS, onAfterArrivalS: null };
  }
  return null;
}
