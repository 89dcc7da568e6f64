import { createInProcessBus, headerText, topicNames, topicSpecs, type Bus } from '@dgt/bus';
import { canonicalJson, parseEvent } from '@dgt/events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMemoryEventStore, openSqliteEventStore, vehicleStream, type EventStore } from '@dgt/eventstore';
import type { ServiceApp } from '@dgt/http';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIngestApp, MAX_ITEM_DEPTH, type IngestAppOptions, type IngestConfig, type IngestResponse } from '../src/index.ts';
import { RecentIds } from '../src/knownEvents.ts';
import { asIngest, declared, fixtureClock, keys, position, readAll, receivedAt, testConfig } from './fixtures.ts';

/*
 * The attacks of issue 14 on the gateway, each shown refused item by item while the good
 * neighbours of the same batch still go through.
 */

const names = topicNames();
const allTopics = [names.positions, names.consignments, names.zones];

let bus: Bus;
let app: ServiceApp | undefined;
const opened: ServiceApp[] = [];

beforeEach(async () => {
  bus = createInProcessBus();
  await bus.ensureTopics(topicSpecs(names));
});
afterEach(async () => {
  for (const a of opened.splice(0)) await a.close();
  app = undefined;
  await bus.close();
});

async function start(config: IngestConfig = testConfig(), extra: Partial<IngestAppOptions> = {}): Promise<ServiceApp> {
  app = await buildIngestApp({ config, bus, registry: new Registry(), defaultMetrics: false, now: fixtureClock, allowNonDurableBusForTests: true, ...extra });
  opened.push(app);
  return app;
}

function post(payload: unknown, contentType = 'application/json', on: ServiceApp | undefined = app) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return on!.inject({ method: 'POST', url: '/v1/events', headers: { ...asIngest, 'content-type': contentType }, payload: body });
}

async function publishedIds(): Promise<string[]> {
  return (await readAll(bus, allTopics)).map((m) => headerText(m, 'dgt-event-id') as string);
}

async function metric(series: string): Promise<number> {
  const text = (await app!.inject({ method: 'GET', url: '/metrics', headers: { 'x-api-key': keys.metrics } })).body;
  return Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
}

const at = (iso: string, seq = 1) => ({ ...position('V1', seq), occurredAt: iso });

describe('plausible time at the boundary', () => {
  it('refuses fixes dated 2099, 9999-12-31 and 0001-01-01 item by item, with the field and a reason code, and accepts their neighbours', async () => {
    await start();
    const good = [position('V1', 1), position('V2', 2)];
    const batch = [good[0], at('2099-01-01T00:00:00Z'), at('9999-12-31T23:59:59Z'), at('0001-01-01T00:00:00Z'), good[1]];
    const res = await post(batch);
    expect(res.statusCode).toBe(202);
    const body = res.json<IngestResponse>();
    expect(body).toMatchObject({ accepted: 2, rejected: 3 });
    expect(body.results.map((r) => [r.status, r.reason])).toEqual([
      ['accepted', undefined],
      ['rejected', 'time_in_future'],
      ['rejected', 'time_in_future'],
      ['rejected', 'time_too_old'],
      ['accepted', undefined],
    ]);
    expect(body.results[1]?.errors).toEqual([{ path: 'occurredAt', message: expect.stringContaining('INGEST_MAX_FUTURE_SKEW_S') }]);
    expect(body.results[1]?.errors?.[0]?.message).toMatch(/73 years after the gateway received/);
    expect(body.results[3]?.errors?.[0]?.path).toBe('occurredAt');
    expect((await publishedIds()).sort()).toEqual(good.map((e) => e.eventId).sort());
    expect(await metric('dgt_ingest_events_total{type="VehiclePositionReported",outcome="rejected",reason="time_in_future"}')).toBe(2);
    expect(await metric('dgt_ingest_events_total{type="VehiclePositionReported",outcome="rejected",reason="time_too_old"}')).toBe(1);
  });

  it('tells the operator how to widen the back-fill window when a fix is older than it', async () => {
    await start();
    const res = await post([at('2026-02-20T00:00:00Z')]);
    const message = res.json<IngestResponse>().results[0]?.errors?.[0]?.message ?? '';
    expect(message).toContain('older than its back-fill window of 7 days');
    expect(message).toMatch(/INGEST_BACKFILL_WINDOW_S=604800\).*dgt simulate --ingest.*restarts the gateway with INGEST_BACKFILL_WINDOW_S/);
  });

  it('measures both limits from the receipt clock, to the second, as configured', async () => {
    await start(testConfig({ time: { maxFutureSkewS: 60, backfillWindowS: 3600 } }));
    const ms = receivedAt.getTime();
    const iso = (offsetS: number) => new Date(ms + offsetS * 1000).toISOString();
    const res = await post([at(iso(60), 1), at(iso(61), 2), at(iso(-3600), 3), at(iso(-3601), 4)]);
    expect(res.json<IngestResponse>().results.map((r) => r.reason ?? r.status)).toEqual(['accepted', 'time_in_future', 'accepted', 'time_too_old']);
  });

  it('refuses a consignment step dated in the future but takes an old one; zone designations are not checked', async () => {
    await start();
    const farLoading = { eventId: 'load-far', type: 'LoadingCompleted', occurredAt: '2099-01-01T00:00:00Z', data: { waybillNo: 'W1', vehicleId: 'V1' } };
    const oldDeclared = { ...declared('W2'), occurredAt: '2025-01-01T00:00:00Z' };
    const plannedZone = { eventId: 'zone-next-year', type: 'ZoneWithdrawn', occurredAt: '2027-01-01T00:00:00Z', data: { zoneId: 'Z1' } };
    const res = await post([farLoading, oldDeclared, plannedZone]);
    expect(res.json<IngestResponse>().results.map((r) => r.reason ?? r.status)).toEqual(['time_in_future', 'accepted', 'accepted']);
  });
});

describe('ids that cannot collide or be hijacked', () => {
  it('answers a re-posted id with other content as a conflict per item (409 alone), keeps the first, and counts it', async () => {
    await start();
    const original = position('V1', 1);
    expect((await post([original])).statusCode).toBe(202);
    const changed = { ...original, data: { ...(original.data as object), speedKmh: 0 } };
    const alone = await post([changed]);
    expect(alone.statusCode).toBe(409);
    expect(alone.json<IngestResponse>()).toEqual({
      accepted: 0,
      rejected: 0,
      duplicates: 0,
      conflicts: 1,
      results: [{ index: 0, eventId: original.eventId, status: 'conflict', errors: [{ path: 'eventId', message: expect.stringContaining('it stands') }] }],
    });
    const fresh = position('V1', 2);
    const inBatch = await post([changed, fresh]);
    expect(inBatch.statusCode).toBe(202);
    expect(inBatch.json<IngestResponse>()).toMatchObject({ accepted: 1, conflicts: 1, results: [{ status: 'conflict' }, { status: 'accepted' }] });
    const published = await readAll(bus, allTopics);
    expect(published.map((m) => m.value.toString('utf8'))).toEqual([canonicalJson(parseEvent(original)), canonicalJson(parseEvent(fresh))]);
    expect(await metric('dgt_ingest_events_total{type="VehiclePositionReported",outcome="conflict",reason="none"}')).toBe(2);
    expect(await metric('dgt_ingest_batches_total{status="conflict"}')).toBe(1);
  });

  it('answers the same event posted again as a duplicate, 202, and does not publish it again', async () => {
    await start();
    const p = position('V1', 1);
    await post([p]);
    // Key order and whitespace do not make another event: the canonical form is compared.
    const reordered = `[{"data":${JSON.stringify(p.data)},  "occurredAt":"${p.occurredAt as string}","type":"VehiclePositionReported","eventId":"${p.eventId as string}"}]`;
    const again = await post(reordered);
    expect(again.statusCode).toBe(202);
    expect(again.json<IngestResponse>()).toEqual({ accepted: 0, rejected: 0, duplicates: 1, conflicts: 0, results: [{ index: 0, eventId: p.eventId, status: 'duplicate' }] });
    expect(await publishedIds()).toEqual([p.eventId]);
  });

  it('knows what the event store recorded, also on a gateway that never saw it (a restart, another instance)', async () => {
    const store: EventStore = openMemoryEventStore();
    const recorded = parseEvent(position('V1', 1));
    await store.append(vehicleStream('V1'), [recorded]);
    await start(testConfig(), { lookup: store });
    const res = await post([recorded, { ...recorded, data: { ...recorded.data, lat: 1 } }, position('V1', 2)]);
    expect(res.json<IngestResponse>().results.map((r) => r.status)).toEqual(['duplicate', 'rejected', 'accepted']);
    expect(res.json<IngestResponse>().results[1]?.reason).toBe('duplicate_in_batch');
    const other = await post([{ ...recorded, data: { ...recorded.data, lat: 1 } }]);
    expect(other.statusCode).toBe(409);
    expect((await publishedIds()).length).toBe(1);
    await store.close();
  });

  it('asks the recorder\'s SQLite file, read-only, when a standalone gateway is given INGEST_EVENTSTORE_PATH', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dgt-ingest-lookup-'));
    const path = join(dir, 'events.sqlite');
    const store = openSqliteEventStore({ path, readAhead: 'inline' });
    try {
      const recorded = parseEvent(position('V1', 1));
      await store.append(vehicleStream('V1'), [recorded]);
      await start(testConfig({ eventStorePath: path }));
      const res = await post([recorded, { ...recorded, eventId: 'other' }]);
      expect(res.json<IngestResponse>().results.map((r) => r.status)).toEqual(['duplicate', 'accepted']);
      expect((await post([{ ...recorded, data: { ...recorded.data, lat: 1 } }])).statusCode).toBe(409);
    } finally {
      await app?.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('treats a batch as new when the store cannot be asked, and says so in a metric', async () => {
    await start(testConfig(), { lookup: { recordedJson: () => Promise.reject(new Error('database is locked')) } });
    const res = await post([position('V1', 1)]);
    expect(res.statusCode).toBe(202);
    expect(res.json<IngestResponse>().accepted).toBe(1);
    expect(await metric('dgt_ingest_id_lookup_failures_total')).toBe(1);
  });

  it('refuses ids in the namespace dgt derives detections in, and ids with CR/LF or other control characters', async () => {
    await start();
    const squatter = { ...position('V1', 1), eventId: 'p-1/AccidentSegmentEntered/seg-g104' };
    const crlf = { ...position('V1', 2), eventId: 'p-2\r\nx-injected: 1' };
    const nul = { ...position('V1', 3), eventId: 'p-3\u0000' };
    const long = { ...position('V1', 4), eventId: 'x'.repeat(201) };
    const good = position('V1', 5);
    const res = await post([squatter, crlf, nul, long, good]);
    const body = res.json<IngestResponse>();
    expect(body.results.map((r) => [r.status, r.reason, r.errors?.[0]?.path])).toEqual([
      ['rejected', 'invalid', 'eventId'],
      ['rejected', 'invalid', 'eventId'],
      ['rejected', 'invalid', 'eventId'],
      ['rejected', 'invalid', 'eventId'],
      ['accepted', undefined, undefined],
    ]);
    expect(body.results[0]?.errors?.[0]?.message).toContain('no "/"');
    expect(await publishedIds()).toEqual([good.eventId]);
  });
});

describe('items that would break the gateway', () => {
  const nested = (depth: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = { a: value };
    return value;
  };
  /** As JSON text: stringifying 5,000 levels overflows the test's own stack, as it did the gateway's. */
  const nestedJson = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it('refuses an item nested 5,000 deep on its own (too_deep) and accepts the rest of the JSON array', async () => {
    await start();
    const p = position('V1', 1);
    const deep = JSON.stringify(p).replace(/"data":\{/, `"data":{"extra":${nestedJson(5000)},`);
    const good = [position('V1', 2), position('V1', 3)];
    const res = await post(`[${JSON.stringify(good[0])},${deep},${JSON.stringify(good[1])}]`);
    expect(res.statusCode).toBe(202);
    const body = res.json<IngestResponse>();
    expect(body.results.map((r) => r.reason ?? r.status)).toEqual(['accepted', 'too_deep', 'accepted']);
    expect(body.results[1]?.errors?.[0]?.message).toContain(`more than ${MAX_ITEM_DEPTH} levels`);
    expect((await publishedIds()).sort()).toEqual(good.map((e) => e.eventId).sort());
  });

  it('does the same for an NDJSON line nested 100,000 deep (arrays), and takes an item exactly at the limit to validation', async () => {
    await start();
    const deepLine = `{"eventId":"deep","type":"VehiclePositionReported","occurredAt":"2026-03-02T00:00:00Z","data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const atLimit = { ...position('V1', 4), data: nested(MAX_ITEM_DEPTH - 1) };
    const good = position('V1', 5);
    const payload = [JSON.stringify(position('V1', 1)), deepLine, JSON.stringify(atLimit), JSON.stringify(good)].join('\n');
    const res = await post(payload, 'application/x-ndjson');
    expect(res.statusCode).toBe(202);
    expect(res.json<IngestResponse>().results.map((r) => [r.line, r.reason ?? r.status])).toEqual([
      [1, 'accepted'],
      [2, 'too_deep'],
      [3, 'invalid'],
      [4, 'accepted'],
    ]);
  });

  it('refuses a string or key holding a lone surrogate on its own, naming where it is', async () => {
    await start();
    const good = position('V1', 2);
    const loneInValue = `{"eventId":"v1","type":"ConsignmentClosed","occurredAt":"2026-03-02T08:00:00Z","data":{"waybillNo":"W\\ud800"}}`;
    const loneInKey = `{"eventId":"v2","type":"VehiclePositionReported","occurredAt":"2026-03-02T08:00:00Z","data":{"\\udc00":1}}`;
    const pair = `{"eventId":"v3","type":"ConsignmentClosed","occurredAt":"2026-03-02T08:00:00Z","data":{"waybillNo":"W\\ud83d\\ude00"}}`;
    const res = await post(`[${loneInValue},${loneInKey},${JSON.stringify(good)},${pair}]`);
    const body = res.json<IngestResponse>();
    expect(body.results.map((r) => r.reason ?? r.status)).toEqual(['lone_surrogate', 'lone_surrogate', 'accepted', 'accepted']);
    expect(body.results[0]?.errors?.[0]?.path).toBe('data.waybillNo');
    expect(res.body).not.toMatch(/\\ud[89a-f]/i);
  });

  it('never turns one item into a 503 for the batch', async () => {
    await start();
    // Everything above at once, and a value that is not an object at all.
    const batch = `[${nestedJson(10_000)},"text",null,42,[],${JSON.stringify(position('V1', 1))}]`;
    const res = await post(batch);
    expect(res.statusCode).toBe(202);
    expect(res.json<IngestResponse>()).toMatchObject({ accepted: 1, rejected: 5 });
  });
});

describe('per-key rate limit', () => {
  it('answers 429 with Retry-After once a key has spent its burst, publishes nothing of that batch, and keeps other keys apart', async () => {
    const config = testConfig({ rateLimit: { eventsPerS: 1, burst: 5 } });
    await start(config);
    expect((await post([1, 2, 3].map((i) => position('V1', i)))).statusCode).toBe(202);
    const over = await post([4, 5, 6].map((i) => position('V1', i)));
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toBe('1');
    expect(over.json().error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('1 events per second') });
    expect((await publishedIds()).length).toBe(3);
    // Two tokens left: a one-event batch passes, then the key is empty and refused before its body is read.
    expect((await post([position('V1', 7)])).statusCode).toBe(202);
    expect((await post([position('V1', 8)])).statusCode).toBe(202);
    const empty = await post([position('V1', 9)]);
    expect(empty.statusCode).toBe(429);
    expect(await metric('dgt_ingest_batches_total{status="rate_limited"}')).toBe(2);
  });
});

describe('a bus that survives a crash', () => {
  it('refuses the in-process bus unless a test says otherwise', async () => {
    await expect(buildIngestApp({ config: testConfig(), bus, registry: new Registry(), defaultMetrics: false })).rejects.toThrow(/needs a durable bus[\s\S]*KAFKA_BROKERS/);
  });
});

describe('ids accepted lately', () => {
  it('remembers up to its capacity, forgetting the oldest half at once', () => {
    const recent = new RecentIds(4);
    const content = (id: string): string => `#${id}`;
    for (const id of ['a', 'b', 'c', 'd', 'e']) recent.remember(id, content(id));
    expect(recent.size).toBeLessThanOrEqual(4);
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => recent.knownAs(id, content(id)))).toEqual([undefined, undefined, 'duplicate', 'duplicate', 'duplicate']);
    const none = new RecentIds(0);
    none.remember('a', content('a'));
    expect(none.knownAs('a', content('a'))).toBeUndefined();
  });
});
