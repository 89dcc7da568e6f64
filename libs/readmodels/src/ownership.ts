import { epochMs } from '@dgt/events';
import type { Scope } from './port.ts';
import type { ConsignmentView, OwnershipPeriod, VehicleRegistration } from './views.ts';

/*
 * Ownership periods: a carrier sees a vehicle's track, violations, advisories and consignments only for the
 * time it owned the vehicle. Pure functions shared by the adapters (so both apply the same rule),
 * the projector and the API's track route.
 */

/** [fromMs, toMs) of a period; the first starts at -Infinity, the current one ends at +Infinity. */
export function periodBounds(p: OwnershipPeriod): { fromMs: number; toMs: number } {
  return { fromMs: p.from === null ? -Infinity : epochMs(p.from), toMs: p.to === null ? Infinity : epochMs(p.to) };
}

/** Who owned the vehicle at `ms`. Periods cover all time, so a registered vehicle always has one. */
export function ownerAt(registration: VehicleRegistration, ms: number): string {
  const periods = registration.periods;
  for (let i = periods.length - 1; i > 0; i--) {
    const p = periods[i]!;
    if (ms >= periodBounds(p).fromMs) return p.carrierId;
  }
  return periods[0]!.carrierId;
}

export function currentOwner(registration: VehicleRegistration): string {
  return registration.periods[registration.periods.length - 1]!.carrierId;
}

/** The periods `carrierId` owned the vehicle, as [fromMs, toMs) (empty: it never did). */
export function periodsOf(registration: VehicleRegistration, carrierId: string): { fromMs: number; toMs: number }[] {
  return registration.periods.filter((p) => p.carrierId === carrierId).map(periodBounds).filter((b) => b.fromMs < b.toMs);
}

/**
 * The violation (or advisory) as the register says: seen by the owner of its vehicle when it
 * started. An unregistered vehicle (`registration` undefined) keeps the carrier the projector gave
 * it. Returns the same object when nothing changes.
 */
export function ownedOccurrence<T extends { readonly carrierId: string | null; readonly startedAt: string }>(view: T, registration: VehicleRegistration | undefined): T {
  if (registration === undefined) return view;
  const owner = ownerAt(registration, epochMs(view.startedAt));
  return owner === view.carrierId ? view : { ...view, carrierId: owner };
}

/**
 * A carrier sees a consignment when it is the carrier assigned to it AND, if the vehicle is
 * registered, it owned that vehicle when the carriage was assigned: a waybill of another carrier
 * is never shown, nor one on a vehicle the carrier did not own then (its plate, its trip).
 * Bureau and enforcement see every consignment.
 */
export function consignmentVisibleTo(scope: Scope, row: ConsignmentView, registration: VehicleRegistration | undefined): boolean {
  if (scope.carrierId === null) return true;
  if (row.carrierId !== scope.carrierId) return false;
  if (row.vehicleId === null || registration === undefined) return true;
  const assigned = row.timeline.assigned;
  if (assigned === null) return false;
  return ownerAt(registration, epochMs(assigned)) === scope.carrierId;
}
