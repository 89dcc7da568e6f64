import { parseEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { streamFor } from '../src/index.ts';

describe('product streams (一企一品一码)', () => {
  it('records a product and the revocations of its code in the firm’s product stream', () => {
    const registered = parseEvent({
      eventId: 'p-1',
      type: 'ProductRegistered',
      occurredAt: '2026-03-01T08:00:00+08:00',
      data: {
        firmId: 'F-JH',
        productId: 'methanol',
        unNumber: '1230',
        properShippingName: '甲醇',
        hazardClass: '3',
        emergencyMeasures: '远离火源',
        emergencyPhone: '119',
      },
    });
    const revoked = parseEvent({
      eventId: 'r-1',
      type: 'ProductCodeRevoked',
      occurredAt: '2026-03-02T08:00:00+08:00',
      data: { firmId: 'F-JH', productId: 'methanol', reason: '标签遗失' },
    });
    expect(streamFor(registered)).toBe('product-F-JH');
    expect(streamFor(revoked)).toBe('product-F-JH');
  });
});
