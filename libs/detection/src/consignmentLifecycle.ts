import type { ConsignmentEvent, DeclaredRoute, GoodsItem } from '@dgt/events';

/**
 * A declared route as the engine keeps it: the path flat (lon, lat, lon, lat, …, as declared, in
 * its datum). One array of numbers instead of an array per point: a fleet keeps thousands, and a
 * point as its own array costs four times as much.
 */
export interface StoredRoute {
  flatPath: number[];
  toleranceM?: number;
  datum?: NonNullable<DeclaredRoute['datum']>;
}
import type { RejectionCode } from './rejection.ts';

export type ConsignmentStatus = 'declared' | 'assigned' | 'loaded' | 'unloaded' | 'closed' | 'cancelled';

export interface Site {
  name: string;
  lon: number;
  lat: number;
}

export interface Consignment {
  waybillNo: string;
  status: ConsignmentStatus;
  consignorId: string;
  goods: readonly GoodsItem[];
  origin: Site;
  destination: Site;
  carrierId?: string;
  vehicleId?: string;
  driverId?: string;
  escortId?: string;
  /** The route declared on the waybill (datum and all); a laden vehicle leaving it deviates. */
  route?: StoredRoute;
  /** Event that made the vehicle laden; cited as evidence. */
  loadingEventId?: string;
  /** occurredAt of each step, for the consignment read model. */
  timeline: Readonly<Partial<Record<ConsignmentStatus, string>>>;
}

export type LifecycleDecision =
  | { ok: true; consignment: Consignment }
  | { ok: false; code: RejectionCode; reason: string };

/** Who is laden with what, as far as the lifecycle needs to know. */
export type LadenLookup = (vehicleId: string) => string | undefined;

function reject(code: RejectionCode, reason: string): LifecycleDecision {
  return { ok: false, code, reason };
}

function step(c: Consignment, status: ConsignmentStatus, at: string, patch: Partial<Consignment> = {}): LifecycleDecision {
  return { ok: true, consignment: { ...c, ...patch, status, timeline: { ...c.timeline, [status]: at } } };
}

/**
 * 托运 → 承运 → 装 → 卸 → closed, or cancelled before loading. Any other order is refused with
 * a reason and leaves the consignment as it was.
 */
export function decideConsignment(
  current: Consignment | undefined,
  event: ConsignmentEvent,
  ladenWith: LadenLookup,
): LifecycleDecision {
  const at = event.occurredAt;
  if (event.type === 'ConsignmentDeclared') {
    if (current) return reject('WAYBILL_EXISTS', `waybill ${current.waybillNo} was already declared`);
    const d = event.data;
    return {
      ok: true,
      consignment: {
        waybillNo: d.waybillNo,
        status: 'declared',
        consignorId: d.consignorId,
        goods: d.goods,
        origin: { name: d.origin.name, lon: d.origin.lon, lat: d.origin.lat },
        destination: { name: d.destination.name, lon: d.destination.lon, lat: d.destination.lat },
        ...(d.route === undefined ? {} : { route: routeOf(d.route) }),
        timeline: { declared: at },
      },
    };
  }
  if (!current) return reject('WAYBILL_UNKNOWN', `waybill ${event.data.waybillNo} has not been declared`);
  const from = current.status;
  switch (event.type) {
    case 'CarriageAssigned': {
      // Reassignment before loading is normal (a truck breaks down); after loading it is not.
      if (from !== 'declared' && from !== 'assigned') return transition(from, 'assigned');
      const { carrierId, vehicleId, driverId, escortId } = event.data;
      return step(current, 'assigned', at, { carrierId, vehicleId, driverId, escortId });
    }
    case 'LoadingCompleted': {
      if (from !== 'assigned') return transition(from, 'loaded');
      if (event.data.vehicleId !== current.vehicleId) {
        return reject('VEHICLE_MISMATCH', `waybill ${current.waybillNo} is assigned to vehicle ${current.vehicleId}, not ${event.data.vehicleId}`);
      }
      const other = ladenWith(event.data.vehicleId);
      if (other !== undefined) {
        return reject('VEHICLE_ALREADY_LADEN', `vehicle ${event.data.vehicleId} is still laden with waybill ${other} (one waybill per vehicle per trip)`);
      }
      return step(current, 'loaded', at, { loadingEventId: event.eventId });
    }
    case 'UnloadingCompleted': {
      if (from !== 'loaded') return transition(from, 'unloaded');
      if (event.data.vehicleId !== current.vehicleId) {
        return reject('VEHICLE_MISMATCH', `waybill ${current.waybillNo} is loaded on vehicle ${current.vehicleId}, not ${event.data.vehicleId}`);
      }
      return step(current, 'unloaded', at);
    }
    case 'ConsignmentClosed':
      return from === 'unloaded' ? step(current, 'closed', at) : transition(from, 'closed');
    case 'ConsignmentCancelled':
      // Goods on a truck cannot be cancelled away: they must be unloaded first.
      return from === 'declared' || from === 'assigned' ? step(current, 'cancelled', at) : transition(from, 'cancelled');
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

function transition(from: ConsignmentStatus, to: ConsignmentStatus): LifecycleDecision {
  return reject('INVALID_TRANSITION', `cannot go from ${from} to ${to}`);
}

/** Only the route's own fields (loose extras of the event stay out of saved state), the path flat. */
function routeOf(r: DeclaredRoute): StoredRoute {
  const route: StoredRoute = { flatPath: r.path.flatMap(([lon, lat]) => [lon, lat]) };
  if (r.toleranceM !== undefined) route.toleranceM = r.toleranceM;
  if (r.datum !== undefined) route.datum = r.datum;
  return route;
}
