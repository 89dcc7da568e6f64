import { carrierStream } from '@dgt/eventstore';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headersFor, startTestApi, type TestApi, type TestRole } from './apiTestKit.ts';

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
  for (const [carrierId, name] of [['C1', '台州椒江危险品运输有限公司'], ['C2', 'Linhai Hazmat Transport']] as const) {
    await api.store.append(carrierStream(carrierId), [{ eventId: `reg-${carrierId}`, type: 'CarrierRegistered', occurredAt: '2026-03-01T00:00:00Z', data: { carrierId, name } }]);
  }
});
afterEach(async () => api.close());

const list = async (role: TestRole) => api.app.inject({ method: 'GET', url: '/v1/carriers', headers: headersFor(role) });

describe('GET /v1/carriers', () => {
  it('lists the registered carriers by name for the bureau and enforcement, and a carrier only itself', async () => {
    for (const role of ['bureau', 'enforcement'] as const) {
      expect((await list(role)).json<{ items: { carrierId: string; name: string }[] }>().items).toEqual([
        { carrierId: 'C1', name: '台州椒江危险品运输有限公司', licenceNo: null },
        { carrierId: 'C2', name: 'Linhai Hazmat Transport', licenceNo: null },
      ]);
    }
    expect((await list('carrier:C2')).json<{ items: { carrierId: string }[] }>().items.map((c) => c.carrierId)).toEqual(['C2']);
    expect((await list('ingest')).statusCode).toBe(403);
    expect((await list(null as unknown as TestRole)).statusCode).toBe(401);
  });
});
