import { DEFAULT_ROUTE_TOLERANCE_M } from '@dgt/events';
import { RouteCorridor } from '@dgt/geo';
import type { Consignment } from './consignmentLifecycle.ts';
import { compareKeys } from './engineState.ts';

/*
 * Which waybills each vehicle is on (assigned or laden: offline applies to those vehicles only),
 * which routed waybill it is laden with, and that route's prepared corridor. Derived from the
 * consignments alone, so it is rebuilt on restore and never saved.
 */
export class ActiveWaybills {
  /** Vehicle → its waybills assigned or loaded. */
  private readonly active = new Map<string, Set<string>>();
  /** Vehicle → the waybill that declares a route it is laden with. */
  private readonly routedLaden = new Map<string, string>();
  /** Prepared routes of routed waybills under way, built on first use. */
  private readonly corridors = new Map<string, RouteCorridor>();
  /** Bumped whenever `routedLaden` changes: a vehicle's cached route is good while it matches. */
  generation = 0;

  /** Keeps the maps in step with a consignment going from `before` to `after`. */
  note(before: Consignment | undefined, after: Consignment): void {
    if (isActive(before)) {
      const set = this.active.get(before.vehicleId);
      set?.delete(before.waybillNo);
      if (set?.size === 0) this.active.delete(before.vehicleId);
      if (this.routedLaden.get(before.vehicleId) === before.waybillNo) this.routedLaden.delete(before.vehicleId);
      this.corridors.delete(before.waybillNo);
      this.generation++;
    }
    if (isActive(after)) {
      let set = this.active.get(after.vehicleId);
      if (set === undefined) this.active.set(after.vehicleId, (set = new Set()));
      set.add(after.waybillNo);
      if (after.status === 'loaded' && after.route !== undefined) this.routedLaden.set(after.vehicleId, after.waybillNo);
      this.generation++;
    }
  }

  has(vehicleId: string): boolean {
    return this.active.has(vehicleId);
  }

  /** The first of the vehicle's active waybills by id (a restore names the same one). */
  firstOf(vehicleId: string): string | undefined {
    const set = this.active.get(vehicleId);
    return set === undefined ? undefined : [...set].sort(compareKeys)[0];
  }

  /** The routed waybill the vehicle is laden with, if any. */
  routedWaybillOf(vehicleId: string): string | undefined {
    return this.routedLaden.size === 0 ? undefined : this.routedLaden.get(vehicleId);
  }

  /** The prepared route of a routed waybill (built on first use after loading or a restart). */
  corridorOf(waybill: Consignment | undefined): RouteCorridor | undefined {
    const route = waybill?.route;
    if (waybill === undefined || route === undefined) return undefined;
    let corridor = this.corridors.get(waybill.waybillNo);
    if (corridor === undefined) {
      const path: [number, number][] = [];
      for (let i = 0; i + 1 < route.flatPath.length; i += 2) path.push([route.flatPath[i] as number, route.flatPath[i + 1] as number]);
      corridor = new RouteCorridor(path, route.toleranceM ?? DEFAULT_ROUTE_TOLERANCE_M, route.datum ?? 'WGS84');
      this.corridors.set(waybill.waybillNo, corridor);
    }
    return corridor;
  }
}

function isActive(c: Consignment | undefined): c is Consignment & { vehicleId: string } {
  return c !== undefined && c.vehicleId !== undefined && (c.status === 'assigned' || c.status === 'loaded');
}
