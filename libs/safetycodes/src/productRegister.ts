import type { ProductCodeRevokedData, ProductRegisteredData } from '@dgt/events';

/** The product events this register folds (the store's envelopes, already validated). */
export type ProductRegisterEvent =
  | {
      readonly type: 'ProductRegistered';
      readonly occurredAt: string;
      readonly data: ProductRegisteredData;
    }
  | {
      readonly type: 'ProductCodeRevoked';
      readonly occurredAt: string;
      readonly data: ProductCodeRevokedData;
    };

export interface ProductEntry {
  /** The latest registration: a firm updates its product by registering it again. */
  readonly product: ProductRegisteredData;
  /** The generation of the code in use: revocations so far, plus one. */
  readonly generation: number;
  /** When the code in use was made current (the last revocation), or null for the first code. */
  readonly lastRevokedAt: string | null;
}

const keyOf = (firmId: string, productId: string): string => `${firmId}/${productId}`;

/**
 * A firm's products, folded from its `product-<firmId>` stream in record order. A revocation
 * of a product not (yet) registered still counts, so a code revoked before the product's
 * registration arrived never comes back to life.
 */
export function foldProducts(
  events: Iterable<ProductRegisterEvent>,
): ReadonlyMap<string, ProductEntry> {
  const products = new Map<
    string,
    { product: ProductRegisteredData | null; generation: number; lastRevokedAt: string | null }
  >();
  for (const e of events) {
    const key = keyOf(e.data.firmId, e.data.productId);
    const entry = products.get(key) ?? { product: null, generation: 1, lastRevokedAt: null };
    if (e.type === 'ProductRegistered') entry.product = e.data;
    else {
      entry.generation += 1;
      entry.lastRevokedAt = e.occurredAt;
    }
    products.set(key, entry);
  }
  const registered = new Map<string, ProductEntry>();
  for (const [key, entry] of products) {
    if (entry.product !== null)
      registered.set(key, {
        product: entry.product,
        generation: entry.generation,
        lastRevokedAt: entry.lastRevokedAt,
      });
  }
  return registered;
}

export function productKey(firmId: string, productId: string): string {
  return keyOf(firmId, productId);
}

/**
 * What a verified code's generation means against the subject's current one: the code in use
 * (`valid`), an earlier, revoked one (`revoked`), or one never minted (`unknown`: only a key
 * holder could have signed it, so it is treated like any code we do not know).
 */
export function codeStatus(
  codeGeneration: number,
  currentGeneration: number,
): 'valid' | 'revoked' | 'unknown' {
  if (codeGeneration === currentGeneration) return 'valid';
  return codeGeneration < currentGeneration ? 'revoked' : 'unknown';
}
