import type { DetectionEngine, Occurrence, OccurrenceTracker } from '@dgt/detection';
import type { AsOfSection, AsOfVehicle, OpenAtInstant } from './reportTypes.ts';

function openAt(o: Occurrence): OpenAtInstant {
  return { id: o.id, kind: o.kind, startedAt: o.startedAt, since: o.since, zoneId: o.zoneId };
}

/**
 * The state of each vehicle in an engine that was fed every selected event with occurredAt ≤ `at`,
 * and what was open then: its detections paired by the catalogue, as the report's rows are.
 */
export function asOfSection(engine: DetectionEngine, occurrences: OccurrenceTracker, at: string, vehicleIds: readonly string[]): AsOfSection {
  const vehicles = vehicleIds.map((vehicleId): AsOfVehicle => {
    const s = engine.vehicle(vehicleId);
    const waybillNo = s?.ladenWaybillNo ?? null;
    const fix = s?.lastFix ?? null;
    const open = occurrences.openOf(vehicleId);
    return {
      vehicleId,
      lastFix: fix === null ? null : { eventId: fix.eventId, occurredAt: fix.occurredAt, lon: fix.lon, lat: fix.lat, speedKmh: fix.speedKmh },
      laden: waybillNo !== null,
      waybillNo,
      carrierId: waybillNo === null ? null : (engine.consignment(waybillNo)?.carrierId ?? null),
      stoppedSince: s?.stoppedSince ?? null,
      openViolations: open.filter((o) => o.category === 'violation').map(openAt),
      openAdvisories: open.filter((o) => o.category === 'advisory').map(openAt),
    };
  });
  return { at, vehicles };
}
