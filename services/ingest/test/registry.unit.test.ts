import { canonicalJson } from '@dgt/events';
import { createInProcessBus, headerText, topicNames, topicSpecs, type Bus } from '@dgt/bus';
import { generateApiKey, hashApiKey, type ServiceApp } from '@dgt/http';
import { createMemoryReadModelStore, type ConsignmentView, type ReadModelStore, type VehicleRegistration } from '@dgt/readmodels';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIngestApp, readIngestConfig, type IngestResponse } from '../src/index.ts';
import { readModelRegistryView } from '../src/registryView.ts';
import { declared, fixtureClock, position, readAll, receivedAt, testConfig, zoneWithdrawn } from './fixtures.ts';

/*
 * Issue #14, ownership: registry events need a registry key, a carrier's ingest key posts for
 * its own vehicles and waybills only, and the register's rules (unique plates, owner changes by
 * transfer only) are checked at the boundary, per item.
 */

const names = topicNames();
const allTopics = [names.positions, names.consignments, names.zones];
const secrets = { ingest: generateApiKey(), c001: generateApiKey(), registry: generateApiKey(), bureau: generateApiKey(), metrics: generateApiKey() };
const as = (key: string) => ({ 'x-api-key': key });

/** V0030 went from C002 to C001 at T. */
const T = '2026-03-02T06:00:00.000Z';
const registration = (vehicleId: string, plateKey: string, owners: [string, string | null][]): VehicleRegistration => ({
  vehicleId,
  plateNo: plateKey,
  plateKey,
  periods: owners.map(([carrierId, from], i) => ({ carrierId, from: i === 0 ? null : from, to: owners[i + 1]?.[1] ?? null })),
});
const waybill = (waybillNo: string, carrierId: string | null, vehicleId: string | null): ConsignmentView => ({
  waybillNo,
  status: carrierId === null ? 'declared' : 'assigned',
  consignorId: 'CN-1',
  carrierId,
  vehicleId,
  plateNo: null,
  driverId: null,
  escortId: null,
  goods: [],
  origin: { name: 'A', lon: 121.4, lat: 28.6 },
  destination: { name: 'B', lon: 121.1, lat: 28.8 },
  timeline: { declared: '2026-03-01T00:00:00Z', assigned: carrierId === null ? null : '2026-03-01T01:00:00Z', loaded: null, unloaded: null, closed: null, cancelled: null },
});

let bus: Bus;
let app: ServiceApp;
let readModels: ReadModelStore;

beforeEach(async () => {
  bus = createInProcessBus();
  await bus.ensureTopics(topicSpecs(names));
  readModels = createMemoryReadModelStore();
  await readModels.commit({
    checkpoint: '1',
    vehicles: [],
    violations: [],
    carriers: [],
    zones: [],
    withdrawnZoneIds: [],
    engineState: new Map(),
    registrations: [
      registration('V0022', '浙J·56613', [['C002', null]]),
      registration('V0023', '浙J·10023', [['C001', null]]),
      registration('V0030', '浙J·30030', [
        ['C002', null],
        ['C001', T],
      ]),
    ],
    consignments: [waybill('W-C001', 'C001', 'V0023'), waybill('W-C002', 'C002', 'V0022'), waybill('W-OPEN', null, null)],
  });
  const config = testConfig({
    apiKeys: [
      { id: 'gateway', role: 'ingest', sha256: hashApiKey(secrets.ingest) },
      { id: 'c001-gateway', role: 'ingest:C001', sha256: hashApiKey(secrets.c001) },
      { id: 'register-desk', role: 'registry', sha256: hashApiKey(secrets.registry) },
      { id: 'bureau', role: 'bureau', sha256: hashApiKey(secrets.bureau) },
      { id: 'prometheus', role: 'metrics', sha256: hashApiKey(secrets.metrics) },
    ],
  });
  app = await buildIngestApp({ config, bus, registry: new Registry(), defaultMetrics: false, now: fixtureClock, allowNonDurableBusForTests: true, registryView: readModelRegistryView(readModels) });
});
afterEach(async () => {
  await app.close();
  await bus.close();
  await readModels.close();
});

async function post(key: string, events: unknown[]): Promise<IngestResponse> {
  const res = await app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'application/json', ...as(key) }, payload: JSON.stringify(events) });
  expect(res.statusCode).toBe(202);
  return res.json<IngestResponse>();
}
const outcome = (body: IngestResponse) => body.results.map((r) => (r.status === 'accepted' ? 'accepted' : r.reason));
const publishedIds = async () => (await readAll(bus, allTopics)).map((m) => headerText(m, 'dgt-event-id'));

let seq = 0;
const at = (iso: string) => ({ occurredAt: iso });
const vehicleRegistered = (vehicleId: string, carrierId: string, plateNo: string) => ({ eventId: `reg-${vehicleId}-${++seq}`, type: 'VehicleRegistered', ...at('2026-03-02T08:00:00Z'), data: { vehicleId, carrierId, plateNo } });
const transfer = (vehicleId: string, fromCarrierId: string, toCarrierId: string, effectiveAt: string) => ({
  eventId: `tr-${vehicleId}-${++seq}`,
  type: 'VehicleTransferred',
  ...at(effectiveAt),
  data: { vehicleId, fromCarrierId, toCarrierId, effectiveAt },
});
const carrierRegistered = (carrierId: string) => ({ eventId: `car-${carrierId}-${++seq}`, type: 'CarrierRegistered', ...at('2026-03-02T08:00:00Z'), data: { carrierId, name: `Carrier ${carrierId}` } });
const assigned = (waybillNo: string, carrierId: string, vehicleId: string) => ({ eventId: `as-${waybillNo}-${++seq}`, type: 'CarriageAssigned', ...at('2026-03-02T09:00:00Z'), data: { waybillNo, carrierId, vehicleId, driverId: 'D1', escortId: 'E1' } });
const loaded = (waybillNo: string, vehicleId: string) => ({ eventId: `ld-${waybillNo}-${++seq}`, type: 'LoadingCompleted', ...at('2026-03-02T09:30:00Z'), data: { waybillNo, vehicleId } });
const closedWaybill = (waybillNo: string) => ({ eventId: `cl-${waybillNo}-${++seq}`, type: 'ConsignmentClosed', ...at('2026-03-02T10:00:00Z'), data: { waybillNo } });

describe('registry events need a registry key', () => {
  it('refuses VehicleRegistered, VehicleTransferred and CarrierRegistered from an ingest key, per item, and publishes the rest of the batch', async () => {
    const fix = position('V0022', 1);
    const body = await post(secrets.ingest, [vehicleRegistered('V0022', 'C001', '浙J·56613'), fix, transfer('V0022', 'C002', 'C001', '2026-03-02T10:00:00Z'), carrierRegistered('C001')]);
    expect(outcome(body)).toEqual(['forbidden', 'accepted', 'forbidden', 'forbidden']);
    expect(body.results[0]?.errors?.[0]).toEqual({ path: 'type', message: expect.stringMatching(/need a registry key/) });
    expect(await publishedIds()).toEqual([fix.eventId]);
  });

  it('refuses them from a carrier’s ingest key too, and zones from it', async () => {
    const body = await post(secrets.c001, [vehicleRegistered('V0099', 'C001', '浙J·99999'), zoneWithdrawn('Z1')]);
    expect(outcome(body)).toEqual(['forbidden', 'forbidden']);
  });

  it('lets a registry key post the register and zones, and nothing that vehicles or waybills report', async () => {
    const body = await post(secrets.registry, [carrierRegistered('C009'), vehicleRegistered('V0099', 'C009', '浙J·99999'), zoneWithdrawn('Z1'), position('V0099', 1), declared('W-9')]);
    expect(outcome(body)).toEqual(['accepted', 'accepted', 'accepted', 'forbidden', 'forbidden']);
    expect(body.results[3]?.errors?.[0]?.message).toMatch(/registry key posts the register/);
  });

  it('counts the refusals by type and reason', async () => {
    await post(secrets.ingest, [vehicleRegistered('V0022', 'C001', '浙J·56613')]);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics', headers: as(secrets.metrics) })).body;
    expect(metrics).toContain('dgt_ingest_events_total{type="VehicleRegistered",outcome="rejected",reason="forbidden"} 1');
  });
});

describe('the register’s rules at the boundary (registry key)', () => {
  it('refuses re-registering V0022 to C001 (the hijack), and takes the owner’s own re-registration as a plate change', async () => {
    const body = await post(secrets.registry, [vehicleRegistered('V0022', 'C001', '浙J·56613'), vehicleRegistered('V0022', 'C002', '浙J·56614')]);
    expect(outcome(body)).toEqual(['owner_change_needs_transfer', 'accepted']);
    expect(body.results[0]?.errors?.[0]).toEqual({ path: 'data.carrierId', message: expect.stringContaining('VehicleTransferred { fromCarrierId: "C002"') });
  });

  it('refuses a plate another registered vehicle holds, however it is spelled, also when claimed earlier in the same batch', async () => {
    const body = await post(secrets.registry, [
      vehicleRegistered('V0100', 'C001', '浙J56613'),
      vehicleRegistered('V0101', 'C001', '浙J 56613'),
      vehicleRegistered('V0102', 'C001', '浙j·77777'),
      vehicleRegistered('V0103', 'C002', '浙J-77777'),
    ]);
    expect(outcome(body)).toEqual(['plate_in_use', 'plate_in_use', 'accepted', 'plate_in_use']);
    expect(body.results[0]?.errors?.[0]?.message).toMatch(/plate 浙J·56613 .* is registered to vehicle V0022/);
  });

  it('accepts a transfer from the owner at its effective time and refuses one from another carrier, of an unknown vehicle, dated ahead, or to the same carrier', async () => {
    const ahead = new Date(receivedAt.getTime() + 3_600_000).toISOString();
    const body = await post(secrets.registry, [
      transfer('V0030', 'C002', 'C003', '2026-03-02T07:00:00Z'), // C001 owns it since T
      transfer('V0022', 'C002', 'C001', '2026-03-02T10:00:00Z'),
      vehicleRegistered('V0022', 'C001', '浙J·56613'), // C001 owns it now (same batch): a plate update
      transfer('V-NONE', 'C001', 'C002', '2026-03-02T10:00:00Z'),
      transfer('V0023', 'C001', 'C002', ahead),
      transfer('V0023', 'C001', 'C001', '2026-03-02T10:00:00Z'),
    ]);
    expect(outcome(body)).toEqual(['not_owner', 'accepted', 'accepted', 'not_found', 'time_in_future', 'invalid']);
    expect(body.results[0]?.errors?.[0]?.message).toMatch(/C002 did not own V0030 at 2026-03-02T07:00:00Z \(C001 did\)/);
  });
});

describe('a carrier’s ingest key (ingest:C001) posts for its own vehicles and waybills only', () => {
  it('accepts fixes of its own vehicle and answers another carrier’s vehicle exactly as an unknown one (not_found), the rest proceeding', async () => {
    const own = position('V0023', 1);
    const body = await post(secrets.c001, [own, position('V0022', 2), position('V-UNKNOWN', 3)]);
    expect(outcome(body)).toEqual(['accepted', 'not_found', 'not_found']);
    const messages = body.results.slice(1).map((r) => r.errors?.[0]?.message.replace(/V0022|V-UNKNOWN/, 'V').replace(/at \S+$/, 'at <time>'));
    expect(messages).toEqual(['no vehicle V of carrier C001 at <time>', 'no vehicle V of carrier C001 at <time>']);
    expect(await publishedIds()).toEqual([own.eventId]);
  });

  it('publishes each accepted fix with its own canonical JSON when items between them are refused', async () => {
    const own = [position('V0023', 11), position('V0023', 12)];
    const body = await post(secrets.c001, [position('V0022', 10), own[0], position('V-UNKNOWN', 13), own[1]]);
    expect(outcome(body)).toEqual(['not_found', 'accepted', 'not_found', 'accepted']);
    const published = await readAll(bus, allTopics);
    expect(published.map((m) => headerText(m, 'dgt-event-id'))).toEqual(own.map((e) => e.eventId));
    expect(published.map((m) => m.value.toString('utf8'))).toEqual(own.map((e) => canonicalJson(e)));
  });

  it('takes a fix by who owned the vehicle when it was taken: V0030 is C001’s from T only', async () => {
    const before = { ...position('V0030', 1), occurredAt: '2026-03-02T05:59:59Z' };
    const after = { ...position('V0030', 2), occurredAt: '2026-03-02T06:00:00Z' };
    expect(outcome(await post(secrets.c001, [before, after]))).toEqual(['not_found', 'accepted']);
  });

  it('posts events of its own waybills, never of another carrier’s or for another carrier', async () => {
    const body = await post(secrets.c001, [
      loaded('W-C001', 'V0023'),
      loaded('W-C002', 'V0022'),
      closedWaybill('W-C002'),
      assigned('W-C002', 'C001', 'V0023'), // taking another carrier's waybill
      assigned('W-OPEN', 'C001', 'V0023'), // declared by someone else, no carrier yet
      assigned('W-NEW', 'C002', 'V0023'), // for another carrier
      assigned('W-C001', 'C001', 'V0022'), // with another carrier's vehicle
      closedWaybill('W-C001'),
    ]);
    expect(outcome(body)).toEqual(['accepted', 'not_found', 'not_found', 'not_found', 'not_found', 'forbidden', 'not_found', 'accepted']);
  });

  it('declares, assigns and loads a new waybill in one request, or over three requests before the projector has it', async () => {
    expect(outcome(await post(secrets.c001, [declared('W-A'), assigned('W-A', 'C001', 'V0023'), loaded('W-A', 'V0023')]))).toEqual(['accepted', 'accepted', 'accepted']);
    expect(outcome(await post(secrets.c001, [declared('W-B')]))).toEqual(['accepted']);
    expect(outcome(await post(secrets.c001, [assigned('W-B', 'C001', 'V0023')]))).toEqual(['accepted']);
    expect(outcome(await post(secrets.c001, [loaded('W-B', 'V0023')]))).toEqual(['accepted']);
    // Declaring a waybill that is already another carrier's is no way in either.
    expect(outcome(await post(secrets.c001, [declared('W-C002')]))).toEqual(['not_found']);
  });

  it('is refused the read routes it has no business on', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: as(secrets.c001) });
    expect(res.statusCode).toBe(403);
  });
});

describe('configuration', () => {
  const keysJson = (role: string) => JSON.stringify([{ id: 'k', role, sha256: hashApiKey('k') }]);

  it('needs DGT_READMODELS_PATH as soon as a registry or scoped ingest key is configured', () => {
    for (const role of ['registry', 'ingest:C001']) expect(() => readIngestConfig({ DGT_API_KEYS: keysJson(role) })).toThrow(/DGT_READMODELS_PATH/);
    expect(readIngestConfig({ DGT_API_KEYS: keysJson('registry'), DGT_READMODELS_PATH: '/data/readmodels.sqlite' }).readModelsPath).toBe('/data/readmodels.sqlite');
    expect(readIngestConfig({ DGT_API_KEYS: keysJson('ingest') }).readModelsPath).toBeUndefined();
  });

  it('refuses to start with a registry key and no read models to check it against', async () => {
    const config = { ...testConfig({ apiKeys: [{ id: 'r', role: 'registry', sha256: hashApiKey('r') }] }) };
    await expect(buildIngestApp({ config, bus, registry: new Registry(), defaultMetrics: false, allowNonDurableBusForTests: true })).rejects.toThrow(/DGT_READMODELS_PATH/);
  });
});
