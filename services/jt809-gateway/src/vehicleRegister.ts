import { plateKey } from '@dgt/events';

/**
 * What the gateway needs of the register (VehicleRegistered / VehicleTransferred): which vehicle
 * holds a plate, who owned it when, and its terminal's SIM if recorded. A platform may publish a
 * vehicle only while it belongs to one of the platform's carriers.
 */
export interface RegisteredVehicle {
  readonly vehicleId: string;
  readonly plateNo: string;
  /** Owners over [from, to) in epoch ms, oldest first; the first `from` and last `to` may be open (null). */
  readonly periods: readonly { readonly carrierId: string; readonly fromMs: number | null; readonly toMs: number | null }[];
  /** The registered JT/T 808 terminal phone (digits), if the register has one. */
  readonly terminalPhone?: string | undefined;
}

export interface VehicleRegister {
  /** The registered vehicle whose plate has this `plateKey` (@dgt/events). Synchronous: it is on every fix's path. */
  byPlateKey(plateKey: string): RegisteredVehicle | undefined;
  readonly size: number;
  /**
   * A register that may lag its source (the live one): brings its copy up to date if the source
   * changed since (rate-limited), resolving when done. The gateway waits for it before refusing a
   * fix of a plate it does not know, so a vehicle registered a moment ago is not refused.
   */
  settle?(): Promise<void>;
}

/** A register entry as configured (`JT809_VEHICLES_FILE`) or built by tests: one owner, no transfers. */
export interface VehicleEntry {
  readonly vehicleId: string;
  readonly plateNo: string;
  readonly carrierId: string;
  readonly terminalPhone?: string | undefined;
}

export class VehicleRegisterError extends Error {
  override readonly name = 'VehicleRegisterError';
}

/** The carrier owning the vehicle at `atMs`, if any period covers it. */
export function ownerAt(vehicle: RegisteredVehicle, atMs: number): string | undefined {
  for (const p of vehicle.periods) if ((p.fromMs === null || p.fromMs <= atMs) && (p.toMs === null || atMs < p.toMs)) return p.carrierId;
  return undefined;
}

/** An in-memory register; plates must be plates (`plateKey`) and unique, as the real register keeps them. */
export function createVehicleRegister(vehicles: readonly (VehicleEntry | RegisteredVehicle)[]): VehicleRegister {
  const byKey = new Map<string, RegisteredVehicle>();
  const ids = new Set<string>();
  vehicles.forEach((v, i) => {
    const key = plateKey(v.plateNo);
    if (key === null) throw new VehicleRegisterError(`${i}.plateNo: ${JSON.stringify(v.plateNo)} is not a plate like 浙J·12345`);
    if (byKey.has(key)) throw new VehicleRegisterError(`${i}.plateNo: ${v.plateNo} is registered twice`);
    if (ids.has(v.vehicleId)) throw new VehicleRegisterError(`${i}.vehicleId: ${v.vehicleId} is registered twice`);
    ids.add(v.vehicleId);
    const registered: RegisteredVehicle =
      'periods' in v ? v : { vehicleId: v.vehicleId, plateNo: v.plateNo, periods: [{ carrierId: v.carrierId, fromMs: null, toMs: null }], terminalPhone: v.terminalPhone };
    byKey.set(key, registered);
  });
  return { byPlateKey: (key) => byKey.get(key), size: byKey.size };
}
