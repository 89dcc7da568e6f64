import { createInProcessBus, headerText, topicNames, topicSpecs, type Bus } from '@dgt/bus';
import { generateApiKey, hashApiKey, type ServiceApp } from '@dgt/http';
import { createMemoryReadModelStore, type ReadModelStore } from '@dgt/readmodels';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIngestApp, type IngestResponse } from '../src/index.ts';
import { readModelRegistryView } from '../src/registryView.ts';
import { fixtureClock, readAll, testConfig } from './fixtures.ts';

/* 一企一品一码: a firm's products and the revocations of their codes are register data, posted with a registry key only. */

const names = topicNames();
const secrets = { ingest: generateApiKey(), c001: generateApiKey(), registry: generateApiKey() };
const as = (key: string) => ({ 'x-api-key': key });

let bus: Bus;
let app: ServiceApp;
let readModels: ReadModelStore;

beforeEach(async () => {
  bus = createInProcessBus();
  await bus.ensureTopics(topicSpecs(names));
  readModels = createMemoryReadModelStore();
  const config = testConfig({
    apiKeys: [
      { id: 'gateway', role: 'ingest', sha256: hashApiKey(secrets.ingest) },
      { id: 'c001-gateway', role: 'ingest:C001', sha256: hashApiKey(secrets.c001) },
      { id: 'register-desk', role: 'registry', sha256: hashApiKey(secrets.registry) },
    ],
  });
  app = await buildIngestApp({
    config,
    bus,
    registry: new Registry(),
    defaultMetrics: false,
    now: fixtureClock,
    allowNonDurableBusForTests: true,
    registryView: readModelRegistryView(readModels),
  });
});
afterEach(async () => {
  await app.close();
  await bus.close();
  await readModels.close();
});

async function post(key: string, events: unknown[]): Promise<IngestResponse> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: { 'content-type': 'application/json', ...as(key) },
    payload: JSON.stringify(events),
  });
  expect(res.statusCode).toBe(202);
  return res.json<IngestResponse>();
}
const outcome = (body: IngestResponse) =>
  body.results.map((r) => (r.status === 'accepted' ? 'accepted' : r.reason));

const product = (id: string) => ({
  eventId: `prod-${id}`,
  type: 'ProductRegistered',
  occurredAt: '2026-03-02T08:00:00Z',
  data: {
    firmId: 'F-JH',
    productId: id,
    unNumber: '1230',
    properShippingName: '甲醇',
    hazardClass: '3',
    packingGroup: 'II',
    emergencyMeasures: '（通用示例）远离火源。',
    emergencyPhone: '0576-88881234',
  },
});
const revoked = (id: string) => ({
  eventId: `rev-${id}`,
  type: 'ProductCodeRevoked',
  occurredAt: '2026-03-02T09:00:00Z',
  data: { firmId: 'F-JH', productId: id, reason: '标签遗失' },
});

describe('products need a registry key', () => {
  it('accepts ProductRegistered and ProductCodeRevoked from a registry key and publishes them keyed by product', async () => {
    expect(
      outcome(await post(secrets.registry, [product('methanol'), revoked('methanol')])),
    ).toEqual(['accepted', 'accepted']);
    const messages = await readAll(bus, [names.consignments]);
    expect(messages.map((m) => headerText(m, 'dgt-event-id'))).toEqual([
      'prod-methanol',
      'rev-methanol',
    ]);
    expect(messages.map((m) => m.key?.toString())).toEqual([
      'product:F-JH/methanol',
      'product:F-JH/methanol',
    ]);
  });

  it('refuses them from an unscoped ingest key and from a carrier’s key, saying a registry key is needed', async () => {
    const byIngest = await post(secrets.ingest, [product('acetone'), revoked('acetone')]);
    expect(outcome(byIngest)).toEqual(['forbidden', 'forbidden']);
    expect(byIngest.results[0]?.errors?.[0]?.message).toMatch(/need a registry key/);
    expect(outcome(await post(secrets.c001, [product('toluene')]))).toEqual(['forbidden']);
    expect(await readAll(bus, [names.consignments])).toEqual([]);
  });
});

describe('revoking a vehicle’s code needs a registry key', () => {
  const vehicleRevoked = (vehicleId: string) => ({
    eventId: `vrev-${vehicleId}`,
    type: 'VehicleCodeRevoked',
    occurredAt: '2026-03-02T09:00:00Z',
    data: { vehicleId, reason: '标签被复制' },
  });

  it('accepts VehicleCodeRevoked from a registry key and publishes it keyed by vehicle, beside its registration', async () => {
    expect(outcome(await post(secrets.registry, [vehicleRevoked('V0022')]))).toEqual(['accepted']);
    const messages = await readAll(bus, [names.consignments]);
    expect(messages.map((m) => headerText(m, 'dgt-event-id'))).toEqual(['vrev-V0022']);
    expect(messages.map((m) => m.key?.toString())).toEqual(['vehicle:V0022']);
  });

  it('refuses it from an unscoped ingest key and from a carrier’s key, saying a registry key is needed', async () => {
    const byIngest = await post(secrets.ingest, [vehicleRevoked('V0022')]);
    expect(outcome(byIngest)).toEqual(['forbidden']);
    expect(byIngest.results[0]?.errors?.[0]?.message).toMatch(/need a registry key/);
    const byCarrier = await post(secrets.c001, [vehicleRevoked('V0022')]);
    expect(outcome(byCarrier)).toEqual(['forbidden']);
    expect(byCarrier.results[0]?.errors?.[0]?.message).toMatch(/need a registry key/);
    expect(await readAll(bus, [names.consignments])).toEqual([]);
  });
});
