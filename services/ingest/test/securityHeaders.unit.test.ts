import { createInProcessBus, topicNames, topicSpecs, type Bus } from '@dgt/bus';
import type { ServiceApp } from '@dgt/http';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIngestApp } from '../src/index.ts';
import { asIngest, fixtureClock, keys, position, testConfig } from './fixtures.ts';

let bus: Bus;
let app: ServiceApp;
beforeAll(async () => {
  bus = createInProcessBus();
  await bus.ensureTopics(topicSpecs(topicNames()));
  app = await buildIngestApp({ config: testConfig(), bus, registry: new Registry(), defaultMetrics: false, now: fixtureClock, allowNonDurableBusForTests: true });
});
afterAll(async () => {
  await app.close();
  await bus.close();
});

const expected = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'content-security-policy': "default-src 'none';frame-ancestors 'none'", 'cache-control': 'no-store' };

describe('ingest gateway responses carry the security headers', () => {
  it('an accepted batch, a refused body, a refusal without a key, the metrics', async () => {
    const responses = [
      await app.inject({ method: 'POST', url: '/v1/events', headers: { ...asIngest, 'content-type': 'application/json' }, payload: JSON.stringify([position('V1', 1)]) }),
      await app.inject({ method: 'POST', url: '/v1/events', headers: { ...asIngest, 'content-type': 'application/json' }, payload: '[{"eventId":' }),
      await app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'application/json' }, payload: '[]' }),
      await app.inject({ method: 'GET', url: '/metrics', headers: { 'x-api-key': keys.metrics } }),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([202, 400, 401, 200]);
    for (const res of responses) expect(res.headers).toMatchObject(expected);
  });
});
