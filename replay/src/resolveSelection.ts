import { epochMs, isoUtc } from '@dgt/events';
import type { ResolvedSelection } from './resolved.ts';
import type { Selection } from './selection.ts';

/** The fields of a consignment event the selection needs, read before validation. */
export interface ConsignmentFact {
  type: string;
  waybillNo: string;
  occurredAt: string;
  vehicleId: string | null;
  carrierId: string | null;
}

export function consignmentFact(raw: Record<string, unknown>): ConsignmentFact | null {
  const data = raw.data as Record<string, unknown> | undefined;
  const waybillNo = data?.waybillNo;
  if (typeof waybillNo !== 'string' || typeof raw.occurredAt !== 'string' || typeof raw.type !== 'string') return null;
  return {
    type: raw.type,
    waybillNo,
    occurredAt: raw.occurredAt,
    vehicleId: typeof data?.vehicleId === 'string' ? data.vehicleId : null,
    carrierId: typeof data?.carrierId === 'string' ? data.carrierId : null,
  };
}

const HOUR_MS = 3_600_000;

function before(at: string, to: string | null): boolean {
  return to === null || epochMs(at) < epochMs(to);
}

function intersect(a: Set<string> | null, b: Set<string>): Set<string> {
  return a === null ? b : new Set([...a].filter((v) => b.has(v)));
}

/**
 * Resolves carrier and waybill criteria from the consignment history, and the window of a
 * waybill (its lifetime: declared, inclusive, to closed or cancelled, exclusive) when the
 * selection gives none. The zone criterion is resolved later, by a scan of the fixes.
 */
export function resolveFromConsignments(selection: Selection, facts: readonly ConsignmentFact[]): { window: ResolvedSelection['window']; vehicles: Set<string> | null } {
  let from = selection.from;
  let to = selection.to;
  let vehicles: Set<string> | null = selection.vehicles.length > 0 ? new Set(selection.vehicles) : null;
  if (selection.waybill !== null) {
    const own = facts.filter((f) => f.waybillNo === selection.waybill);
    if (from === null) from = own[0]?.occurredAt ?? null;
    if (to === null) to = own.find((f) => f.type === 'ConsignmentClosed' || f.type === 'ConsignmentCancelled')?.occurredAt ?? null;
    vehicles = intersect(vehicles, new Set(own.flatMap((f) => (f.type === 'CarriageAssigned' && f.vehicleId !== null ? [f.vehicleId] : []))));
  }
  if (selection.carrier !== null) {
    const carried = facts.filter((f) => f.type === 'CarriageAssigned' && f.carrierId === selection.carrier && before(f.occurredAt, to));
    vehicles = intersect(vehicles, new Set(carried.flatMap((f) => (f.vehicleId === null ? [] : [f.vehicleId]))));
  }
  const fedFrom = from === null ? null : selection.leadInHours === 0 ? from : isoUtc(epochMs(from) - selection.leadInHours * HOUR_MS);
  const fedTo = to === null ? null : selection.leadOutHours === 0 ? to : isoUtc(epochMs(to) + selection.leadOutHours * HOUR_MS);
  return { window: { from, to, fedFrom, fedTo }, vehicles };
}

/** Waybills ever assigned (before `to`) to one of the vehicles; null = all (every vehicle selected). */
export function waybillsOf(vehicles: ReadonlySet<string> | null, facts: readonly ConsignmentFact[], to: string | null): Set<string> | null {
  if (vehicles === null) return null;
  const out = new Set<string>();
  for (const f of facts) if (f.type === 'CarriageAssigned' && f.vehicleId !== null && vehicles.has(f.vehicleId) && before(f.occurredAt, to)) out.add(f.waybillNo);
  return out;
}
