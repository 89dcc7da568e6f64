import { epochMs } from '@dgt/events';
import { ownerAt, type VehicleRegistration } from '@dgt/readmodels';
import { AppError } from '@dgt/http';
import type { RecentWaybills } from './recentWaybills.ts';
import type { RegistryView } from './registryView.ts';

/**
 * The register as one batch's checks see it: the view (each entry asked once per batch), with
 * what earlier items of the same batch were accepted to change on top — a vehicle registered at
 * index 3 is known at index 4. Changes apply in item order; the projector, folding the whole
 * record in time order, has the last word.
 */
export class BatchRegister {
  readonly #vehicles = new Map<string, VehicleRegistration | undefined>();
  readonly #plates = new Map<string, string | undefined>();
  readonly #waybills = new Map<string, string | null | undefined>();
  /** Waybills declared in this batch, by the carrier whose key declared them. */
  readonly #declared = new Map<string, string>();

  constructor(
    private readonly view: RegistryView,
    private readonly recent: RecentWaybills,
    private readonly nowMs: number,
  ) {}

  async vehicle(vehicleId: string): Promise<VehicleRegistration | undefined> {
    if (!this.#vehicles.has(vehicleId)) this.#vehicles.set(vehicleId, await ask(() => this.view.vehicle(vehicleId)));
    return this.#vehicles.get(vehicleId);
  }

  /** Who owned the vehicle at `iso`; undefined when it is not registered. */
  async ownerAt(vehicleId: string, iso: string): Promise<string | undefined> {
    const r = await this.vehicle(vehicleId);
    return r === undefined ? undefined : ownerAt(r, epochMs(iso));
  }

  async plateHolder(plateKey: string): Promise<string | undefined> {
    if (!this.#plates.has(plateKey)) this.#plates.set(plateKey, await ask(() => this.view.plateHolder(plateKey)));
    return this.#plates.get(plateKey);
  }

  /** The waybill's carrier: a fresh assignment accepted here first, then the read models. */
  async waybillCarrier(waybillNo: string): Promise<string | null | undefined> {
    if (!this.#waybills.has(waybillNo)) {
      const recent = this.recent.assignedTo(waybillNo, this.nowMs);
      this.#waybills.set(waybillNo, recent ?? (await ask(() => this.view.waybillCarrier(waybillNo))));
    }
    return this.#waybills.get(waybillNo);
  }

  /** The carrier whose key declared this waybill without a carrier yet: in this batch, or lately here. */
  declaredBy(waybillNo: string): string | undefined {
    return this.#declared.get(waybillNo) ?? this.recent.declaredBy(waybillNo);
  }

  registered(vehicleId: string, carrierId: string, plateNo: string, plateKey: string): void {
    const before = this.#vehicles.get(vehicleId);
    this.#vehicles.set(vehicleId, before === undefined ? { vehicleId, plateNo, plateKey, periods: [{ carrierId, from: null, to: null }] } : { ...before, plateNo, plateKey });
    this.#plates.set(plateKey, vehicleId);
  }

  /** A transfer at the end of the vehicle's history extends it; one back-dated into it is left to the projector. */
  transferred(vehicleId: string, toCarrierId: string, effectiveAt: string): void {
    const r = this.#vehicles.get(vehicleId);
    if (r === undefined) return;
    const last = r.periods[r.periods.length - 1]!;
    if (last.from !== null && epochMs(effectiveAt) < epochMs(last.from)) return;
    const periods = [...r.periods.slice(0, -1), { ...last, to: effectiveAt }, { carrierId: toCarrierId, from: effectiveAt, to: null }];
    this.#vehicles.set(vehicleId, { ...r, periods });
  }

  declared(waybillNo: string, carrierId: string): void {
    if (!this.#waybills.has(waybillNo) || this.#waybills.get(waybillNo) === undefined) this.#waybills.set(waybillNo, null);
    this.#declared.set(waybillNo, carrierId);
  }

  assigned(waybillNo: string, carrierId: string): void {
    this.#waybills.set(waybillNo, carrierId);
  }
}

/** The read models did not answer: nothing of the batch is published, the client retries it. */
async function ask<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new AppError('UNAVAILABLE', 'the register could not be read to check the batch; nothing of it was published: retry the whole batch', undefined, { retryAfterSeconds: 5, cause: error });
  }
}
