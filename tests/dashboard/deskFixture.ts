import type { EventStore } from '@dgt/eventstore';
import { vehicleStream } from '@dgt/eventstore';
import { classifyDetection } from '@dgt/detection';
import type { AdvisoryView, AlertView, CarrierView, ConsignmentView, FleetVehicle, ReadModelBatch, ReadModelStore, ViolationView, ZoneView } from '@dgt/readmodels';

/*
 * A small, hand-made desk: two carriers in Taizhou, four vehicles (two laden), one lot, one chemical
 * park, one accident-prone segment (with a speed limit) and one restricted area (night ban), three
 * violations (illegal parking, overspeed, restricted entry), two advisories (segment passages,
 * laden and empty) and a recent track. Times are relative to `nowMs` so the API's clock
 * (compliance window, track window) sees them as recent.
 */

export const carriers = { acme: 'ACME', beta: 'BETA' } as const;

export interface DeskFixture {
  readonly vehicles: readonly FleetVehicle[];
  readonly violations: readonly ViolationView[];
  readonly advisories: readonly AdvisoryView[];
  readonly zones: readonly ZoneView[];
  /** Fixes of V-ACME-1 appended to the event store (its track). */
  readonly trackFixes: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function fix(vehicleId: string, ms: number, lon: number, lat: number, speedKmh: number, headingDeg: number | null) {
  return { eventId: `fix-${vehicleId}-${ms}`, occurredAt: iso(ms), lon, lat, speedKmh, headingDeg };
}

export function deskFixture(nowMs: number): DeskFixture & { batch: ReadModelBatch; consignments: ConsignmentView[]; carrierViews: CarrierView[] } {
  const minutesAgo = (m: number): number => nowMs - m * 60_000;
  const lot: ZoneView = {
    zoneId: 'lot-jiaojiang',
    kind: 'parking-lot',
    name: 'Jiaojiang hazmat lot',
    declaredDatum: 'WGS84',
    polygon: [[121.43, 28.68], [121.44, 28.68], [121.44, 28.69], [121.43, 28.69], [121.43, 28.68]],
    path: null,
    bufferM: null,
    rules: null,
    capacity: 30,
    designatedAt: iso(minutesAgo(60 * 24 * 365)),
  };
  const park: ZoneView = {
    zoneId: 'park-waisha',
    kind: 'chemical-park',
    name: 'Jiaojiang Waisha–Yantou chemical park',
    declaredDatum: 'GCJ02',
    polygon: [[121.46, 28.66], [121.5, 28.66], [121.5, 28.7], [121.46, 28.7], [121.46, 28.66]],
    path: null,
    bufferM: null,
    rules: { speedLimitKmh: 30, ladenBanned: false, bannedHours: [], hazardClasses: null },
    capacity: null,
    designatedAt: iso(minutesAgo(60 * 24 * 365)),
  };
  const centre: ZoneView = {
    zoneId: 'ra-jiaojiang-centre',
    kind: 'restricted-area',
    name: 'Jiaojiang city centre (synthetic)',
    declaredDatum: 'WGS84',
    polygon: [[121.41, 28.645], [121.425, 28.645], [121.425, 28.66], [121.41, 28.66], [121.41, 28.645]],
    path: null,
    bufferM: null,
    rules: { speedLimitKmh: null, ladenBanned: false, bannedHours: [{ from: '22:00', to: '06:00' }], hazardClasses: ['2.1', '3'] },
    capacity: null,
    designatedAt: iso(minutesAgo(60 * 24 * 365)),
  };
  const segment: ZoneView = {
    zoneId: 'seg-g104-toutuo',
    kind: 'accident-segment',
    name: 'G104 Toutuo–Yuanqiao',
    declaredDatum: 'WGS84',
    polygon: null,
    path: [[121.3, 28.6], [121.34, 28.62], [121.38, 28.63]],
    bufferM: 50,
    rules: { speedLimitKmh: 60, ladenBanned: false, bannedHours: [], hazardClasses: null },
    capacity: null,
    designatedAt: iso(minutesAgo(60 * 24 * 365)),
  };
  const gasoline = { unNumber: '1203', name: 'Gasoline', hazardClass: '3', quantityKg: 24_000 };
  const caustic = { unNumber: '1824', name: 'Sodium hydroxide solution', hazardClass: '8', quantityKg: 18_000 };

  const v1: FleetVehicle = {
    vehicleId: 'V-ACME-1',
    plateNo: '浙J·A1001',
    carrierId: carriers.acme,
    lastFix: fix('V-ACME-1', minutesAgo(1), 121.36, 28.625, 52, 75),
    laden: true,
    waybillNo: 'WB-ACME-1',
    goods: [gasoline],
    zones: [{ zoneId: segment.zoneId, kind: segment.kind, name: segment.name }],
    stoppedSince: null,
    openViolations: [],
  };
  const v2: FleetVehicle = {
    vehicleId: 'V-ACME-2',
    plateNo: '浙J·A1002',
    carrierId: carriers.acme,
    lastFix: fix('V-ACME-2', minutesAgo(2), 121.435, 28.685, 0, null),
    laden: false,
    waybillNo: null,
    goods: [],
    zones: [{ zoneId: lot.zoneId, kind: lot.kind, name: lot.name }],
    stoppedSince: iso(minutesAgo(90)),
    openViolations: [],
  };
  /** What every row shares; each row overrides what its kind sets. */
  const row = (id: string, vehicle: string, plateNo: string, carrierId: string, startedMin: number, endedMin: number | null) => ({
    severity: 'high' as const,
    status: endedMin === null ? ('open' as const) : ('closed' as const),
    vehicleId: vehicle,
    plateNo,
    carrierId,
    waybillNo: null,
    laden: true,
    zoneId: null,
    zoneName: null,
    rule: null,
    startedAt: iso(minutesAgo(startedMin)),
    since: iso(minutesAgo(startedMin)),
    endedAt: endedMin === null ? null : iso(minutesAgo(endedMin)),
    durationS: endedMin === null ? null : (startedMin - endedMin) * 60,
    lon: 121.41,
    lat: 28.64,
    speedKmh: null,
    limitKmh: null,
    maxSpeedKmh: null,
    interpolated: false,
    evidence: [`fix-${id}-a`],
    detectionEventIds: endedMin === null ? [id] : [id, `${id}-end`],
  });
  const parkingViolation: ViolationView = {
    ...row('det-ip-V-BETA-1', 'V-BETA-1', '浙J·B2001', carriers.beta, 25, null),
    violationId: 'det-ip-V-BETA-1',
    kind: 'illegal-parking',
    severity: 'medium',
    waybillNo: 'WB-BETA-1',
    since: iso(minutesAgo(35)),
    speedKmh: 0,
  };
  const overspeedViolation: ViolationView = {
    ...row('det-os-V-ACME-1', 'V-ACME-1', '浙J·A1001', carriers.acme, 240, 236),
    violationId: 'det-os-V-ACME-1',
    kind: 'overspeed',
    waybillNo: 'WB-ACME-1',
    zoneId: segment.zoneId,
    zoneName: segment.name,
    since: iso(minutesAgo(241)),
    lon: 121.31,
    lat: 28.605,
    speedKmh: 68,
    limitKmh: 60,
    maxSpeedKmh: 74,
  };
  const restrictedViolation: ViolationView = {
    ...row('det-re-V-BETA-1', 'V-BETA-1', '浙J·B2001', carriers.beta, 600, 590),
    violationId: 'det-re-V-BETA-1',
    kind: 'restricted-entry',
    waybillNo: 'WB-BETA-1',
    zoneId: centre.zoneId,
    zoneName: centre.name,
    rule: 'banned-hours',
    speedKmh: 30,
  };
  const ladenPassage: AdvisoryView = {
    ...row('det-seg-V-ACME-1', 'V-ACME-1', '浙J·A1001', carriers.acme, 240, 232),
    advisoryId: 'det-seg-V-ACME-1',
    kind: 'segment-passage',
    severity: 'low',
    waybillNo: 'WB-ACME-1',
    zoneId: segment.zoneId,
    zoneName: segment.name,
    lon: 121.31,
    lat: 28.605,
    speedKmh: 48,
  };
  const emptyPassage: AdvisoryView = {
    ...row('det-seg-V-BETA-2', 'V-BETA-2', '浙J·B2002', carriers.beta, 120, 115),
    advisoryId: 'det-seg-V-BETA-2',
    kind: 'segment-passage',
    severity: 'low',
    laden: false,
    zoneId: segment.zoneId,
    zoneName: segment.name,
    speedKmh: 52,
  };
  const v3: FleetVehicle = {
    vehicleId: 'V-BETA-1',
    plateNo: '浙J·B2001',
    carrierId: carriers.beta,
    lastFix: fix('V-BETA-1', minutesAgo(1), 121.41, 28.64, 0, 180),
    laden: true,
    waybillNo: 'WB-BETA-1',
    goods: [caustic],
    zones: [],
    stoppedSince: iso(minutesAgo(40)),
    openViolations: [{ violationId: parkingViolation.violationId, kind: 'illegal-parking', startedAt: parkingViolation.startedAt }],
  };
  const v4: FleetVehicle = {
    vehicleId: 'V-BETA-2',
    plateNo: '浙J·B2002',
    carrierId: carriers.beta,
    lastFix: fix('V-BETA-2', minutesAgo(3), 121.48, 28.68, 35, 300),
    laden: false,
    waybillNo: null,
    goods: [],
    zones: [{ zoneId: park.zoneId, kind: park.kind, name: park.name }],
    stoppedSince: null,
    openViolations: [],
  };
  const consignment = (waybillNo: string, carrierId: string, vehicle: FleetVehicle, goods: ConsignmentView['goods']): ConsignmentView => ({
    waybillNo,
    status: 'loaded',
    consignorId: 'CONSIGNOR-1',
    carrierId,
    vehicleId: vehicle.vehicleId,
    plateNo: vehicle.plateNo,
    driverId: 'DRV-1',
    escortId: 'ESC-1',
    goods,
    origin: { name: 'Waisha–Yantou park', lon: 121.48, lat: 28.68 },
    destination: { name: 'Linhai park', lon: 121.13, lat: 28.85 },
    timeline: { declared: iso(minutesAgo(600)), assigned: iso(minutesAgo(500)), loaded: iso(minutesAgo(300)), unloaded: null, closed: null, cancelled: null },
  });
  const consignments = [consignment('WB-ACME-1', carriers.acme, v1, [gasoline]), consignment('WB-BETA-1', carriers.beta, v3, [caustic])];
  const carrierViews: CarrierView[] = [
    { carrierId: carriers.acme, name: 'Acme Hazmat Logistics', vehicles: 2 },
    { carrierId: carriers.beta, name: 'Beta Chemical Transport', vehicles: 2 },
  ];
  const vehicles = [v1, v2, v3, v4];
  const violations = [parkingViolation, overspeedViolation, restrictedViolation];
  const advisories = [ladenPassage, emptyPassage];
  const zones = [lot, park, segment, centre];
  return {
    vehicles,
    violations,
    advisories,
    zones,
    consignments,
    carrierViews,
    trackFixes: 6,
    batch: {
      checkpoint: 'fixture-1',
      vehicles,
      violations,
      advisories,
      consignments,
      carriers: carrierViews,
      zones,
      withdrawnZoneIds: [],
      engineState: new Map(),
    },
  };
}

/** Commits the fixture to the read models and V-ACME-1's last half hour of fixes to the event store. */
export async function seedDesk(readModels: ReadModelStore, store: EventStore, nowMs: number): Promise<DeskFixture> {
  const fixture = deskFixture(nowMs);
  await readModels.commit(fixture.batch);
  const events = Array.from({ length: fixture.trackFixes }, (_, i) => {
    const ms = nowMs - (fixture.trackFixes - i) * 5 * 60_000;
    return {
      eventId: `track-V-ACME-1-${i}`,
      type: 'VehiclePositionReported',
      occurredAt: iso(ms),
      data: { vehicleId: 'V-ACME-1', lon: 121.3 + i * 0.012, lat: 28.6 + i * 0.005, speedKmh: 50, headingDeg: 75 },
    };
  });
  await store.append(vehicleStream('V-ACME-1'), events);
  return fixture;
}

/** An alert as the projector publishes it (AlertView), for a fixture vehicle: illegal parking unless `type` says otherwise. */
export function alertFor(vehicle: FleetVehicle, alertId: string, occurredAtMs: number, type: AlertView['type'] = 'IllegalParkingStarted'): AlertView {
  const c = classifyDetection({ type });
  return {
    alertId,
    type,
    category: c.category,
    kind: c.kind,
    severity: c.entry.severity,
    occurredAt: iso(occurredAtMs),
    vehicleId: vehicle.vehicleId,
    plateNo: vehicle.plateNo,
    carrierId: vehicle.carrierId,
    waybillNo: vehicle.waybillNo,
    zoneId: null,
    zoneName: null,
    laden: vehicle.laden,
    lon: vehicle.lastFix?.lon ?? null,
    lat: vehicle.lastFix?.lat ?? null,
    message: `${vehicle.plateNo ?? vehicle.vehicleId} stopped outside every dedicated lot while laden`,
  };
}
