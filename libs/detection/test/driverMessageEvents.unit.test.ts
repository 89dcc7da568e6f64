import type { DgtEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import { runDetection } from '../src/index.ts';
import { at, consignment, parked } from './fixtures.ts';

/** What the desk said to the driver, in the record between the vehicle's fixes. */
function driverMessageSteps(messageId: string, minute: number): DgtEvent[] {
  const where = { messageId, vehicleId: 'V1', terminalPhone: '13900000001', serial: 3, gatewayId: 'gw-a' };
  return [
    { eventId: `dm:${messageId}:requested`, type: 'DriverMessageRequested', occurredAt: at(minute), data: { messageId, vehicleId: 'V1', text: '请驶离', display: true, tts: true, emergency: false, by: 'bureau-1', reason: 'officer' } },
    { eventId: `dm:${messageId}:sent`, type: 'DriverMessageSent', occurredAt: at(minute, 1), data: where },
    { eventId: `dm:${messageId}:delivered`, type: 'DriverMessageDelivered', occurredAt: at(minute, 2), data: where },
    { eventId: `dm:${messageId}:not-connected`, type: 'DriverMessageUndeliverable', occurredAt: at(minute, 3), data: { messageId, vehicleId: 'V1', reason: 'not-connected', gatewayId: 'gw-b' } },
  ];
}

describe('driver message events in the record', () => {
  it('change no detection: the engine applies them as nothing, in any position of the stream', () => {
    const base = [...consignment('W1', 'V1', ['declare', 'assign', 'load']), ...parked('V1', 0, 14)];
    const mixed = [...base.slice(0, 5), ...driverMessageSteps('dm-1', 3), ...base.slice(5), ...driverMessageSteps('dm-2', 14)];
    const plain = runDetection(base);
    const withMessages = runDetection(mixed);
    expect(plain.detections.map((d) => d.type)).toContain('IllegalParkingStarted');
    expect(withMessages.detections).toEqual(plain.detections);
  });
});
