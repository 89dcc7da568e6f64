import type { DgtEvent } from '@dgt/events';
import { afterEach, describe, expect, it } from 'vitest';
import { asMessage, harness, streamEventIds, waitUntil, type Harness } from './fixtures.ts';

/* 一企一品一码: the product register rides the consignments topic (ingest publishes it there) and is recorded per firm. */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('product events', () => {
  it('records ProductRegistered and ProductCodeRevoked from the consignments topic in product-<firmId>', async () => {
    h = await harness();
    const registered = {
      eventId: 'prod-1',
      type: 'ProductRegistered',
      occurredAt: '2026-03-01T08:00:00+08:00',
      data: {
        firmId: 'F1',
        productId: 'un1230',
        unNumber: '1230',
        properShippingName: '甲醇',
        hazardClass: '3',
        emergencyMeasures: '远离火源',
        emergencyPhone: '119',
      },
    } as DgtEvent;
    const revoked = {
      eventId: 'rev-1',
      type: 'ProductCodeRevoked',
      occurredAt: '2026-03-02T08:00:00+08:00',
      data: { firmId: 'F1', productId: 'un1230', reason: '标签遗失' },
    } as DgtEvent;
    await h.bus
      .producer()
      .send(h.topics.consignments, [
        asMessage(registered, 'product:F1/un1230'),
        asMessage(revoked, 'product:F1/un1230'),
      ]);
    await h.recorder().start();
    const store = h.store;
    await waitUntil(async () => (await streamEventIds(store, 'product-F1')).length === 2);
    expect(await streamEventIds(store, 'product-F1')).toEqual(['prod-1', 'rev-1']);
  });

  it('records VehicleCodeRevoked from the consignments topic in safety-code-vehicle-<vehicleId>', async () => {
    h = await harness();
    const revoked = {
      eventId: 'vrev-1',
      type: 'VehicleCodeRevoked',
      occurredAt: '2026-03-02T08:00:00+08:00',
      data: { vehicleId: 'V0022', reason: '标签被复制' },
    } as DgtEvent;
    await h.bus.producer().send(h.topics.consignments, [asMessage(revoked, 'vehicle:V0022')]);
    await h.recorder().start();
    const store = h.store;
    await waitUntil(
      async () => (await streamEventIds(store, 'safety-code-vehicle-V0022')).length === 1,
    );
    expect(await streamEventIds(store, 'safety-code-vehicle-V0022')).toEqual(['vrev-1']);
  });
});
