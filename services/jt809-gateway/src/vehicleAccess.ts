import { plateKey } from '@dgt/events';
import type { PlatformAccount } from './platformAccounts.ts';
import type { RegisteredVehicle, VehicleRegister } from './vehicleRegister.ts';
import { ownerAt } from './vehicleRegister.ts';

/** Why a platform may not report a vehicle: no registered vehicle holds the plate, or it belonged to a carrier the platform does not speak for. */
export type VehicleRefusal = 'unknown-vehicle' | 'other-carrier';

export type VehicleAccess =
  | { readonly ok: true; readonly vehicle: RegisteredVehicle }
  | { readonly ok: false; readonly reason: VehicleRefusal; readonly vehicle: RegisteredVehicle | undefined; readonly carrierId: string | undefined };

// A platform repeats the same few thousand plates all day; their canonical spelling is remembered (bounded).
const MAX_CACHED_PLATES = 65_536;

/**
 * A platform speaks only for its carriers' vehicles, and only for the time they were theirs: a fix
 * of a vehicle transferred away counts against the carrier owning it when the fix was taken.
 */
export class VehicleGate {
  private readonly keys = new Map<string, string | null>();

  constructor(private readonly register: VehicleRegister) {}

  /** True when the register may lag its source, so an unknown plate is worth a `settle` before refusing. */
  get canSettle(): boolean {
    return this.register.settle !== undefined;
  }

  /** See `VehicleRegister.settle`; resolves at once for a register that cannot lag. */
  settle(): Promise<void> {
    return this.register.settle?.() ?? Promise.resolve();
  }

  check(account: PlatformAccount, plate: string, atMs: number): VehicleAccess {
    let key = this.keys.get(plate);
    if (key === undefined) {
      key = plateKey(plate);
      if (this.keys.size >= MAX_CACHED_PLATES) this.keys.clear();
      this.keys.set(plate, key);
    }
    const vehicle = key === null ? undefined : this.register.byPlateKey(key);
    if (vehicle === undefined) return { ok: false, reason: 'unknown-vehicle', vehicle: undefined, carrierId: undefined };
    const carrierId = ownerAt(vehicle, atMs);
    if (carrierId === undefined || !account.carriers.has(carrierId)) return { ok: false, reason: 'other-carrier', vehicle, carrierId };
    return { ok: true, vehicle };
  }
}
