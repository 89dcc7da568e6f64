import { Writable } from 'node:stream';
import { createInProcessBus, topicNames, topicSpecs } from '@dgt/bus';
import { canonicalJson, parseEvent } from '@dgt/events';
import { describe, expect, it } from 'vitest';
import type { SimMessage } from '../src/messages.ts';
import { BusSink } from '../src/sinks/busSink.ts';
import { HttpIngestSink } from '../src/sinks/httpIngestSink.ts';
import { NdjsonSink } from '../src/sinks/ndjsonSink.ts';
import { parseSpeed } from '../src/sinks/pacing.ts';
import { pump } from '../src/sinks/run.ts';
import { SinkError } from '../src/sinks/sink.ts';

const T0 = Date.parse('2026-03-02T08:00:00+08:00');
const fix = (i: number, vehicleId = 'V1'): SimMessage => ({
  kind: 'event',
  arrivalMs: T0 + i * 1000,
  event: parseEvent({ eventId: `p${i}`, type: 'VehiclePositionReported', occurredAt: new Date(T0 + i * 1000).toISOString(), data: { vehicleId, lon: 121.4, lat: 28.6, speedKmh: 40 } }),
});
const zone: SimMessage = {
  kind: 'event',
  arrivalMs: T0,
  event: parseEvent({ eventId: 'z1', type: 'ZoneDesignated', occurredAt: '2026-01-01T00:00:00+08:00', data: { zoneId: 'lot-a', kind: 'parking-lot', name: 'lot', datum: 'WGS84', polygon: [[121, 28], [121.01, 28], [121.01, 28.01]] } }),
};
const bad: SimMessage = { kind: 'malformed', raw: '{"eventId":"x~bad","type":"VehiclePos', defect: 'truncated-json', arrivalMs: T0 + 500 };

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

describe('NdjsonSink', () => {
  it('writes canonical lines and sends malformed messages to their own stream', async () => {
    const out = new Collect();
    const malformed = new Collect();
    const sink = new NdjsonSink(out, malformed);
    for (const m of [zone, fix(1), bad, fix(2)]) await sink.write(m);
    await sink.close();
    expect(out.text.trimEnd().split('\n')).toEqual([zone, fix(1), fix(2)].map((m) => (m.kind === 'event' ? canonicalJson(m.event) : '')));
    expect(malformed.text).toBe(`${bad.kind === 'malformed' ? bad.raw : ''}\n`);
  });

  it('leaves malformed messages out when there is no stream for them', async () => {
    const out = new Collect();
    const sink = new NdjsonSink(out);
    await sink.write(bad);
    await sink.close();
    expect(out.text).toBe('');
    expect(sink.stats().skipped).toBe(1);
  });
});

describe('HttpIngestSink', () => {
  it('POSTs NDJSON batches with the API key, malformed lines included, and counts the answer', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      const lines = String(init.body).trimEnd().split('\n');
      const rejected = lines.filter((l) => l.includes('~bad')).length;
      return new Response(JSON.stringify({ accepted: lines.length - rejected, rejected, results: [] }), { status: 202 });
    }) as unknown as typeof fetch;
    const sink = new HttpIngestSink({ url: 'http://127.0.0.1:8080/', apiKey: 'k1', batchSize: 2, fetch: fakeFetch });
    for (const m of [fix(1), bad, fix(2)]) await sink.write(m);
    await sink.close();
    expect(calls.map((c) => c.url)).toEqual(['http://127.0.0.1:8080/v1/events', 'http://127.0.0.1:8080/v1/events']);
    expect(calls[0]!.init.headers).toMatchObject({ 'content-type': 'application/x-ndjson', 'x-api-key': 'k1' });
    expect(String(calls[0]!.init.body).split('\n')[1]).toContain('~bad');
    expect(sink.stats()).toMatchObject({ sent: 3, accepted: 2, rejected: 1 });
  });

  it('retries a batch answered 503, and gives up on a 401 at once with a typed error', async () => {
    let n = 0;
    const flaky = (async () => (++n < 3 ? new Response('busy', { status: 503 }) : new Response(JSON.stringify({ accepted: 1, rejected: 0, results: [] }), { status: 202 }))) as unknown as typeof fetch;
    const sink = new HttpIngestSink({ url: 'http://h', apiKey: 'k', fetch: flaky, sleep: async () => {} });
    await sink.write(fix(1));
    await sink.flush();
    expect(n).toBe(3);
    const denied = new HttpIngestSink({ url: 'http://h', apiKey: 'k', fetch: (async () => new Response('no', { status: 401 })) as unknown as typeof fetch, sleep: async () => {} });
    await denied.write(fix(1));
    await expect(denied.flush()).rejects.toBeInstanceOf(SinkError);
  });
});

describe('BusSink', () => {
  it('publishes to the topics and keys the ingest gateway uses, zones first, and never publishes malformed messages', async () => {
    const bus = createInProcessBus();
    const topics = topicNames({ prefix: 'sim-test.' });
    await bus.ensureTopics(topicSpecs(topics));
    const sent: { topic: string; keys: string[] }[] = [];
    const producer = bus.producer();
    const spy = { send: async (topic: string, messages: readonly { key: string }[]) => void sent.push({ topic, keys: messages.map((m) => m.key) }), close: () => producer.close() };
    const sink = new BusSink({ producer: spy as never, topics, batchSize: 10 });
    for (const m of [fix(1, 'V7'), zone, bad, fix(2, 'V8')]) await sink.write(m);
    await sink.close();
    expect(sent).toEqual([
      { topic: 'sim-test.zones', keys: ['lot-a'] },
      { topic: 'sim-test.positions', keys: ['V7', 'V8'] },
    ]);
    expect(sink.stats()).toMatchObject({ sent: 3, skipped: 1 });
    await bus.close();
  });
});

describe('pump', () => {
  it('paces messages at the requested speed, flushing before each wait', async () => {
    const waits: number[] = [];
    const flushes: number[] = [];
    let written = 0;
    const sink = {
      write: async () => void written++,
      flush: async () => void flushes.push(written),
      close: async () => {},
      stats: () => ({ sent: written, accepted: 0, rejected: 0, skipped: 0 }),
    };
    // 60× real time: messages 60 s apart in simulated time are about 1 s apart on the wall.
    const n = await pump([fix(0), fix(60), fix(120)], sink, { speed: 60, simStartMs: T0, sleep: async (ms) => void waits.push(ms) });
    expect(n).toBe(3);
    expect(waits).toHaveLength(2);
    for (const w of waits) expect(w).toBeGreaterThan(500);
    expect(flushes).toEqual([1, 2]);
  });

  it('never waits at max speed', async () => {
    const waits: number[] = [];
    const sink = { write: async () => {}, flush: async () => {}, close: async () => {}, stats: () => ({ sent: 0, accepted: 0, rejected: 0, skipped: 0 }) };
    await pump([fix(0), fix(3600)], sink, { speed: 'max', simStartMs: T0, sleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([]);
  });

  it('reads --speed as a positive factor or max', () => {
    expect(parseSpeed('max')).toBe('max');
    expect(parseSpeed('60')).toBe(60);
    expect(parseSpeed('10x')).toBe(10);
    expect(parseSpeed('0')).toBeNull();
    expect(parseSpeed('fast')).toBeNull();
  });
});
