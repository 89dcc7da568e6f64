import type { EventStore } from '@dgt/eventstore';
import { vehicleStream } from '@dgt/eventstore';
import type { AlertView, CarrierView, ConsignmentView, FleetVehicle, ReadModelBatch, ReadModelStore, ViolationView, ZoneView } from '@dgt/readmodels';

/*
 * A small, hand-made desk: two carriers in Taizhou, four vehicles (two laden), one lot, one chemical
 * park and one accident-prone segment, two violations and a recent track. Times are relative to
 * `nowMs` so the API's clock (compliance window, track window) sees them as recent.
 */

export const carriers = { acme: 'ACME', beta: 'BETA' } as const;

export interface DeskFixture {
  readonly vehicles: readonly FleetVehicle[];
  readonly violations: readonly ViolationView[];
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
  const parkingViolation: ViolationView = {
    violationId: 'det-ip-V-BETA-1',
    type: 'illegal-parking',
    status: 'open',
    vehicleId: 'V-BETA-1',
    plateNo: '浙J·B2001',
    carrierId: carriers.beta,
    waybillNo: 'WB-BETA-1',
    zoneId: null,
    zoneName: null,
    startedAt: iso(minutesAgo(25)),
    endedAt: null,
    durationS: null,
    lon: 121.41,
    lat: 28.64,
    speedKmh: 0,
    evidence: ['fix-V-BETA-1-a'],
    detectionEventIds: ['det-ip-V-BETA-1'],
  };
  const segmentViolation: ViolationView = {
    violationId: 'det-seg-V-ACME-1',
    type: 'accident-segment',
    status: 'closed',
    vehicleId: 'V-ACME-1',
    plateNo: '浙J·A1001',
    carrierId: carriers.acme,
    waybillNo: 'WB-ACME-1',
    zoneId: segment.zoneId,
    zoneName: segment.name,
    startedAt: iso(minutesAgo(240)),
    endedAt: iso(minutesAgo(232)),
    durationS: 480,
    lon: 121.31,
    lat: 28.605,
    speedKmh: 48,
    evidence: ['fix-V-ACME-1-a', 'fix-V-ACME-1-b'],
    detectionEventIds: ['det-seg-V-ACME-1', 'det-seg-V-ACME-1-exit'],
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
    openViolations: [{ violationId: parkingViolation.violationId, type: 'illegal-parking', startedAt: parkingViolation.startedAt }],
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
  const violations = [parkingViolation, segmentViolation];
  const zones = [lot, park, segment];
  return {
    vehicles,
    violations,
    zones,
    consignments,
    carrierViews,
    trackFixes: 6,
    batch: {
      checkpoint: 'fixture-1',
      vehicles,
      violations,
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

/** An alert as the projector publishes it (AlertView), for a fixture vehicle. */
export function alertFor(vehicle: FleetVehicle, alertId: string, occurredAtMs: number): AlertView {
  return {
    alertId,
    type: 'IllegalParkingStarted',
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
