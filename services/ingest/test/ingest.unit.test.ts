import { createInProcessBus, headerText, topicNames, topicSpecs, type Bus, type BusProducer } from '@dgt/bus';
import { canonicalJson, parseEvent } from '@dgt/events';
import type { ServiceApp } from '@dgt/http';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIngestApp, type IngestConfig, type IngestResponse } from '../src/index.ts';
import { asIngest, closed, declared, fixtureClock, keys, position, readAll, testConfig, zoneWithdrawn } from './fixtures.ts';

const names = topicNames();
const allTopics = [names.positions, names.consignments, names.zones];

let bus: Bus;
let app: ServiceApp;

async function start(config: IngestConfig = testConfig(), withBus?: Bus): Promise<ServiceApp> {
  // The memory bus is not durable: these tests are about validation and publishing, not crashes.
  app = await buildIngestApp({ config, bus: withBus ?? bus, registry: new Registry(), defaultMetrics: false, now: fixtureClock, allowNonDurableBusForTests: true });
  return app;
}

function post(payload: unknown, headers: Record<string, string> = asIngest) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'application/json', ...headers }, payload: body });
}

beforeEach(async () => {
  bus = createInProcessBus();
  await bus.ensureTopics(topicSpecs(names));
});
afterEach(async () => {
  await app?.close();
  await bus.close();
});

describe('POST /v1/events: authentication', () => {
  it('answers 401 without a key and publishes nothing', async () => {
    await start();
    const res = await post([position('V1', 1)], {});
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
    expect(await readAll(bus, allTopics)).toEqual([]);
  });

  it('answers 403 to a bureau key', async () => {
    await start();
    const res = await post([position('V1', 1)], { 'x-api-key': keys.bureau });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(await readAll(bus, allTopics)).toEqual([]);
  });
});

describe('POST /v1/events: publishing', () => {
  it('answers 202 with per-item results and publishes each event keyed to its topic with canonical bytes and headers', async () => {
    await start();
    const events = [position('V1', 1), declared('W1'), zoneWithdrawn('Z9'), closed('W1'), position('V1', 2)];
    const res = await post(events, { authorization: `Bearer ${keys.ingest}` });
    expect(res.statusCode).toBe(202);
    const body = res.json<IngestResponse>();
    expect(body).toEqual({
      accepted: 5,
      rejected: 0,
      duplicates: 0,
      conflicts: 0,
      results: events.map((e, index) => ({ index, eventId: e.eventId, status: 'accepted' })),
    });
    const published = await readAll(bus, allTopics);
    expect(published).toHaveLength(5);
    const byId = new Map(published.map((m) => [headerText(m, 'dgt-event-id'), m]));
    const expectations = [
      [events[0], names.positions, 'V1'],
      [events[1], names.consignments, 'W1'],
      [events[2], names.zones, 'Z9'],
      [events[3], names.consignments, 'W1'],
      [events[4], names.positions, 'V1'],
    ] as const;
    for (const [event, topic, key] of expectations) {
      const m = byId.get(event?.eventId as string);
      expect(m?.topic).toBe(topic);
      expect(m?.key).toBe(key);
      expect(m?.value.toString('utf8')).toBe(canonicalJson(parseEvent(event)));
      expect(headerText(m!, 'dgt-event-type')).toBe(event?.type);
      expect(Date.parse(headerText(m!, 'dgt-ingested-at') ?? '')).not.toBeNaN();
    }
  });

  it('keeps the client order per key: positions of one vehicle and events of one waybill', async () => {
    await start();
    const positions = Array.from({ length: 50 }, (_, i) => position(i % 2 === 0 ? 'V-even' : 'V-odd', i));
    const waybill = [declared('W7'), closed('W7')];
    const res = await post([...positions, ...waybill]);
    expect(res.statusCode).toBe(202);
    const published = await readAll(bus, allTopics);
    const idsOf = (key: string) => published.filter((m) => m.key === key).map((m) => headerText(m, 'dgt-event-id'));
    expect(idsOf('V-even')).toEqual(positions.filter((_, i) => i % 2 === 0).map((p) => p.eventId));
    expect(idsOf('V-odd')).toEqual(positions.filter((_, i) => i % 2 === 1).map((p) => p.eventId));
    expect(idsOf('W7')).toEqual(waybill.map((e) => e.eventId));
  });

  it('accepts the valid items of a mixed batch, publishes only those and names the field paths of the others', async () => {
    await start();
    const good = [position('V1', 1), position('V2', 2)];
    const badLat = position('V3', 3);
    (badLat.data as Record<string, unknown>).lat = 123;
    const badGoods = declared('W2');
    (badGoods.data as { goods: Record<string, unknown>[] }).goods[0]!.unNumber = 'UN1230';
    const res = await post([good[0], badLat, { ...position('V4', 4), type: 'VehicleTeleported' }, badGoods, good[1]]);
    expect(res.statusCode).toBe(202);
    const body = res.json<IngestResponse>();
    expect(body.accepted).toBe(2);
    expect(body.rejected).toBe(3);
    expect(body.results.map((r) => [r.index, r.status, r.reason])).toEqual([
      [0, 'accepted', undefined],
      [1, 'rejected', 'invalid'],
      [2, 'rejected', 'unknown_type'],
      [3, 'rejected', 'invalid'],
      [4, 'accepted', undefined],
    ]);
    expect(body.results[1]?.errors?.map((e) => e.path)).toEqual(['data.lat']);
    expect(body.results[1]?.eventId).toBe(badLat.eventId);
    expect(body.results[2]?.errors).toEqual([{ path: 'type', message: 'unknown event type "VehicleTeleported"' }]);
    expect(body.results[3]?.errors?.map((e) => e.path)).toEqual(['data.goods.0.unNumber']);
    const published = await readAll(bus, allTopics);
    expect(published.map((m) => headerText(m, 'dgt-event-id')).sort()).toEqual(good.map((e) => e.eventId).sort());
  });

  it('refuses detection events, which only dgt itself produces', async () => {
    await start();
    const detection = {
      eventId: 'ip-1',
      type: 'IllegalParkingStarted',
      occurredAt: '2026-03-02T08:00:00Z',
      data: { vehicleId: 'V1' },
    };
    const res = await post([detection, { ...detection, eventId: 'ax-1', type: 'AccidentSegmentEntered' }]);
    const body = res.json<IngestResponse>();
    expect(body.accepted).toBe(0);
    expect(body.results.map((r) => r.reason)).toEqual(['detection_not_ingestible', 'detection_not_ingestible']);
    expect(body.results[0]?.errors?.[0]?.path).toBe('type');
    expect(await readAll(bus, allTopics)).toEqual([]);
  });

  it('refuses ClockTicked: time in the record is the recorder\'s, never a client\'s', async () => {
    await start();
    const tick = { eventId: 'tick-1', type: 'ClockTicked', occurredAt: '2026-03-02T08:00:00Z', data: { at: '2026-03-02T08:00:00Z' } };
    const body = (await post([tick])).json<IngestResponse>();
    expect(body.accepted).toBe(0);
    expect(body.results[0]).toMatchObject({ status: 'rejected', reason: 'detection_not_ingestible' });
    expect(body.results[0]?.errors?.[0]).toMatchObject({ path: 'type', message: 'ClockTicked events cannot be ingested' });
    expect(await readAll(bus, allTopics)).toEqual([]);
  });

  it('refuses case and points events, valid or not: decisions are recorded by the case API, never posted by a client', async () => {
    await start();
    const by = { principal: 'k-1', role: 'bureau' };
    const opened = {
      eventId: 'case-1',
      type: 'CaseOpened',
      occurredAt: '2026-03-02T08:00:00Z',
      data: { caseId: 'K1', carrierId: 'C1', vehicleId: 'V1', kind: 'illegal-parking', violationIds: ['p-1/IllegalParkingStarted'], window: { from: '2026-03-02T07:00:00Z', to: '2026-03-02T08:00:00Z' }, openedBy: 'officer', by },
    };
    const cleared = { eventId: 'clr-1', type: 'PointsCleared', occurredAt: '2026-03-02T08:00:00Z', data: { carrierId: 'C1' } };
    const body = (await post([opened, cleared])).json<IngestResponse>();
    expect(body.accepted).toBe(0);
    expect(body.results.map((r) => r.reason)).toEqual(['detection_not_ingestible', 'detection_not_ingestible']);
    expect(body.results[0]?.errors?.[0]).toMatchObject({ path: 'type', message: expect.stringContaining('CaseOpened events are recorded by dgt') });
    expect(body.results[1]?.errors?.[0]?.message).toContain('PointsCleared events are recorded by dgt');
    expect(await readAll(bus, allTopics)).toEqual([]);
  });

  it('accepts the first of duplicated eventIds in a batch and rejects the others', async () => {
    await start();
    const p = position('V1', 1);
    const res = await post([p, position('V1', 2), { ...p, data: { ...(p.data as object), speedKmh: 1 } }]);
    const body = res.json<IngestResponse>();
    expect(body.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'rejected']);
    expect(body.results[2]).toMatchObject({ index: 2, eventId: p.eventId, reason: 'duplicate_in_batch' });
    expect(body.results[2]?.errors?.[0]?.message).toContain('duplicate in batch');
    const published = await readAll(bus, allTopics);
    expect(published.filter((m) => headerText(m, 'dgt-event-id') === p.eventId)).toHaveLength(1);
  });
});

describe('POST /v1/events: NDJSON', () => {
  it('takes one event per line, ignores blank lines and rejects a line that is not JSON on its own', async () => {
    await start();
    const a = position('V1', 1);
    const b = position('V1', 2);
    const payload = `${JSON.stringify(a)}\n\n{"eventId": oops\r\n${JSON.stringify(b)}\n`;
    const res = await app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...asIngest, 'content-type': 'application/x-ndjson' },
      payload,
    });
    expect(res.statusCode).toBe(202);
    const body = res.json<IngestResponse>();
    expect(body.results).toEqual([
      { index: 0, line: 1, eventId: a.eventId, status: 'accepted' },
      { index: 1, line: 3, status: 'rejected', reason: 'not_json', errors: [{ path: '', message: expect.stringMatching(/^line 3 is not valid JSON/) }] },
      { index: 2, line: 4, eventId: b.eventId, status: 'accepted' },
    ]);
    const published = await readAll(bus, allTopics);
    expect(published.map((m) => headerText(m, 'dgt-event-id'))).toEqual([a.eventId, b.eventId]);
  });
});

describe('POST /v1/events: whole-body failures publish nothing', () => {
  it('answers 413 with the limit in the message when the batch is over the limit', async () => {
    await start(testConfig({ maxBatch: 3 }));
    const res = await post([1, 2, 3, 4].map((i) => position('V1', i)));
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('at most 3 events') });
    expect(await readAll(bus, allTopics)).toEqual([]);
  });

  it('answers 413 over the body size limit', async () => {
    await start(testConfig({ bodyLimitBytes: 2048 }));
    const res = await post(Array.from({ length: 20 }, (_, i) => position('V1', i)));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await readAll(bus, allTopics)).toEqual([]);
  });

  it('answers 400 to a JSON body that is not an array', async () => {
    await start();
    const res = await post(position('V1', 1));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'body', message: expect.stringContaining('JSON array of events') }],
    });
    expect(await readAll(bus, allTopics)).toEqual([]);
  });

  it('reads a batch written with whitespace as the same batch written without, fixes first and last alike', async () => {
    await start();
    const events = [position('V1', 1), declared('W1'), position('V1', 2)];
    const res = await post(JSON.stringify(events, null, 2), { authorization: `Bearer ${keys.ingest}` });
    expect(res.statusCode).toBe(202);
    expect(res.json<IngestResponse>().accepted).toBe(3);
    const published = await readAll(bus, allTopics);
    expect(published.map((m) => m.value.toString('utf8')).sort()).toEqual(events.map((e) => canonicalJson(parseEvent(e))).sort());
  });

  it('answers 400 to a JSON body holding a __proto__ key, as fastify answers it, fixes around it or not', async () => {
    await start();
    const fix = JSON.stringify(position('V1', 1));
    for (const body of [`[${fix},{"__proto__":{"admin":true}}]`, `[${fix.replace('{"eventId"', '{"__proto__":{},"eventId"')}]`, `[{"constructor":{"prototype":{"x":1}}},${fix}]`, `[${fix},{"data":{"\\u005F_proto__":1}}]`]) {
      const res = await post(body, { authorization: `Bearer ${keys.ingest}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('BODY_UNPARSEABLE');
    }
    expect(await readAll(bus, allTopics)).toEqual([]);
  });

  it('reads a JSON body that starts with a byte-order mark, as fastify does', async () => {
    await start();
    const res = await post(`\ufeff${JSON.stringify([position('V1', 1)])}`);
    expect(res.statusCode).toBe(202);
    expect(res.json<IngestResponse>().accepted).toBe(1);
  });

  it('answers 400 to an empty JSON body', async () => {
    await start();
    const res = await post('');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('BODY_UNPARSEABLE');
  });

  it('answers 400 to an unparseable JSON body', async () => {
    await start();
    const res = await post(`[${JSON.stringify(position('V1', 1))},{"eventId":`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('BODY_UNPARSEABLE');
    expect(await readAll(bus, allTopics)).toEqual([]);
  });
});

describe('POST /v1/events: broker failures', () => {
  function failingBus(inner: Bus, send: BusProducer['send']): Bus {
    return {
      durable: inner.durable,
      ensureTopics: (t) => inner.ensureTopics(t),
      consumer: (o) => inner.consumer(o),
      close: () => inner.close(),
      producer: () => ({ send, close: async () => {} }),
    };
  }

  it('answers 503 UNAVAILABLE with Retry-After when the producer fails', async () => {
    await start(testConfig(), failingBus(bus, async () => Promise.reject(new Error('broker down'))));
    const res = await post([position('V1', 1), position('V1', 2)]);
    expect(res.statusCode).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.json().error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('retry the whole batch') });
    expect(res.body).not.toContain('broker down');
  });

  it('answers 503 within the publish timeout when the broker never acknowledges', async () => {
    await start(testConfig({ publishTimeoutMs: 150 }), failingBus(bus, () => new Promise(() => {})));
    const started = Date.now();
    const res = await post([position('V1', 1)]);
    expect(res.statusCode).toBe(503);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('health and metrics', () => {
  it('reports ready while the bus answers and not ready when it does not', async () => {
    await start();
    const ok = await app.inject({ method: 'GET', url: '/readyz', headers: asIngest });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'ready', checks: { bus: { ok: true } } });
    await app.close();
    const broken: Bus = {
      durable: bus.durable,
      ensureTopics: () => Promise.reject(new Error('ECONNREFUSED')),
      producer: () => bus.producer(),
      consumer: (o) => bus.consumer(o),
      close: () => bus.close(),
    };
    await start(testConfig(), broken);
    const down = await app.inject({ method: 'GET', url: '/readyz', headers: { 'x-api-key': keys.metrics } });
    expect(down.statusCode).toBe(503);
    expect(down.json().checks.bus).toEqual({ ok: false, detail: 'the message bus is unreachable' });
    expect((await app.inject({ method: 'GET', url: '/healthz', headers: asIngest })).statusCode).toBe(200);
  });

  it('counts accepted and rejected events by type and reason, and batches by outcome', async () => {
    await start();
    const badLat = position('V3', 3);
    (badLat.data as Record<string, unknown>).lat = 123;
    const p = position('V1', 1);
    await post([p, declared('W1'), badLat, p, { ...p, eventId: 'x', type: 'Nope' }, { ...p, eventId: 'y', type: 'IllegalParkingEnded' }]);
    await post('{');
    await post([p], {});
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: asIngest })).statusCode).toBe(403);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics', headers: { 'x-api-key': keys.metrics } })).body;
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect(value('dgt_ingest_events_total{type="VehiclePositionReported",outcome="accepted",reason="none"}')).toBe(1);
    expect(value('dgt_ingest_events_total{type="ConsignmentDeclared",outcome="accepted",reason="none"}')).toBe(1);
    expect(value('dgt_ingest_events_total{type="VehiclePositionReported",outcome="rejected",reason="invalid"}')).toBe(1);
    expect(value('dgt_ingest_events_total{type="VehiclePositionReported",outcome="rejected",reason="duplicate_in_batch"}')).toBe(1);
    expect(value('dgt_ingest_events_total{type="unknown",outcome="rejected",reason="unknown_type"}')).toBe(1);
    expect(value('dgt_ingest_events_total{type="IllegalParkingEnded",outcome="rejected",reason="detection_not_ingestible"}')).toBe(1);
    expect(value('dgt_ingest_batches_total{status="accepted"}')).toBe(1);
    expect(value('dgt_ingest_batches_total{status="bad_request"}')).toBe(1);
    expect(value('dgt_ingest_batches_total{status="denied"}')).toBe(1);
    expect(value('dgt_ingest_publish_seconds_count{outcome="ok"}')).toBe(1);
    expect(metrics).toContain('dgt_http_request_duration_seconds_count{method="POST",route="/v1/events",status_code="202"} 1');
  });
});
