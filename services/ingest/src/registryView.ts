import { openSqliteReadModelStore, type ReadModelStore, type VehicleRegistration } from '@dgt/readmodels';

/**
 * What the gateway asks the register to check an item against the key that posts it: who owns
 * a vehicle (and owned it when), which vehicle holds a plate, whose a waybill is.
 *
 * It reads the projector's read models, so it lags the record by a moment (the projector's flush
 * interval, ~150 ms live): a vehicle registered, or a waybill assigned, in one request is known to
 * the next one only once projected; the gateway remembers what it accepted lately to cover that
 * (see `RecentWaybills`), and the projector, which sees the whole record, stays the arbiter.
 */
export interface RegistryView {
  /** Plate and ownership periods of a registered vehicle; undefined when it is not registered. */
  vehicle(vehicleId: string): Promise<VehicleRegistration | undefined>;
  /** The registered vehicle whose plate has this `plateKey`, if any. */
  plateHolder(plateKey: string): Promise<string | undefined>;
  /** A waybill's carrier: `null` when declared but not assigned yet, undefined when unknown. */
  waybillCarrier(waybillNo: string): Promise<string | null | undefined>;
}

const ALL = { carrierId: null } as const;

/** The view over a read-model store: the stack's own, or the projector's SQLite file opened read-only. */
export function readModelRegistryView(store: ReadModelStore): RegistryView {
  return {
    vehicle: (vehicleId) => store.registration(vehicleId),
    plateHolder: async (plateKey) => (await store.registrationByPlate(plateKey))?.vehicleId,
    waybillCarrier: async (waybillNo) => {
      const row = await store.consignment(waybillNo, ALL);
      return row === undefined ? undefined : row.carrierId;
    },
  };
}

/** Keys that make the gateway consult the register: registry keys and carrier-scoped ingest keys. */
export function keysNeedRegistryView(keys: readonly { readonly role: string }[]): boolean {
  return keys.some((k) => k.role === 'registry' || k.role.startsWith('ingest:'));
}

/**
 * A standalone gateway's view: the projector's SQLite read models (`DGT_READMODELS_PATH`),
 * opened read-only. The file must exist: start the projector first.
 */
export async function openRegistryView(path: string): Promise<{ view: RegistryView; close: () => Promise<void> }> {
  const store = await openSqliteReadModelStore({ path, readonly: true });
  return { view: readModelRegistryView(store), close: () => store.close() };
}
