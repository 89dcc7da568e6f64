import type { Consignor, Fleet, Vehicle } from './fleet.ts';
import { productOf } from './fleet.ts';
import { customers, lotNearPark, lots, type NodeId, parks } from './geography.ts';
import type { LadenPlan } from './ladenRoute.ts';
import type { Prng } from './prng.ts';
import type { RoadNetwork, Route } from './roadNetwork.ts';
import type { ZoneInterval } from './routeZones.ts';
import { zoneById } from './ruleZones.ts';

/** One waybill: where the goods are loaded and delivered, by whom, what and how much. */
export interface TripPlan {
  waybillNo: string;
  origin: NodeId;
  destination: NodeId;
  consignor: Consignor;
  unNumber: string;
  quantityKg: number;
  /** The laden part, planned when the waybill is declared (it declares the route). */
  laden?: LadenPlan;
  /** A long empty run to the loading site instead of the direct drive (hops only; pauses are breaks). */
  emptyRun?: LadenPlan;
  /** The route as declared (null: the waybill names none), tolerance in metres. */
  declared?: { toleranceM: number } | null;
}

/** What trip planning needs of a vehicle run. */
export interface Planner {
  rng: Prng;
  network: RoadNetwork;
  fleet: Fleet;
  vehicle: Vehicle;
  intervalsOf(route: Route): readonly ZoneInterval[];
}

/** Deliveries shorter than this are not worth a tanker: a destination is at least this far. */
const MIN_TRIP_M = 8_000;
/** A night run starts from a park within this distance of where the vehicle rests. */
const NIGHT_ORIGIN_MAX_M = 60_000;

/** A day trip: a park near the home lot more often than not, a consignor there shipping what the body carries. */
export function planTrip(p: Planner, from: NodeId, waybillNo: string): TripPlan {
  const pairedPark = Object.entries(lotNearPark).find(([, lot]) => lot === from)?.[0] as NodeId | undefined;
  const origin: NodeId = pairedPark !== undefined && p.rng.chance(0.6) ? pairedPark : p.rng.pick(parks).id;
  const destinations = [...parks, ...customers].filter((s) => s.id !== origin && p.network.route(origin, s.id).lengthM >= MIN_TRIP_M);
  return cargo(p, waybillNo, origin, p.rng.pick(destinations).id);
}

/**
 * An early-morning run whose laden route crosses a segment with banned hours: loaded in the night
 * and driven through before the ban lifts at dawn — or after, if loading took long. Whether it
 * breaks the ban depends on the goods (the ban lists classes) and the hour; the truth decides.
 * Null when no park within reach ships anything this body carries along such a route.
 */
export function planNightTrip(p: Planner, from: NodeId, waybillNo: string): TripPlan | null {
  const body = p.vehicle.body;
  const pairs: [NodeId, NodeId][] = [];
  for (const park of parks) {
    if (!shipsFor(p.fleet, park.id, body) || p.network.route(from, park.id).lengthM > NIGHT_ORIGIN_MAX_M) continue;
    for (const d of [...parks, ...customers]) {
      if (d.id === park.id) continue;
      const route = p.network.route(park.id, d.id, { avoidRestricted: true });
      if (route.lengthM < MIN_TRIP_M) continue;
      if (p.intervalsOf(route).some((iv) => zoneById(iv.zoneId).rules?.bannedHours !== undefined)) pairs.push([park.id, d.id]);
    }
  }
  if (pairs.length === 0) return null;
  const [origin, destination] = p.rng.pick(pairs);
  return cargo(p, waybillNo, origin, destination);
}

function shipsFor(fleet: Fleet, parkId: NodeId, body: Vehicle['body']): boolean {
  return fleet.consignors.some((c) => c.parkId === parkId && c.unNumbers.some((u) => productOf(u).body === body));
}

function cargo(p: Planner, waybillNo: string, origin: NodeId, destination: NodeId): TripPlan {
  const body = p.vehicle.body;
  const candidates = p.fleet.consignors.filter((c) => c.parkId === origin && c.unNumbers.some((u) => productOf(u).body === body));
  const consignor = p.rng.pick(candidates);
  const product = productOf(p.rng.pick(consignor.unNumbers.filter((u) => productOf(u).body === body)));
  const quantityKg = Math.round((p.vehicle.capacityKg * p.rng.range(0.7, 1)) / 100) * 100;
  return { waybillNo, origin, destination, consignor, unNumber: product.unNumber, quantityKg };
}

/** A dedicated lot that costs at most 60 % more distance than driving straight, if any. */
export function lotOnTheWay(network: RoadNetwork, from: NodeId, to: NodeId, directM: number): NodeId | null {
  let best: NodeId | null = null;
  let bestM = Infinity;
  for (const lot of lots) {
    const m = network.route(from, lot.id, { avoidRestricted: true }).lengthM + network.route(lot.id, to, { avoidRestricted: true }).lengthM;
    if (m < bestM) [best, bestM] = [lot.id, m];
  }
  return bestM <= directM * 1.6 ? best : null;
}

/** The home lot when it is near, else the nearest lot. */
export function restLot(network: RoadNetwork, vehicle: Vehicle, node: NodeId): NodeId {
  const home = vehicle.homeLotId;
  if (node === home || network.route(node, home).lengthM <= 50_000) return home;
  let best: NodeId = home;
  let bestM = Infinity;
  for (const lot of lots) {
    const m = network.route(node, lot.id).lengthM;
    if (m < bestM) [best, bestM] = [lot.id, m];
  }
  return best;
}
