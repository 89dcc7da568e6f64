import type { ReceivedMessage } from '@dgt/bus';
import { topicNames, topicSpecs } from '@dgt/bus';
import type { DgtEvent } from '@dgt/events';
import { driverMessageEventId } from '@dgt/events';
import { driverMessagesStream } from '@dgt/eventstore';
import { afterEach, describe, expect, it } from 'vitest';
import { headersFor, NOW, startTestApi, type TestRole } from './apiTestKit.ts';

type Api = Awaited<ReturnType<typeof startTestApi>>;
let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const post = (path: string, role: TestRole | null, payload: unknown) => api!.app.inject({ method: 'POST', url: path, headers: { ...headersFor(role), 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
const get = (path: string, role: TestRole | null) => api!.app.inject({ method: 'GET', url: path, headers: headersFor(role) });

/** An API with an in-process bus whose topics exist, as the stack and Kafka deployments have them. */
async function startWithBus(): Promise<Api> {
  const a = await startTestApi({ withBus: true });
  await a.bus!.ensureTopics(topicSpecs());
  return a;
}

/** Everything on the consignments topic, from its start. */
async function consignmentMessages(a: Api): Promise<ReceivedMessage[]> {
  const seen: ReceivedMessage[] = [];
  const consumer = a.bus!.consumer({ groupId: `t-${seen.length}-${Math.random()}`, startFrom: 'earliest' });
  await consumer.run({ topics: [topicNames().consignments], eachBatch: async (b) => void seen.push(...b.messages) });
  await new Promise((r) => setTimeout(r, 50));
  await consumer.stop();
  return seen;
}

async function record(a: Api, events: DgtEvent[]): Promise<void> {
  for (const e of events) await a.store.append(driverMessagesStream((e.data as { vehicleId: string }).vehicleId), [e]);
}

const requested = (messageId: string, at: string, over: Record<string, unknown> = {}): DgtEvent =>
  ({
    eventId: driverMessageEventId(messageId, 'requested'),
    type: 'DriverMessageRequested',
    occurredAt: at,
    data: { messageId, vehicleId: 'V1', text: '请驶离', display: true, tts: false, emergency: false, by: 'bureau-1', reason: 'officer', ...over },
  }) as DgtEvent;
const where = (messageId: string, gatewayId = 'gw-a') => ({ messageId, vehicleId: 'V1', terminalPhone: '13900000001', serial: 7, gatewayId });
const sent = (id: string, at: string, gw?: string): DgtEvent => ({ eventId: driverMessageEventId(id, 'sent'), type: 'DriverMessageSent', occurredAt: at, data: where(id, gw) });
const delivered = (id: string, at: string): DgtEvent => ({ eventId: driverMessageEventId(id, 'delivered'), type: 'DriverMessageDelivered', occurredAt: at, data: where(id) });
const undeliverable = (id: string, at: string, data: Record<string, unknown>, step: 'undeliverable' | 'not-connected' = 'undeliverable'): DgtEvent =>
  ({ eventId: driverMessageEventId(id, step), type: 'DriverMessageUndeliverable', occurredAt: at, data: { messageId: id, vehicleId: 'V1', gatewayId: 'gw-b', ...data } }) as DgtEvent;

describe('POST /v1/vehicles/:id/messages', () => {
  it('lets the bureau ask for a message: 202 with its id, and the request on the consignments topic keyed by the vehicle', async () => {
    api = await startWithBus();
    const res = await post('/v1/vehicles/V1/messages', 'bureau', { text: '请立即驶离当前位置，前往椒江危险货物专用停车场', tts: true });
    expect(res.statusCode).toBe(202);
    const { messageId, status } = res.json<{ messageId: string; status: string }>();
    expect(messageId).toMatch(/^dm-[0-9a-f-]{36}$/);
    expect(status).toBe('requested');
    const [m] = await consignmentMessages(api);
    expect(m!.key).toBe('V1');
    expect(m!.headers['dgt-event-type']?.toString()).toBe('DriverMessageRequested');
    expect(JSON.parse(m!.value.toString())).toEqual({
      eventId: `dm:${messageId}:requested`,
      type: 'DriverMessageRequested',
      occurredAt: NOW.toISOString(),
      data: { messageId, vehicleId: 'V1', text: '请立即驶离当前位置，前往椒江危险货物专用停车场', display: true, tts: true, emergency: false, by: 'bureau-1', reason: 'officer' },
    });
  });

  it('refuses every role but the bureau, and a caller without a key', async () => {
    api = await startWithBus();
    for (const role of ['enforcement', 'carrier:C1', 'ingest', 'registry', 'metrics'] as const) {
      expect((await post('/v1/vehicles/V1/messages', role, { text: '请驶离' })).statusCode, role).toBe(403);
    }
    expect((await post('/v1/vehicles/V1/messages', null, { text: '请驶离' })).statusCode).toBe(401);
    expect(await consignmentMessages(api)).toEqual([]);
  });

  it('answers 404 for a vehicle it does not know, and sends nothing', async () => {
    api = await startWithBus();
    const res = await post('/v1/vehicles/NOPE/messages', 'bureau', { text: '请驶离' });
    expect(res.statusCode).toBe(404);
    expect(await consignmentMessages(api)).toEqual([]);
  });

  it.each([
    ['an empty text', { text: '   ' }, 'body.text', 'must not be empty'],
    ['a text over 200 characters', { text: '停'.repeat(201) }, 'body.text', 'at most 200 characters'],
    ['a character a terminal cannot show', { text: '请驶离😀' }, 'body.text', '"😀" has no GBK code'],
    ['a line break', { text: '请驶离\n停车场' }, 'body.text', 'control characters'],
    ['a tts flag that is not a boolean', { text: '请驶离', tts: 'yes' }, 'body.tts', ''],
    ['a field it does not know', { text: '请驶离', colour: 'red' }, 'body', ''],
  ])('refuses %s with 400 naming the field', async (_what, body, path, message) => {
    api = await startWithBus();
    const res = await post('/v1/vehicles/V1/messages', 'bureau', body);
    expect(res.statusCode).toBe(400);
    const details = res.json<{ error: { code: string; details: { path: string; message: string }[] } }>().error;
    expect(details.code).toBe('VALIDATION_FAILED');
    expect(details.details.some((d) => d.path === path && d.message.includes(message))).toBe(true);
  });

  it('answers 503 when the API runs without a bus, naming what it needs', async () => {
    api = await startTestApi();
    const res = await post('/v1/vehicles/V1/messages', 'bureau', { text: '请驶离' });
    expect(res.statusCode).toBe(503);
    expect(res.json<{ error: { message: string } }>().error.message).toContain('bus');
  });
});

describe('GET /v1/vehicles/:id/messages', () => {
  const t = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();

  it('lists a vehicle’s messages newest first, each with the status its recorded events give it', async () => {
    api = await startTestApi();
    await record(api, [
      requested('dm-delivered', t(0)),
      sent('dm-delivered', t(0.1)),
      delivered('dm-delivered', t(0.2)),
      requested('dm-refused', t(1), { tts: true }),
      sent('dm-refused', t(1.1)),
      undeliverable('dm-refused', t(1.2), { reason: 'refused', terminalResult: 3, gatewayId: 'gw-a' }),
      requested('dm-nobody', t(2)),
      undeliverable('dm-nobody', t(12), { reason: 'not-connected', timeoutMs: 600_000 }, 'not-connected'),
      requested('dm-p-0123456789abcdef0123', t(3), { reason: 'policy', by: 'driver-message-policy', policyRule: 'nearest-lot-on-illegal-parking', detectionId: 'fix-1/IllegalParkingStarted' }),
      sent('dm-p-0123456789abcdef0123', t(3.1), 'gw-a'),
      // Another gateway that did not hold the terminal gave up on it: the send stands.
      undeliverable('dm-p-0123456789abcdef0123', t(13), { reason: 'not-connected', timeoutMs: 600_000 }, 'not-connected'),
      requested('dm-waiting', t(4)),
    ]);
    const res = await get('/v1/vehicles/V1/messages', 'bureau');
    expect(res.statusCode).toBe(200);
    const { vehicleId, items } = res.json<{ vehicleId: string; items: Record<string, unknown>[] }>();
    expect(vehicleId).toBe('V1');
    expect(items.map((i) => [i.messageId, i.status, i.undeliverableReason])).toEqual([
      ['dm-waiting', 'requested', null],
      ['dm-p-0123456789abcdef0123', 'sent', null],
      ['dm-nobody', 'undeliverable', 'not-connected'],
      ['dm-refused', 'undeliverable', 'refused'],
      ['dm-delivered', 'delivered', null],
    ]);
    expect(items[1]).toMatchObject({ reason: 'policy', policyRule: 'nearest-lot-on-illegal-parking', detectionId: 'fix-1/IllegalParkingStarted', by: 'driver-message-policy' });
    expect(items[3]).toMatchObject({ terminalResult: 3, tts: true, statusAt: t(1.2) });
    expect(items[4]).toMatchObject({ sentAt: t(0.1), deliveredAt: t(0.2), statusAt: t(0.2), requestedAt: t(0), reason: 'officer', policyRule: null });
  });

  it('lets the bureau and enforcement list any vehicle, a carrier only its own, and 404s the rest', async () => {
    api = await startTestApi();
    await record(api, [requested('dm-1', t(0))]);
    for (const role of ['bureau', 'enforcement', 'carrier:C1'] as const) {
      const res = await get('/v1/vehicles/V1/messages', role);
      expect(res.statusCode, role).toBe(200);
      expect(res.json<{ items: unknown[] }>().items, role).toHaveLength(1);
    }
    expect((await get('/v1/vehicles/V1/messages', 'carrier:C2')).statusCode).toBe(404);
    expect((await get('/v1/vehicles/NOPE/messages', 'bureau')).statusCode).toBe(404);
    expect((await get('/v1/vehicles/V1/messages', 'ingest')).statusCode).toBe(403);
    expect((await get('/v1/vehicles/V1/messages', null)).statusCode).toBe(401);
  });

  it('lists nothing for a vehicle no message was asked for', async () => {
    api = await startTestApi();
    const res = await get('/v1/vehicles/V2/messages', 'enforcement');
    expect(res.json()).toEqual({ vehicleId: 'V2', items: [] });
  });
});
