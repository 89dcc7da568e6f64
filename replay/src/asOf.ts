import type { DetectionEngine } from '@dgt/detection';
import type { AsOfSection, AsOfVehicle } from './reportTypes.ts';

/** The state of each vehicle in an engine that was fed every selected event with occurredAt ≤ `at`. */
export function asOfSection(engine: DetectionEngine, at: string, vehicleIds: readonly string[]): AsOfSection {
  const vehicles = vehicleIds.map((vehicleId): AsOfVehicle => {
    const s = engine.vehicle(vehicleId);
    const waybillNo = s?.ladenWaybillNo ?? null;
    const fix = s?.lastFix ?? null;
    const open: AsOfVehicle['openViolations'] = [];
    if (s?.illegalParkingSince) open.push({ kind: 'illegal-parking', since: s.illegalParkingSince, zoneId: null });
    for (const zoneId of s?.inSegments ?? []) open.push({ kind: 'accident-segment', since: null, zoneId });
    return {
      vehicleId,
      lastFix: fix === null ? null : { eventId: fix.eventId, occurredAt: fix.occurredAt, lon: fix.lon, lat: fix.lat, speedKmh: fix.speedKmh },
      laden: waybillNo !== null,
      waybillNo,
      carrierId: waybillNo === null ? null : (engine.consignment(waybillNo)?.carrierId ?? null),
      stoppedSince: s?.stoppedSince ?? null,
      openViolations: open,
    };
  });
  return { at, vehicles };
}
