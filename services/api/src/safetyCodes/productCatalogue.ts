import { isProductEvent, type DgtEvent } from '@dgt/events';
import { productStream, type EventStore } from '@dgt/eventstore';
import {
  foldProducts,
  productKey,
  type ProductEntry,
  type ProductRegisterEvent,
} from '@dgt/safetycodes';

/**
 * A firm's products as its `product-<firmId>` stream says now. Read per scan: a firm has a few
 * dozen products, and a revocation must count from the moment it is recorded, not from a cache's next refresh.
 */
export async function firmProducts(
  store: EventStore,
  firmId: string,
): Promise<ReadonlyMap<string, ProductEntry>> {
  const events: ProductRegisterEvent[] = [];
  for await (const r of store.readStream(productStream(firmId))) {
    const e = r.event as unknown as DgtEvent;
    if (isProductEvent(e)) events.push(e);
  }
  return foldProducts(events);
}

export async function productOf(
  store: EventStore,
  firmId: string,
  productId: string,
): Promise<ProductEntry | undefined> {
  return (await firmProducts(store, firmId)).get(productKey(firmId, productId));
}
