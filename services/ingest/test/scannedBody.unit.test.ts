import { createInProcessBus, topicNames, topicSpecs, type Bus, type ReceivedMessage } from '@dgt/bus';
import type { ServiceApp } from '@dgt/http';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchText } from '../src/batchText.ts';
import { FixScanner } from '../src/fixScanner.ts';
import { buildIngestApp, type IngestResponse } from '../src/index.ts';
import { asIngest, fixtureClock, position, readAll, testConfig } from './fixtures.ts';

const names = topicNames();
const open: { app: ServiceApp; bus: Bus }[] = [];

async function gateway(): Promise<{ app: ServiceApp; bus: Bus; registry: Registry }> {
  const bus = createInProcessBus();
  await bus.ensureTopics(topicSpecs(names));
  const registry = new Registry();
  const app = await buildIngestApp({ config: testConfig(), bus, registry, defaultMetrics: false, now: fixtureClock, allowNonDurableBusForTests: true });
  open.push({ app, bus });
  return { app, bus, registry };
}

/** `dgt_ingest_bodies_total` by reader. */
async function bodiesRead(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('dgt_ingest_bodies_total')?.get();
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.reader), v.value]));
}

afterEach(async () => {
  for (const { app, bus } of open.splice(0)) {
    await app.close();
    await bus.close();
  }
  vi.restoreAllMocks();
});

/** Counts the bodies the scanner read (and those it left to JSON.parse). */
function watchScanner(): { read: number; left: number } {
  const counts = { read: 0, left: 0 };
  const scan = FixScanner.prototype.scan;
  vi.spyOn(FixScanner.prototype, 'scan').mockImplementation(function (this: FixScanner, body: Buffer) {
    const out = scan.call(this, body);
    if (out === undefined) counts.left++;
    else counts.read++;
    return out;
  });
  return counts;
}

const post = (app: ServiceApp, body: string) => app.inject({ method: 'POST', url: '/v1/events', headers: { 'content-type': 'application/json', ...asIngest }, payload: body });

/** What a reader of the topic sees: key, bytes and headers, in order. */
const seen = (messages: ReceivedMessage[]) => messages.map((m) => ({ key: m.key, value: m.value.toString('utf8'), headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, v.toString('utf8')])) }));

describe('POST /v1/events: a body of fixes the WebAssembly scanner reads', () => {
  // A batch with what the checks after the scanner refuse: an id twice, a fix from the future, one from long ago.
  const fixes = [
    position('V1', 1),
    { ...position('V2', 2), data: { speedKmh: 12.50, lat: 28.6, vehicleId: 'V2', headingDeg: 90, lon: 121.1 } },
    position('V3', 3),
    { ...position('V4', 4), occurredAt: '2026-03-09T00:00:00Z' },
    { ...position('V5', 5), occurredAt: '2020-01-01T00:00:00Z' },
  ];
  fixes.push({ ...position('V6', 6), eventId: fixes[0]!.eventId });
  const body = JSON.stringify(fixes, null, 1).replace('"speedKmh": 12.5', '"speedKmh": 12.50');
  // The same events, with one character of a type escaped: JSON.parse reads the same values, the scanner leaves the body to it.
  const escaped = body.replace('"VehiclePositionReported"', '"Vehicle\\u0050ositionReported"');

  it('answers and publishes exactly what JSON.parse and the checks do for the same events', async () => {
    const counts = watchScanner();
    const scanned = await gateway();
    const parsed = await gateway();
    const a = await post(scanned.app, body);
    const b = await post(parsed.app, escaped);
    expect(counts).toEqual({ read: 1, left: 1 });
    expect(a.statusCode).toBe(202);
    expect(a.json<IngestResponse>()).toEqual(b.json<IngestResponse>());
    const results = a.json<IngestResponse>().results.map((r) => r.reason ?? r.status);
    expect(results).toEqual(['accepted', 'accepted', 'accepted', 'time_in_future', 'time_too_old', 'duplicate_in_batch']);
    const published = seen(await readAll(scanned.bus, [names.positions]));
    expect(published).toEqual(seen(await readAll(parsed.bus, [names.positions])));
    expect(await bodiesRead(scanned.registry)).toEqual({ scanner: 1 });
    expect(await bodiesRead(parsed.registry)).toEqual({ json: 1 });
    expect(published.map((m) => m.value)[1]).toBe(`{"eventId":"${fixes[1]!.eventId}","type":"VehiclePositionReported","occurredAt":"${fixes[1]!.occurredAt}","data":{"headingDeg":90,"lat":28.6,"lon":121.1,"speedKmh":12.5,"vehicleId":"V2"}}`);
  });

  it('gives the batch bytes the scanner wrote back to its pool when items are refused or the batch too large', async () => {
    const released = vi.spyOn(BatchText.prototype, 'release');
    const { app } = await gateway();
    expect((await post(app, body)).statusCode).toBe(202);
    const tooLarge = JSON.stringify(Array.from({ length: 5001 }, (_, i) => position('V1', i)));
    expect((await post(app, tooLarge)).statusCode).toBe(413);
    // Two batches read by the scanner: one with refused items (its text unused), one refused whole.
    const scannerTexts = released.mock.contexts.filter((t) => (t as BatchText).texts.length === 6 || (t as BatchText).texts.length === 5001);
    expect(new Set(scannerTexts).size).toBe(2);
  });

  it('remembers what it accepted: the same body again is duplicates, another fix under an accepted id a conflict', async () => {
    const counts = watchScanner();
    const { app, bus } = await gateway();
    const batch = [position('V1', 1), position('V2', 2), position('V3', 3)];
    expect((await post(app, JSON.stringify(batch))).json<IngestResponse>()).toMatchObject({ accepted: 3, duplicates: 0 });
    expect((await post(app, JSON.stringify(batch))).json<IngestResponse>()).toMatchObject({ accepted: 0, duplicates: 3 });
    const changed = { ...batch[1]!, data: { vehicleId: 'V2', lon: 121.5, lat: 28.65, speedKmh: 41 } };
    const res = await post(app, JSON.stringify([changed]));
    expect(res.statusCode).toBe(409);
    expect(res.json<IngestResponse>()).toMatchObject({ accepted: 0, conflicts: 1 });
    expect(counts).toEqual({ read: 3, left: 0 });
    expect(await readAll(bus, [names.positions])).toHaveLength(3);
  });
});
