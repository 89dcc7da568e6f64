import type { CaseRow } from '../src/cases/caseRow.ts';
import type { ReadModelBatch } from '../src/port.ts';
import type { AdvisoryView, CarrierView, ConsignmentView, FleetVehicle, OwnershipPeriod, VehicleRegistration, ViolationView, ZoneView } from '../src/views.ts';

/** Whole, valid rows with a few fields that matter to a test overridden. */

export function vehicleRow(vehicleId: string, carrierId: string | null, over: Partial<FleetVehicle> & { lon?: number; lat?: number } = {}): FleetVehicle {
  const { lon = 121.42, lat = 28.66, ...rest } = over;
  return {
    vehicleId,
    plateNo: `浙J${vehicleId.slice(-5)}`,
    carrierId,
    lastFix: { eventId: `fix-${vehicleId}`, occurredAt: '2026-03-01T08:00:00+08:00', lon, lat, speedKmh: 42.5, headingDeg: 90 },
    laden: false,
    waybillNo: null,
    goods: [],
    zones: [],
    stoppedSince: null,
    openViolations: [],
    ...rest,
  };
}

/** What violations and advisories share, for an open illegal parking of V-1 (C-A) by default. */
function occurrence(id: string) {
  return {
    severity: 'medium' as const,
    status: 'open' as const,
    vehicleId: 'V-1',
    plateNo: '浙J00001',
    carrierId: 'C-A',
    waybillNo: 'WB-1',
    laden: true,
    zoneId: null,
    zoneName: null,
    rule: null,
    startedAt: '2026-03-01T08:00:00+08:00',
    since: '2026-03-01T07:50:00+08:00',
    endedAt: null,
    durationS: null,
    lon: 121.42,
    lat: 28.66,
    speedKmh: null,
    limitKmh: null,
    maxSpeedKmh: null,
    interpolated: false,
    evidence: [`fix-${id}`],
    detectionEventIds: [id],
  };
}

export function violationRow(violationId: string, over: Partial<ViolationView> = {}): ViolationView {
  return { violationId, kind: 'illegal-parking', ...occurrence(violationId), ...over };
}

/** An open segment passage of V-1, laden, by default. */
export function advisoryRow(advisoryId: string, over: Partial<AdvisoryView> = {}): AdvisoryView {
  return { advisoryId, kind: 'segment-passage', ...occurrence(advisoryId), severity: 'low', zoneId: 'seg-1', zoneName: 'G104 bend', speedKmh: 55, since: '2026-03-01T08:00:00+08:00', ...over };
}

export function consignmentRow(waybillNo: string, carrierId: string | null, over: Partial<ConsignmentView> = {}): ConsignmentView {
  return {
    waybillNo,
    status: carrierId === null ? 'declared' : 'assigned',
    consignorId: 'CONSIGNOR-1',
    carrierId,
    vehicleId: carrierId === null ? null : 'V-1',
    plateNo: null,
    driverId: null,
    escortId: null,
    goods: [{ unNumber: 'UN1203', name: 'Gasoline', hazardClass: '3', quantityKg: 20_000 }],
    origin: { name: 'Jiaojiang depot', lon: 121.44, lat: 28.68 },
    destination: { name: 'Linhai station', lon: 121.14, lat: 28.86 },
    timeline: { declared: '2026-03-01T07:00:00+08:00', assigned: carrierId === null ? null : '2026-03-01T07:10:00+08:00', loaded: null, unloaded: null, closed: null, cancelled: null },
    ...over,
  };
}

export function carrierRow(carrierId: string, over: Partial<CarrierView> = {}): CarrierView {
  return { carrierId, name: `Carrier ${carrierId}`, vehicles: 0, ...over };
}

export function zoneRow(zoneId: string, over: Partial<ZoneView> = {}): ZoneView {
  return {
    zoneId,
    kind: 'parking-lot',
    name: `Lot ${zoneId}`,
    declaredDatum: 'WGS84',
    polygon: [
      [121.4, 28.6],
      [121.5, 28.6],
      [121.5, 28.7],
      [121.4, 28.6],
    ],
    path: null,
    bufferM: null,
    rules: null,
    capacity: null,
    designatedAt: '2026-01-01T00:00:00+08:00',
    ...over,
  };
}

/**
 * A register entry: `owners` as [carrierId, from] pairs, oldest first (the first from the
 * beginning of the record, whatever its `from`).
 */
export function registrationRow(vehicleId: string, plateKey: string, owners: readonly (readonly [string, string | null])[]): VehicleRegistration {
  const periods: OwnershipPeriod[] = owners.map(([carrierId, from], i) => ({ carrierId, from: i === 0 ? null : from, to: owners[i + 1]?.[1] ?? null }));
  return { vehicleId, plateNo: plateKey, plateKey, periods };
}

export function batch(checkpoint: string, rows: Partial<Omit<ReadModelBatch, 'checkpoint'>> = {}): ReadModelBatch {
  return {
    checkpoint,
    vehicles: [],
    violations: [],
    consignments: [],
    carriers: [],
    zones: [],
    withdrawnZoneIds: [],
    engineState: new Map(),
    ...rows,
  };
}

/** A case as the case list stores it: opened by an officer against C-A's V-1, nothing done yet. */
export function caseRowFixture(caseId: string, over: Partial<CaseRow> = {}): CaseRow {
  return {
    caseId,
    carrierId: 'C-A',
    vehicleId: 'V-1',
    kind: 'illegal-parking',
    violationIds: [`X-${caseId}`],
    window: { from: '2026-03-01T07:30:00+08:00', to: '2026-03-01T09:00:00+08:00' },
    openedBy: 'officer',
    policy: null,
    openedAt: '2026-03-01T08:00:00+08:00',
    status: 'opened',
    assignment: null,
    evidence: null,
    checks: 0,
    notice: null,
    response: null,
    appeal: null,
    disposition: null,
    disposals: 0,
    pointsEntry: null,
    reopenings: 0,
    revision: 0,
    updatedAt: '2026-03-01T08:00:00+08:00',
    ...over,
  };
}
