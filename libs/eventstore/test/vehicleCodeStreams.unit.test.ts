import { parseEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { streamFor, streamPrefixes } from '../src/index.ts';

describe('vehicle code streams (一企一品一码)', () => {
  it('records the revocations of a vehicle’s code in its own stream, outside every reader of vehicle- streams', () => {
    const revoked = parseEvent({
      eventId: 'vr-1',
      type: 'VehicleCodeRevoked',
      occurredAt: '2026-03-02T08:00:00+08:00',
      data: { vehicleId: 'V0022', reason: '标签遗失' },
    });
    expect(streamFor(revoked)).toBe('safety-code-vehicle-V0022');
    // A vehicle named "code-V0022" must not share it: its fixes are in vehicle-code-V0022.
    for (const prefix of Object.values(streamPrefixes))
      if (prefix !== streamPrefixes.vehicleCode)
        expect(streamFor(revoked).startsWith(prefix), prefix).toBe(false);
  });
});
