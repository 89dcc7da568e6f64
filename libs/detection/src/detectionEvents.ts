import type { EventOf } from '@dgt/events';
import type { Consignment } from './consignmentLifecycle.ts';
import type { Fix } from './fix.ts';
import type { ParkingViolation, Stop } from './stopTracker.ts';

/*
 * Detection ids are derived from the id of the event that triggered them, so re-running the same
 * events yields the same ids (idempotent appends) and an auditor can see the cause in the id.
 */

export function parkingStarted(vehicleId: string, stop: Stop, violation: ParkingViolation, fix: Fix, loadingEventId: string | undefined): EventOf<'IllegalParkingStarted'> {
  const evidence = [...new Set([stop.anchor.eventId, ...(loadingEventId ? [loadingEventId] : []), fix.eventId])];
  return {
    eventId: `${fix.eventId}/IllegalParkingStarted`,
    type: 'IllegalParkingStarted',
    occurredAt: fix.occurredAt,
    data: {
      vehicleId,
      waybillNo: violation.waybillNo,
      carrierId: violation.carrierId,
      lon: stop.anchor.lon,
      lat: stop.anchor.lat,
      stoppedSince: stop.anchor.occurredAt,
      evidence,
    },
  };
}

export function parkingEnded(vehicleId: string, stop: Stop, violation: ParkingViolation, fix: Fix): EventOf<'IllegalParkingEnded'> {
  return {
    eventId: `${fix.eventId}/IllegalParkingEnded`,
    type: 'IllegalParkingEnded',
    occurredAt: fix.occurredAt,
    data: {
      vehicleId,
      waybillNo: violation.waybillNo,
      carrierId: violation.carrierId,
      stoppedSince: stop.anchor.occurredAt,
      endedAt: fix.occurredAt,
      // Whole stop, from its first fix to the fix that ended it.
      durationS: (fix.ms - stop.anchor.ms) / 1000,
      evidence: [fix.eventId],
    },
  };
}

export function segmentEntered(vehicleId: string, zoneId: string, fix: Fix, load: Consignment | undefined): EventOf<'AccidentSegmentEntered'> {
  const data: EventOf<'AccidentSegmentEntered'>['data'] = {
    vehicleId,
    zoneId,
    laden: load !== undefined,
    speedKmh: fix.speedKmh,
    lon: fix.lon,
    lat: fix.lat,
    evidence: [fix.eventId],
  };
  if (load) {
    data.waybillNo = load.waybillNo;
    if (load.carrierId !== undefined) data.carrierId = load.carrierId;
  }
  return {
    eventId: `${fix.eventId}/AccidentSegmentEntered/${zoneId}`,
    type: 'AccidentSegmentEntered',
    occurredAt: fix.occurredAt,
    data,
  };
}

export function segmentExited(vehicleId: string, zoneId: string, firstOutside: Fix, confirmedBy: Fix): EventOf<'AccidentSegmentExited'> {
  return {
    eventId: `${firstOutside.eventId}/AccidentSegmentExited/${zoneId}`,
    type: 'AccidentSegmentExited',
    occurredAt: firstOutside.occurredAt,
    data: { vehicleId, zoneId, evidence: [...new Set([firstOutside.eventId, confirmedBy.eventId])] },
  };
}
