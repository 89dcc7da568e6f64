import type { DgtEvent, EventOf } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../src/port.ts';
import { caseStream, consignmentStream, detectionsStream, pointsStream, streamFor, vehicleStream, zonesStream } from '../src/streams.ts';

const at = '2026-03-01T08:00:00+08:00';

describe('streamFor', () => {
  it('routes fixes to the vehicle stream', () => {
    const e: EventOf<'VehiclePositionReported'> = { eventId: 'f1', type: 'VehiclePositionReported', occurredAt: at, data: { vehicleId: '浙J12345', lon: 121.4, lat: 28.6, speedKmh: 0 } };
    expect(streamFor(e)).toBe('vehicle-浙J12345');
    expect(vehicleStream('浙J12345')).toBe('vehicle-浙J12345');
  });

  it('routes every consignment event to the waybill stream', () => {
    const events: DgtEvent[] = [
      { eventId: 'c1', type: 'ConsignmentClosed', occurredAt: at, data: { waybillNo: 'W-1' } },
      { eventId: 'c2', type: 'LoadingCompleted', occurredAt: at, data: { waybillNo: 'W-1', vehicleId: 'V1' } },
      { eventId: 'c3', type: 'ConsignmentCancelled', occurredAt: at, data: { waybillNo: 'W-1', reason: 'customer' } },
    ];
    expect(events.map(streamFor)).toEqual([consignmentStream('W-1'), consignmentStream('W-1'), 'consignment-W-1']);
  });

  it('routes zone events to the zones stream and detections to the vehicle detections stream', () => {
    expect(streamFor({ eventId: 'z', type: 'ZoneWithdrawn', occurredAt: at, data: { zoneId: 'Z1' } })).toBe(zonesStream);
    expect(streamFor({ eventId: 'd', type: 'AccidentSegmentExited', occurredAt: at, data: { vehicleId: 'V7', zoneId: 'Z1' } })).toBe(detectionsStream('V7'));
    expect(detectionsStream('V7')).toBe('detections-V7');
  });

  it('routes a case’s events to case-<caseId> and a carrier’s points to points-<carrierId>', () => {
    const by = { principal: 'k', role: 'bureau' as const };
    expect(streamFor({ eventId: 'r', type: 'CaseReopened', occurredAt: at, data: { caseId: 'K1', reason: 'review', by } })).toBe('case-K1');
    expect(streamFor({ eventId: 'p', type: 'PointsCleared', occurredAt: at, data: { carrierId: 'C1', actionId: 'A1', points: 1, by } })).toBe('points-C1');
    expect([caseStream('K1'), pointsStream('C1')]).toEqual(['case-K1', 'points-C1']);
  });

  it('accepts every catalog event as a storable envelope', () => {
    const e: DgtEvent = { eventId: 'z', type: 'ZoneWithdrawn', occurredAt: at, data: { zoneId: 'Z1' } };
    const stored: EventEnvelope = e;
    expect(stored.eventId).toBe('z');
  });
});
