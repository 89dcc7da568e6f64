import { epochMs, safeParseEvent } from '@dgt/events';
import { z } from 'zod';

/*
 * Who the vehicles and carriers of a report are, as the register records them: plates and
 * carrier names. The register is not fed to the engine (detection does not depend on it) and
 * so is not part of the evidence digest; it labels what the digested events name by id. An
 * export carries these facts in its header, so its replay labels the report as the store did.
 */

export const registeredVehicle = z.strictObject({
  vehicleId: z.string(),
  plateNo: z.string(),
  /** The registered owner at the end of the window (after the transfers effective before it). */
  carrierId: z.string(),
});

export const registeredCarrier = z.strictObject({
  carrierId: z.string(),
  name: z.string(),
  licenceNo: z.string().nullable(),
});

export const registryFactsSchema = z.strictObject({
  vehicles: z.array(registeredVehicle),
  carriers: z.array(registeredCarrier),
});

export type RegisteredVehicle = z.infer<typeof registeredVehicle>;
export type RegisteredCarrier = z.infer<typeof registeredCarrier>;
export type RegistryFacts = z.infer<typeof registryFactsSchema>;

export const emptyRegistry: RegistryFacts = { vehicles: [], carriers: [] };

const byId = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/**
 * Folds register events (in store order) into facts. A transfer counts when it took effect
 * before `until` (the window's end; null = every transfer). `vehicles`: only those (null = all).
 */
export function registryFromEvents(events: Iterable<unknown>, until: string | null, vehicles: ReadonlySet<string> | null): RegistryFacts {
  const untilMs = until === null ? null : epochMs(until);
  const v = new Map<string, RegisteredVehicle>();
  const c = new Map<string, RegisteredCarrier>();
  for (const raw of events) {
    const parsed = safeParseEvent(raw);
    if (!parsed.ok) continue;
    const e = parsed.event;
    if (e.type === 'CarrierRegistered') c.set(e.data.carrierId, { carrierId: e.data.carrierId, name: e.data.name, licenceNo: e.data.licenceNo ?? null });
    else if (e.type === 'VehicleRegistered') {
      if (vehicles === null || vehicles.has(e.data.vehicleId)) v.set(e.data.vehicleId, { vehicleId: e.data.vehicleId, plateNo: e.data.plateNo, carrierId: e.data.carrierId });
    } else if (e.type === 'VehicleTransferred') {
      const known = v.get(e.data.vehicleId);
      if (known && (untilMs === null || epochMs(e.data.effectiveAt) < untilMs)) known.carrierId = e.data.toCarrierId;
    }
  }
  return { vehicles: [...v.values()].sort(byId((x) => x.vehicleId)), carriers: [...c.values()].sort(byId((x) => x.carrierId)) };
}
