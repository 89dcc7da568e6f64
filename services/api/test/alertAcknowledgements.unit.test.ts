import { createMemoryReadModelStore } from '@dgt/readmodels';
import { detectionsStream } from '@dgt/eventstore';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApiApp } from '../src/app.ts';
import { headersFor, NOW, startTestApi, testConfig, type TestApi, type TestRole } from './apiTestKit.ts';

/*
 * Issue #18 item 3: a duty officer acknowledges an alert with a note (AlertAcknowledged: who and
 * when), once; every desk sees it.
 */

let api: TestApi;
const parkingId = 'fix-V1-7/IllegalParkingStarted';
beforeEach(async () => {
  api = await startTestApi();
  await api.store.append(detectionsStream('V1'), [
    { eventId: parkingId, type: 'IllegalParkingStarted', occurredAt: '2026-03-05T09:00:00Z', data: { vehicleId: 'V1', waybillNo: 'W1', carrierId: 'C1', lon: 121.42, lat: 28.65, stoppedSince: '2026-03-05T08:50:00Z', evidence: ['fix-V1-7'] } },
  ]);
});
afterEach(async () => api.close());

const post = (role: TestRole, alertId: string, body: unknown) =>
  api.app.inject({ method: 'POST', url: `/v1/alerts/${encodeURIComponent(alertId)}/acknowledgement`, headers: { ...headersFor(role), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
const list = (role: TestRole) => api.app.inject({ method: 'GET', url: '/v1/alerts/acknowledgements', headers: headersFor(role) });

describe('alert acknowledgements', () => {
  it('records who acknowledged an alert, when and with what note, and lists it for every desk', async () => {
    const res = await post('bureau', parkingId, { vehicleId: 'V1', note: '已电话联系承运人，车辆 10 分钟内驶离' });
    expect(res.statusCode, res.body).toBe(201);
    const ack = res.json<{ acknowledgement: { alertId: string; note: string; by: { principal: string; role: string }; at: string } }>().acknowledgement;
    expect(ack).toMatchObject({ alertId: parkingId, note: '已电话联系承运人，车辆 10 分钟内驶离', by: { role: 'bureau' }, at: NOW.toISOString() });
    const recorded = [];
    for await (const r of api.store.readStream('alert-acknowledgements')) recorded.push(r.event);
    expect(recorded).toMatchObject([{ type: 'AlertAcknowledged', eventId: `ack/${parkingId}`, data: { alertId: parkingId, vehicleId: 'V1' } }]);
    await Promise.all((['bureau', 'enforcement'] as const).map(async (role) => expect((await list(role)).json<{ items: { alertId: string }[] }>().items.map((i) => i.alertId)).toEqual([parkingId])));
  });

  it('acknowledges an alert once: a second officer is told who took it and when (409)', async () => {
    expect((await post('bureau', parkingId, { vehicleId: 'V1', note: 'first' })).statusCode).toBe(201);
    const again = await post('bureau', parkingId, { vehicleId: 'V1', note: 'second' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain(`acknowledged by`);
    expect(again.body).toContain(NOW.toISOString());
  });

  it('shows an acknowledgement recorded by another API process over the same store', async () => {
    const readModels = createMemoryReadModelStore();
    const other = await buildApiApp({ config: testConfig(), store: api.store, readModels, defaultMetrics: false, now: () => NOW });
    try {
      expect((await other.inject({ method: 'POST', url: `/v1/alerts/${encodeURIComponent(parkingId)}/acknowledgement`, headers: { ...headersFor('bureau'), 'content-type': 'application/json' }, payload: '{"vehicleId":"V1","note":"from the other desk"}' })).statusCode).toBe(201);
      for (let i = 0; i < 50; i++) {
        const items = (await list('bureau')).json<{ items: { note: string }[] }>().items;
        if (items.length > 0) {
          expect(items[0]?.note).toBe('from the other desk');
          break;
        }
        if (i === 49) throw new Error('the acknowledgement never reached the first API');
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await post('bureau', parkingId, { vehicleId: 'V1', note: 'late' })).statusCode).toBe(409);
    } finally {
      await other.close();
      await readModels.close();
    }
  });

  it('refuses an id that is no detection of that vehicle (404), a long note (400 naming it), and keys that are not the desk', async () => {
    expect((await post('bureau', 'no-such-alert', { vehicleId: 'V1' })).statusCode).toBe(404);
    expect((await post('bureau', parkingId, { vehicleId: 'V3' })).statusCode).toBe(404);
    expect((await post('bureau', 'pos-V1-5', { vehicleId: 'V1' })).statusCode).toBe(404);
    const long = await post('bureau', parkingId, { vehicleId: 'V1', note: 'x'.repeat(501) });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('note');
    expect((await post('enforcement', parkingId, { vehicleId: 'V1' })).statusCode).toBe(403);
    expect((await post('carrier:C1', parkingId, { vehicleId: 'V1' })).statusCode).toBe(403);
    expect((await list('carrier:C1')).statusCode).toBe(403);
    expect((await post(null as unknown as TestRole, parkingId, { vehicleId: 'V1' })).statusCode).toBe(401);
  });
});
