import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdvisoryView, AlertView, FleetVehicle } from '@dgt/readmodels';
import { startStack, type Stack } from '@dgt/stack';
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaForTests } from '../kafka/broker.ts';
import { driveIntoSegment, eventually, getJson, ids, postEvents, setupEvents, testKeys, waitForReference } from './scenario.ts';

/*
 * `npm start -- --kafka <brokers>`: the same one-process stack on a real broker. No browser here
 * (the in-process test covers the page); the alert is read from the API's SSE stream with fetch.
 */

const kafka = kafkaForTests();
const { keys, entries } = testKeys();
const minute = 60_000;
let stack: Stack | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

/** Reads `GET /v1/alerts/stream` until an alert with this id arrives. */
async function waitForStreamedAlert(apiUrl: string, apiKey: string, connected: () => void, alertId: string, timeoutMs: number): Promise<AlertView> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(`${apiUrl}/v1/alerts/stream`, { headers: { 'x-api-key': apiKey, accept: 'text/event-stream' }, signal: abort.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let announced = false;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the alert stream ended');
      buffer += value;
      if (!announced && buffer.includes(': connected')) {
        announced = true;
        connected();
      }
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame.split('\n').find((l) => l.startsWith('data: '));
        if (data === undefined) continue;
        const alert = JSON.parse(data.slice('data: '.length)) as AlertView;
        if (alert.alertId === alertId) return alert;
      }
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

describe.skipIf(!kafka.available)(`full pipeline on Kafka (${kafka.source} broker)`, () => {
  it('streams the alert of a laden segment passage posted to ingest, through the real broker', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dgt-pipeline-kafka-'));
    stack = await startStack({
      dataDir,
      apiPort: 0,
      ingestPort: 0,
      kafkaBrokers: kafka.brokers,
      topicPrefix: `test-${randomBytes(4).toString('hex')}.dg.`,
      apiKeys: entries,
      logLevel: 'silent',
      defaultMetrics: false,
      projector: { flushIntervalMs: 50 },
    });
    const s = stack;
    const now = Date.now();
    const setup = setupEvents(now);
    expect(await postEvents(s.ingestUrl, keys, setup.reference)).toMatchObject({ rejected: 0 });
    await waitForReference(s.apiUrl, keys.bureau);
    expect(await postEvents(s.ingestUrl, keys.ingest, setup.fixes)).toMatchObject({ rejected: 0 });
    await eventually('the three vehicles in /v1/fleet', async () => {
      const fleet = await getJson<{ items: FleetVehicle[] }>(`${s.apiUrl}/v1/fleet`, keys.bureau);
      return fleet.items.filter((v) => v.lastFix !== null).length === 3 ? true : undefined;
    }, 30_000);

    const entering = driveIntoSegment(now - 22 * minute);
    const alertId = `${entering.enteringFix.eventId}/AccidentSegmentEntered/${ids.segment}`;
    let sentAt = 0;
    const streamed = await waitForStreamedAlert(s.apiUrl, keys.acme, () => {
      sentAt = Date.now();
      void postEvents(s.ingestUrl, keys.ingest, entering.events);
    }, alertId, 30_000);
    expect(Date.now() - sentAt).toBeLessThan(10_000);
    expect(streamed).toMatchObject({ type: 'AccidentSegmentEntered', category: 'advisory', kind: 'segment-passage', vehicleId: ids.laden, carrierId: ids.acme, zoneId: ids.segment, laden: true, waybillNo: ids.waybill });

    const advisories = await getJson<{ items: AdvisoryView[] }>(`${s.apiUrl}/v1/advisories`, keys.acme);
    expect(advisories.items.map((v) => [v.advisoryId, v.status])).toEqual([[alertId, 'open']]);
    expect(s.describe.bus).toBe(`Kafka ${kafka.brokers.join(',')}`);

    // The recorder's lag is on /metrics on Kafka too (the admin API's offsets, every 5 s): every
    // partition of the recorded topics, and nothing left once all is recorded.
    await eventually('the recorder lag gauge at 0 on each recorded topic', async () => {
      const text = await s.registry.getSingleMetricAsString('dgt_recorder_consumer_lag');
      const samples = [...text.matchAll(/^dgt_recorder_consumer_lag\{topic="([^"]+)",partition="\d+"\} (\d+)$/gm)];
      const topics = new Set(samples.map((m) => m[1]));
      const recordedTopics = ['positions', 'consignments', 'zones'].every((t) => [...topics].some((name) => name?.endsWith(`dg.${t}`)));
      return recordedTopics && samples.every((m) => m[2] === '0') ? true : undefined;
    }, 20_000);
  });
});
