import { createInProcessBus } from '@dgt/bus';
import type { DgtEvent } from '@dgt/events';
import { type EventStore, openMemoryEventStore, vehicleStream } from '@dgt/eventstore';
import { generateApiKey, hashApiKey, type ServiceApp } from '@dgt/http';
import { createMemoryReadModelStore, defaultComplianceRules, type AdvisoryView, type CarrierView, type ConsignmentView, type FleetVehicle, type ReadModelBatch, type ReadModelStore, type ViolationView, type ZoneView } from '@dgt/readmodels';
import { buildApiApp, type ApiAppOptions } from '../src/app.ts';
import type { ApiConfig } from '../src/env.ts';

/** Shared fixtures of the API tests: keys for every role, a small two-carrier world, an app over memory stores. */

export const NOW = new Date('2026-03-05T10:00:00Z');

export const roles = ['bureau', 'enforcement', 'planner', 'carrier:C1', 'carrier:C2', 'ingest', 'ingest:C1', 'registry', 'metrics'] as const;
export type TestRole = (typeof roles)[number];
export const keys: Readonly<Record<TestRole, string>> = Object.fromEntries(roles.map((r) => [r, generateApiKey()])) as Record<TestRole, string>;
const keyIds: Readonly<Record<TestRole, string>> = {
  bureau: 'bureau-1',
  enforcement: 'joint-team-1',
  planner: 'planning-office',
  'carrier:C1': 'acme',
  'carrier:C2': 'blue-river',
  ingest: 'gateway-1',
  'ingest:C1': 'acme-gateway',
  registry: 'register-desk',
  metrics: 'prometheus',
};

export function testConfig(overrides: Partial<ApiConfig> = {}): ApiConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    apiKeys: roles.map((role) => ({ id: keyIds[role], role, sha256: hashApiKey(keys[role]) })),
    eventStore: { kind: 'memory' },
    readModels: { kind: 'memory' },
    bus: { brokers: [], clientId: 'dgt-test', topics: {} },
    auditReportsKept: 10,
    audits: { running: 1, queued: 4 },
    rateLimitPerMinute: 100_000,
    alerts: { groupId: 'api-test', ringSize: 100, clientQueueMax: 100, heartbeatMs: 15_000 },
    // Every request sees the latest commit: the cache's freshness window has its own tests.
    fleetCacheFreshMs: 0,
    complianceRules: defaultComplianceRules,
    dashboardTileUrl: null,
    logLevel: 'silent',
    ...overrides,
  };
}

export const headersFor = (role: TestRole | null): Record<string, string> => (role === null ? {} : { 'x-api-key': keys[role] });

const iso = (hoursBeforeNow: number): string => new Date(NOW.getTime() - hoursBeforeNow * 3_600_000).toISOString();

export function vehicle(vehicleId: string, carrierId: string | null, over: Partial<FleetVehicle> = {}): FleetVehicle {
  return {
    vehicleId,
    plateNo: `浙J-${vehicleId}`,
    carrierId,
    lastFix: { eventId: `fix-${vehicleId}`, occurredAt: iso(0.1), lon: 121.3, lat: 28.5, speedKmh: 0, headingDeg: 90 },
    laden: false,
    waybillNo: null,
    goods: [],
    zones: [],
    stoppedSince: null,
    openViolations: [],
    ...over,
  };
}

/** A closed occurrence of an hour ago, half an hour long: the fields violations and advisories share. */
function occurrence(id: string, vehicleId: string, carrierId: string | null) {
  return {
    severity: 'medium' as const,
    status: 'closed' as const,
    vehicleId,
    plateNo: `浙J-${vehicleId}`,
    carrierId,
    waybillNo: null,
    laden: true,
    zoneId: null,
    zoneName: null,
    rule: null,
    startedAt: iso(1),
    since: iso(1.2),
    endedAt: iso(0.5),
    durationS: 1800,
    lon: 121.42,
    lat: 28.65,
    speedKmh: null,
    limitKmh: null,
    maxSpeedKmh: null,
    interpolated: false,
    evidence: [`fix-${id}`],
    detectionEventIds: [`det-${id}`],
  };
}

export function violation(violationId: string, vehicleId: string, carrierId: string | null, over: Partial<ViolationView> = {}): ViolationView {
  return { violationId, kind: 'illegal-parking', ...occurrence(violationId, vehicleId, carrierId), ...over };
}

export function advisory(advisoryId: string, vehicleId: string, carrierId: string | null, over: Partial<AdvisoryView> = {}): AdvisoryView {
  return { advisoryId, kind: 'segment-passage', ...occurrence(advisoryId, vehicleId, carrierId), severity: 'low', zoneId: 'Z-SEG-1', zoneName: 'G15 bend', speedKmh: 55, ...over };
}

export function consignment(waybillNo: string, carrierId: string | null, vehicleId: string | null): ConsignmentView {
  return {
    waybillNo,
    status: carrierId === null ? 'declared' : 'assigned',
    consignorId: 'SHIPPER-1',
    carrierId,
    vehicleId,
    plateNo: vehicleId === null ? null : `浙J-${vehicleId}`,
    driverId: null,
    escortId: null,
    goods: [{ unNumber: 'UN1203', name: 'Gasoline', hazardClass: '3', quantityKg: 20_000 }],
    origin: { name: 'Taizhou Bay chemical park', lon: 121.5, lat: 28.6 },
    destination: { name: 'Linhai depot', lon: 121.1, lat: 28.85 },
    timeline: { declared: iso(5), assigned: carrierId === null ? null : iso(4), loaded: null, unloaded: null, closed: null, cancelled: null },
  };
}

const zones: ZoneView[] = [
  { zoneId: 'Z-LOT-1', kind: 'parking-lot', name: 'Jiaojiang lot', declaredDatum: 'WGS84', polygon: [[121.4, 28.6], [121.41, 28.6], [121.41, 28.61], [121.4, 28.6]], path: null, bufferM: null, rules: null, capacity: 40, designatedAt: '2026-01-01T00:00:00+08:00' },
  { zoneId: 'Z-SEG-1', kind: 'accident-segment', name: 'G15 bend', declaredDatum: 'GCJ02', polygon: null, path: [[121.3, 28.5], [121.35, 28.55]], bufferM: 50, rules: { speedLimitKmh: 60, ladenBanned: false, bannedHours: [], hazardClasses: null }, capacity: null, designatedAt: '2026-01-01T00:00:00+08:00' },
];

const carriers: CarrierView[] = [
  { carrierId: 'C1', name: 'Acme Hazmat', vehicles: 2 },
  { carrierId: 'C2', name: 'Blue River Logistics', vehicles: 1 },
  { carrierId: 'C3', name: 'Clean Record Co', vehicles: 0 },
];

/**
 * C1: V1 (laden, parked illegally now: open X1; X2 overspeed closed 10 days ago; passed the G15 bend
 * 3 hours ago: A1), V2 (empty).
 * C2: V3 (laden; X4 restricted entry closed 2 days ago, X3 40 days ago; on the bend now: A2).
 * V4 belongs to nobody yet (passed the bend empty: A3).
 * W1 is C1's, W2 C2's, W3 not assigned. Compliance at NOW: C1 non-compliant, C2 warning, C3 compliant.
 */
export function worldBatch(): ReadModelBatch {
  const x1 = violation('X1', 'V1', 'C1', { status: 'open', endedAt: null, durationS: null, startedAt: iso(1) });
  return {
    checkpoint: '1',
    vehicles: [
      vehicle('V1', 'C1', { laden: true, waybillNo: 'W1', lastFix: { eventId: 'fix-V1', occurredAt: iso(0.1), lon: 121.42, lat: 28.65, speedKmh: 0, headingDeg: null }, openViolations: [{ violationId: 'X1', kind: 'illegal-parking', startedAt: x1.startedAt }], stoppedSince: iso(1.2) }),
      vehicle('V2', 'C1'),
      vehicle('V3', 'C2', { laden: true, waybillNo: 'W2', lastFix: { eventId: 'fix-V3', occurredAt: iso(0.1), lon: 121.45, lat: 28.66, speedKmh: 55, headingDeg: 180 } }),
      vehicle('V4', null, { lastFix: null }),
    ],
    violations: [
      x1,
      violation('X2', 'V1', 'C1', { kind: 'overspeed', severity: 'high', zoneId: 'Z-SEG-1', zoneName: 'G15 bend', limitKmh: 60, speedKmh: 68, maxSpeedKmh: 74, startedAt: iso(240), endedAt: iso(239.9), durationS: 360 }),
      violation('X3', 'V3', 'C2', { startedAt: iso(40 * 24), endedAt: iso(40 * 24 - 1) }),
      violation('X4', 'V3', 'C2', { kind: 'restricted-entry', severity: 'high', rule: 'laden-banned', startedAt: iso(48), endedAt: iso(47.9) }),
    ],
    advisories: [
      advisory('A1', 'V1', 'C1', { startedAt: iso(3), endedAt: iso(2.9), durationS: 360 }),
      advisory('A2', 'V3', 'C2', { status: 'open', startedAt: iso(0.2), endedAt: null, durationS: null }),
      advisory('A3', 'V4', null, { laden: false, startedAt: iso(5), endedAt: iso(4.9), durationS: 360 }),
    ],
    consignments: [consignment('W1', 'C1', 'V1'), consignment('W2', 'C2', 'V3'), consignment('W3', null, null)],
    carriers,
    zones,
    withdrawnZoneIds: [],
    engineState: new Map(),
  };
}

/** V1 and V3 fixes every 10 minutes over the last 3 hours (V1's recorded out of time order once). */
export function trackEvents(): DgtEvent[] {
  const events: DgtEvent[] = [];
  for (const vehicleId of ['V1', 'V3']) {
    for (let i = 18; i >= 1; i--) {
      events.push({ eventId: `pos-${vehicleId}-${i}`, type: 'VehiclePositionReported', occurredAt: iso(i / 6), data: { vehicleId, lon: 121.4 + i / 1000, lat: 28.6, speedKmh: 40, headingDeg: 90 } });
    }
  }
  const late = events.findIndex((e) => e.eventId === 'pos-V1-12');
  const [moved] = events.splice(late, 1);
  events.push(moved!);
  return events;
}

export interface TestApi {
  readonly app: ServiceApp;
  readonly readModels: ReadModelStore;
  readonly store: EventStore;
  close(): Promise<void>;
}

/** An app over memory stores filled with the world above; `withBus` adds an in-process bus for the alert stream. */
export async function startTestApi(options: { config?: Partial<ApiConfig>; app?: Partial<ApiAppOptions>; withBus?: boolean } = {}): Promise<TestApi & { bus: ReturnType<typeof createInProcessBus> | undefined }> {
  const store = openMemoryEventStore();
  for (const e of trackEvents()) await store.append(vehicleStream((e.data as { vehicleId: string }).vehicleId), [e]);
  const readModels = createMemoryReadModelStore();
  await readModels.commit(worldBatch());
  const bus = options.withBus === true ? createInProcessBus() : undefined;
  const app = await buildApiApp({ config: testConfig(options.config), store, readModels, defaultMetrics: false, now: () => NOW, ...(bus === undefined ? {} : { bus }), ...options.app });
  return {
    app,
    readModels,
    store,
    bus,
    close: async () => {
      await app.close();
      await bus?.close();
      await readModels.close();
      await store.close();
    },
  };
}

export function emptyBatch(checkpoint: string, over: Partial<ReadModelBatch> = {}): ReadModelBatch {
  return { checkpoint, vehicles: [], violations: [], consignments: [], carriers: [], zones: [], withdrawnZoneIds: [], engineState: new Map(), ...over };
}
