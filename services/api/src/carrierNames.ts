import { type EventStore, streamPrefixes } from '@dgt/eventstore';
import { z } from 'zod';

export const carrierName = z.object({
  carrierId: z.string(),
  name: z.string(),
  licenceNo: z.string().nullable(),
});
export type CarrierName = z.infer<typeof carrierName>;

/** How long a read of the register is served before it is read again: carriers register rarely. */
const FRESH_MS = 30_000;

/**
 * The carriers' names from the register (`CarrierRegistered` in the `carrier-` streams; the latest
 * registration of a carrier wins), sorted by id. A few dozen to a few thousand events, read again at
 * most every 30 s.
 */
export class CarrierNames {
  #cached: { readonly at: number; readonly items: CarrierName[] } | null = null;

  constructor(private readonly store: EventStore) {}

  async list(nowMs: number): Promise<CarrierName[]> {
    if (this.#cached !== null && nowMs - this.#cached.at < FRESH_MS && nowMs >= this.#cached.at) return this.#cached.items;
    const byId = new Map<string, CarrierName>();
    for await (const r of this.store.readAll({ filter: { streamPrefixes: [streamPrefixes.carrier], types: ['CarrierRegistered'] } })) {
      const d = r.event.data as { carrierId?: unknown; name?: unknown; licenceNo?: unknown };
      if (typeof d.carrierId !== 'string' || typeof d.name !== 'string') continue;
      byId.set(d.carrierId, { carrierId: d.carrierId, name: d.name, licenceNo: typeof d.licenceNo === 'string' ? d.licenceNo : null });
    }
    const items = [...byId.values()].sort((a, b) => (a.carrierId < b.carrierId ? -1 : a.carrierId > b.carrierId ? 1 : 0));
    this.#cached = { at: nowMs, items };
    return items;
  }
}
