import { customers, lots, nodes, parks } from './geography.ts';
import type { NoiseProfile, ScenarioProfile } from './profile.ts';
import type { Prng } from './prng.ts';
import { toXY } from './planar.ts';
import { positionAt, type Route } from './roadNetwork.ts';
import { distanceToZonesM, type ZoneInterval } from './routeZones.ts';
import { zoneById } from './ruleZones.ts';
import type { Burst, SpeedCap } from './speedProfile.ts';
import { segments } from './zoneSpecs.ts';

/*
 * What happens on one leg besides driving: where the vehicle stops (red lights, injected roadside
 * stops), where the driver speeds (injected overspeeds), where the signal drops. Everything
 * injected keeps clear of zones, sites and each other, so its ground truth is unambiguous.
 */

export type StopKind = 'light' | 'violation' | 'short' | 'empty' | 'end';

export interface PlannedStop {
  s: number;
  kind: StopKind;
  durationS: number;
}

export interface Gap {
  startS: number;
  durationS: number;
  buffered: boolean;
}

/** An injected burst, with what it was meant to be (the truth is derived from the fixes, not from this). */
export interface PlannedBurst extends Burst {
  zoneId: string | null;
  short: boolean;
}

export interface LegOptions {
  laden: boolean;
  waybillNo: string | null;
  /** Which roadside stops may be injected on this leg. */
  inject: boolean;
  /** Laden on a declared route with this tolerance (m): detours may be injected. */
  routeToleranceM?: number | null;
  /** The terminal may be switched off on this leg (the vehicle has, or is about to have, a consignment). */
  maySwitchOff?: boolean;
}

export interface LegPlanning {
  rng: Prng;
  scenario: ScenarioProfile;
  noise: NoiseProfile;
}

const sitePoints = [...parks, ...lots, ...customers].map((s) => toXY(nodes[s.id]));
const structures: ReadonlySet<string> = new Set(segments.filter((s) => s.structure !== 'road').map((s) => s.zoneId));
/**
 * No light stands this close to a zone's edge: a vehicle waiting there with parked drift would
 * flap in and out of the zone, a real nuisance but one no injected situation should depend on.
 */
const LIGHT_CLEAR_OF_EDGE_M = 150;

/** A lower zone limit holds from this far before its corridor (time to brake, and GNSS jitter) to this far after. */
const CAP_LEAD_M = 150;
const CAP_TRAIL_M = 30;

/** The stretches where a zone's speed limit is lower than the road's. */
export function speedCaps(intervals: readonly ZoneInterval[]): SpeedCap[] {
  const caps: SpeedCap[] = [];
  for (const iv of intervals) {
    const kmh = zoneById(iv.zoneId).rules?.speedLimitKmh;
    if (kmh !== undefined) caps.push({ fromM: iv.fromM - CAP_LEAD_M, toM: iv.toM + CAP_TRAIL_M, kmh });
  }
  return caps;
}

export function planStops(p: LegPlanning, route: Route, opts: LegOptions, intervals: readonly ZoneInterval[]): PlannedStop[] {
  const sc = p.scenario;
  const rng = p.rng;
  const stops: PlannedStop[] = [];
  const minutes = (r: readonly [number, number]) => rng.int(r[0] * 60, r[1] * 60);
  if (opts.inject) {
    if (opts.laden && rng.chance(sc.violationPerLadenLeg)) addRoadside(rng, route, stops, 'violation', minutes(sc.violationMinutes), intervals);
    if (opts.laden && rng.chance(sc.shortLadenStopPerLadenLeg)) addRoadside(rng, route, stops, 'short', minutes(sc.shortStopMinutes), intervals);
    if (!opts.laden && rng.chance(sc.emptyStopPerEmptyLeg)) addRoadside(rng, route, stops, 'empty', minutes(sc.emptyStopMinutes), intervals);
  }
  const lights: number[] = [...route.signalledJunctionsM];
  // Towns along ordinary roads: a signalled crossing every few kilometres.
  let next = rng.range(1_500, 4_000);
  for (let i = 0; i + 1 < route.cum.length; i++) {
    if (route.roadClass[i] !== 'road') continue;
    while (next < route.cum[i + 1]! - route.cum[i]!) {
      lights.push(route.cum[i]! + next);
      next += rng.range(2_000, 5_000);
    }
    next -= route.cum[i + 1]! - route.cum[i]!;
  }
  for (const s of lights.sort((a, b) => a - b)) {
    if (s < 150 || s > route.lengthM - 150 || stops.some((x) => Math.abs(x.s - s) < 300)) continue;
    if (intervals.some((iv) => Math.min(Math.abs(s - iv.fromM), Math.abs(s - iv.toM)) < LIGHT_CLEAR_OF_EDGE_M || (structures.has(iv.zoneId) && s > iv.fromM && s < iv.toM))) continue;
    if (rng.chance(sc.redLightShare)) stops.push({ s, kind: 'light', durationS: rng.int(sc.redLightS[0], sc.redLightS[1]) });
  }
  stops.sort((a, b) => a.s - b.s);
  stops.push({ s: route.lengthM, kind: 'end', durationS: 0 });
  return stops;
}

/** A roadside stop away from sites, lots and zones (so its truth is unambiguous). */
function addRoadside(rng: Prng, route: Route, stops: PlannedStop[], kind: StopKind, durationS: number, intervals: readonly ZoneInterval[]): void {
  if (route.lengthM < 4_000) return;
  for (let attempt = 0; attempt < 30; attempt++) {
    const s = rng.range(1_500, route.lengthM - 1_500);
    const p = positionAt(route, s);
    if (distanceToZonesM(p.x, p.y) < 500) continue;
    if (intervals.some((iv) => s > iv.fromM - 1_000 && s < iv.toM + 1_000)) continue;
    if (sitePoints.some(([x, y]) => Math.hypot(p.x - x, p.y - y) < 1_000)) continue;
    if (stops.some((x) => Math.abs(x.s - s) < 2_000)) continue;
    stops.push({ s, kind, durationS });
    return;
  }
}

/**
 * Injected overspeeds on a leg. Through a zone with a lower limit, a driver may keep the road's
 * speed (68–78 km/h) all the way, or only for its first 20–45 s before braking. On an expressway,
 * away from every zone and stop, a driver may run at 90–105 km/h for 150–360 s, or for 15–40 s.
 * The short ones must never be reported: their fast fixes span less than a minute.
 */
export function planBursts(p: LegPlanning, route: Route, stops: readonly PlannedStop[], intervals: readonly ZoneInterval[]): PlannedBurst[] {
  const sc = p.scenario;
  const rng = p.rng;
  const bursts: PlannedBurst[] = [];
  for (const iv of intervals) {
    if (zoneById(iv.zoneId).rules?.speedLimitKmh === undefined) continue;
    if (rng.chance(sc.zoneOverspeedPerPassage)) {
      bursts.push({ fromM: iv.fromM - 200, toM: iv.toM + 100, kmh: rng.range(68, 78), zoneId: iv.zoneId, short: false });
    } else if (rng.chance(sc.shortZoneOverspeedPerPassage)) {
      const kmh = rng.range(68, 78);
      bursts.push({ fromM: iv.fromM - CAP_LEAD_M, toM: iv.fromM + (rng.range(20, 45) * kmh) / 3.6, kmh, zoneId: iv.zoneId, short: true });
    }
  }
  const long = rng.chance(sc.overspeedPerLeg);
  const short = !long && rng.chance(sc.shortOverspeedPerLeg);
  if (long || short) {
    const kmh = rng.range(90, 105);
    const lengthM = ((long ? rng.range(150, 360) : rng.range(15, 40)) * kmh) / 3.6;
    const fromM = expresswayStretch(rng, route, lengthM, stops, intervals);
    if (fromM !== null) bursts.push({ fromM, toM: fromM + lengthM, kmh, zoneId: null, short });
  }
  return bursts.sort((a, b) => a.fromM - b.fromM);
}

/** Start of a stretch of `lengthM` on expressway only, ≥ 800 m from every zone and 1.5 km from every stop. */
function expresswayStretch(rng: Prng, route: Route, lengthM: number, stops: readonly PlannedStop[], intervals: readonly ZoneInterval[]): number | null {
  const margin = 500;
  if (route.lengthM < lengthM + 2 * (margin + 1_000)) return null;
  for (let attempt = 0; attempt < 30; attempt++) {
    const fromM = rng.range(margin + 1_000, route.lengthM - lengthM - margin - 1_000);
    const a = fromM - margin;
    const b = fromM + lengthM + margin;
    let ok = true;
    for (let i = 0; ok && i + 1 < route.cum.length; i++) if (route.cum[i + 1]! > a && route.cum[i]! < b && route.roadClass[i] !== 'expressway') ok = false;
    if (!ok) continue;
    if (intervals.some((iv) => iv.toM > fromM - 800 && iv.fromM < fromM + lengthM + 800)) continue;
    if (stops.some((x) => x.kind !== 'end' && x.s > fromM - 1_500 && x.s < fromM + lengthM + 1_500)) continue;
    return fromM;
  }
  return null;
}

/** A signal-loss gap, far ahead of and behind anything a detector must see: zones, stops, bursts. */
export function planGap(p: LegPlanning, route: Route, stops: readonly PlannedStop[], intervals: readonly ZoneInterval[], bursts: readonly Burst[]): Gap | null {
  const n = p.noise;
  const rng = p.rng;
  if (!rng.chance(n.movingGapsPerLeg) || route.lengthM < 5_000) return null;
  const durationS = rng.int(n.movingGapS[0], n.movingGapS[1]);
  // 80 km/h for the whole gap, then a kilometre.
  const span = (durationS * 80) / 3.6 + 1_000;
  for (let attempt = 0; attempt < 20; attempt++) {
    const startS = rng.range(500, Math.max(600, route.lengthM - 1_000));
    const clear = (a: number) => a < startS - 1_000 || a > startS + span;
    const clearOf = (x: { fromM: number; toM: number }) => clear(x.fromM) && clear(x.toM) && !(x.fromM < startS && x.toM > startS);
    if (!intervals.every(clearOf) || !bursts.every(clearOf)) continue;
    if (!stops.every((x) => x.kind === 'light' || x.kind === 'end' || clear(x.s))) continue;
    return { startS, durationS, buffered: rng.chance(0.5) };
  }
  return null;
}
