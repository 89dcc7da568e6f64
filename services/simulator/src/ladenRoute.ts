import { customers, type LonLat, lots, type NodeId, parks } from './geography.ts';
import { toLonLat } from './planar.ts';
import type { Route } from './roadNetwork.ts';
import type { ScenarioProfile } from './profile.ts';
import { round6 } from './terminal.ts';
import { lotOnTheWay, type Planner, type TripPlan } from './tripPlanning.ts';

/*
 * The laden part of a trip, planned when the waybill is declared (the electronic waybill names the
 * route): one leg straight to the destination (the lawful road, or a shortcut through a restricted
 * area), via a dedicated lot with a rest, or — on a long-run day — a chain of long hops past the
 * four hours of driving a driver may do without a rest, sometimes with a proper rest halfway.
 */

/** A stay at the end of a hop: in a dedicated lot, terminal on or off in place. */
export interface Pause {
  minutes: number;
  terminalOff: boolean;
}

export interface LadenHop {
  route: Route;
  /** Whether roadside stops may be injected on it (not on long runs: their breaks are planned). */
  inject: boolean;
  pause: Pause | null;
}

export interface LadenPlan {
  hops: LadenHop[];
  /** The planned road path (WGS-84), what the waybill declares. */
  path: LonLat[];
  /** A long run meant to go past `fatigueAfterS` without a rest (rested: with one halfway). */
  longRun: 'none' | 'unrested' | 'rested';
  shortcut: boolean;
}

const sites: readonly NodeId[] = [...parks, ...lots, ...customers].map((s) => s.id);
const lotIds: readonly NodeId[] = lots.map((l) => l.id);

/**
 * The ordinary laden plan: the lawful route, unless this driver takes the fastest one through a
 * restricted area, or rests in a lot on the way.
 */
export function ordinaryLadenPlan(p: Planner, scenario: ScenarioProfile, plan: TripPlan): LadenPlan {
  const net = p.network;
  const lawful = net.route(plan.origin, plan.destination, { avoidRestricted: true });
  const restLot = p.rng.chance(scenario.ladenLotRestPerLadenLeg) ? lotOnTheWay(net, plan.origin, plan.destination, lawful.lengthM) : null;
  if (restLot !== null) {
    const hops: LadenHop[] = [
      { route: net.route(plan.origin, restLot, { avoidRestricted: true }), inject: false, pause: { minutes: p.rng.int(20, 45), terminalOff: false } },
      { route: net.route(restLot, plan.destination, { avoidRestricted: true }), inject: true, pause: null },
    ];
    return { hops, path: pathOf(hops), longRun: 'none', shortcut: false };
  }
  const fastest = net.route(plan.origin, plan.destination);
  const shortcut = fastest.throughRestricted.length > 0 && p.rng.chance(scenario.restrictedShortcutPerLadenLeg);
  const hops: LadenHop[] = [{ route: shortcut ? fastest : lawful, inject: true, pause: null }];
  return { hops, path: pathOf(hops), longRun: 'none', shortcut };
}

/**
 * A long run: hops of 25 km or more through other sites, about `longRunKm` in all, ending at the
 * destination; halfway, a stay in a dedicated lot — a break of 5–15 min (no rest), or, when
 * `rested`, a rest of 25–45 min (half of them with the terminal off in place). Null when the
 * network offers no such chain from here.
 */
export function longRunPlan(p: Planner, scenario: ScenarioProfile, plan: TripPlan, rested: boolean): LadenPlan | null {
  const net = p.network;
  const rng = p.rng;
  const targetM = scenario.longRunKm * 1000;
  const hop = (a: NodeId, b: NodeId) => net.route(a, b, { avoidRestricted: true });
  const farFrom = (a: NodeId, avoid: NodeId) => sites.filter((s) => s !== a && s !== avoid && hop(a, s).lengthM >= 25_000);
  const hops: LadenHop[] = [];
  let at: NodeId = plan.origin;
  let total = 0;
  // First half: far sites, then the lot of the halfway stay.
  while (total < targetM / 2 - 20_000) {
    const next = farFrom(at, plan.destination);
    if (next.length === 0) return null;
    const to = rng.pick(next);
    const route = hop(at, to);
    hops.push({ route, inject: false, pause: null });
    total += route.lengthM;
    at = to;
  }
  const lot = rng.pick(lotIds.filter((l) => l !== at));
  const toLot = hop(at, lot);
  const terminalOff = rested && rng.chance(0.5);
  const pause: Pause = rested ? { minutes: rng.int(25, 45), terminalOff } : { minutes: rng.int(5, 15), terminalOff: false };
  hops.push({ route: toLot, inject: false, pause });
  total += toLot.lengthM;
  at = lot;
  // Second half: far sites until the remaining hop to the destination completes the run.
  for (let guard = 0; total + hop(at, plan.destination).lengthM < targetM && guard < 8; guard++) {
    const next = farFrom(at, plan.destination);
    if (next.length === 0) break;
    const to = rng.pick(next);
    const route = hop(at, to);
    hops.push({ route, inject: false, pause: null });
    total += route.lengthM;
    at = to;
  }
  if (at !== plan.destination) hops.push({ route: hop(at, plan.destination), inject: false, pause: null });
  return { hops, path: pathOf(hops), longRun: rested ? 'rested' : 'unrested', shortcut: false };
}

/** The hops' polylines end to end, as WGS-84 to the 6th decimal (the joints once). */
function pathOf(hops: readonly LadenHop[]): LonLat[] {
  const out: LonLat[] = [];
  for (const { route } of hops) {
    for (let i = 0; i < route.xs.length; i++) {
      const [lon, lat] = toLonLat(route.xs[i]!, route.ys[i]!);
      const p: LonLat = [round6(lon), round6(lat)];
      const last = out[out.length - 1];
      if (last !== undefined && last[0] === p[0] && last[1] === p[1]) continue;
      out.push(p);
    }
  }
  return out;
}
