import type { EventStore } from '@dgt/eventstore';
import type { ReadModelStore } from '@dgt/readmodels';
import {
  codeStatus,
  hazardLabel,
  readCode,
  type Keyring,
  type ProductEntry,
} from '@dgt/safetycodes';
import { firmProducts, productOf } from './productCatalogue.ts';
import { vehicleCodeOf } from './vehicleCodes.ts';

export interface ScanSources {
  readonly keys: Keyring;
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
}

/** The unfiltered answer: it may hold more than is public; `publicScan` decides what leaves. */
export type ScanOutcome =
  | { readonly status: 'valid'; readonly view: Record<string, unknown> }
  | { readonly status: 'revoked'; readonly kind: 'product' | 'vehicle' }
  | { readonly status: 'unknown' };

const unknown: ScanOutcome = { status: 'unknown' };
/** Everyone sees every vehicle's goods through its code: the code itself is the authorisation. */
const everyone = { carrierId: null };

function emergencyOf(entry: ProductEntry): Record<string, unknown> {
  return { ...entry.product, sdsUrl: entry.product.sdsUrl ?? null };
}

/**
 * What a scanned code stands for now. Forged, altered and never-minted codes are all `unknown`
 * (one answer, so a prober learns nothing about which check failed); a product's or a vehicle's
 * earlier codes are `revoked`.
 */
export async function resolveScan(
  code: string,
  { keys, store, readModels }: ScanSources,
): Promise<ScanOutcome> {
  const read = readCode(code, keys);
  if (!read.ok) return unknown;
  const subject = read.subject;
  if (subject.kind === 'product') {
    const entry = await productOf(store, subject.firmId, subject.productId);
    if (entry === undefined) return unknown;
    const status = codeStatus(subject.generation, entry.generation);
    if (status === 'unknown') return unknown;
    if (status === 'revoked') return { status: 'revoked', kind: 'product' };
    const p = entry.product;
    return {
      status: 'valid',
      view: {
        kind: 'product',
        status: 'valid',
        product: {
          ...emergencyOf(entry),
          ...p,
          name: p.properShippingName,
          hazardClassName: hazardLabel(p.hazardClass).nameZh,
          packingGroup: p.packingGroup ?? null,
          sdsUrl: p.sdsUrl ?? null,
        },
      },
    };
  }
  const vehicle = await readModels.vehicle(subject.vehicleId, everyone);
  if (vehicle === undefined) return unknown;
  const status = codeStatus(
    subject.generation,
    (await vehicleCodeOf(store, subject.vehicleId)).generation,
  );
  if (status === 'unknown') return unknown;
  if (status === 'revoked') return { status: 'revoked', kind: 'vehicle' };
  const assigned = vehicle.waybillNo !== null && vehicle.goods.length > 0;
  // The consignor's own product registrations give each item its emergency measures and phone.
  const consignment = assigned
    ? await readModels.consignment(vehicle.waybillNo!, everyone)
    : undefined;
  const products =
    consignment === undefined
      ? new Map<string, ProductEntry>()
      : await firmProducts(store, consignment.consignorId);
  const byUnNumber = new Map(
    [...products.values()].map((entry) => [entry.product.unNumber, entry]),
  );
  const goods = assigned
    ? vehicle.goods.map((g) => {
        const entry = byUnNumber.get(g.unNumber.replace(/^UN/i, ''));
        return {
          ...g,
          hazardClassName: hazardLabel(g.hazardClass).nameZh,
          emergency: entry === undefined ? null : emergencyOf(entry),
        };
      })
    : [];
  return {
    status: 'valid',
    view: {
      ...vehicle,
      kind: 'vehicle',
      status: 'valid',
      loadState: !assigned ? 'empty' : vehicle.laden ? 'loaded' : 'assigned',
      goods,
    },
  };
}
