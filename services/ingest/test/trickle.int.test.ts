import { connect, type Socket } from 'node:net';
import { createInProcessBus, topicNames, topicSpecs, type Bus } from '@dgt/bus';
import type { ServiceApp } from '@dgt/http';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIngestApp, type IngestConfig } from '../src/index.ts';
import { asIngest, fixtureClock, keys, position, testConfig } from './fixtures.ts';

/*
 * The memory attacks on a real server with real sockets: bodies trickled a byte at a time, and
 * large bodies left half-sent. The gateway's time and in-flight limits bound both.
 */

let bus: Bus;
let app: ServiceApp;
let port: number;
const sockets: Socket[] = [];

beforeEach(async () => {
  bus = createInProcessBus();
  await bus.ensureTopics(topicSpecs(topicNames()));
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await app?.close();
  await bus.close();
});

async function start(config: IngestConfig): Promise<void> {
  app = await buildIngestApp({ config, bus, registry: new Registry(), defaultMetrics: false, now: fixtureClock, allowNonDurableBusForTests: true });
  port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port);
}

interface OpenBody {
  readonly socket: Socket;
  /** The first bytes of the answer, if any (`HTTP/1.1 503` …). */
  answer(): string;
  readonly closed: Promise<void>;
}

/** A POST announcing `length` bytes of which only `sent` are sent now. */
function openBody(length: number, sent: Buffer | string = '['): OpenBody {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let answer = '';
  socket.on('data', (d) => (answer += d.toString('latin1').slice(0, 200)));
  socket.on('error', () => undefined);
  socket.write(`POST /v1/events HTTP/1.1\r\nhost: x\r\nx-api-key: ${asIngest['x-api-key']}\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n`);
  socket.write(sent);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, answer: () => answer, closed };
}

async function gauge(name: string): Promise<number> {
  const text = (await app.inject({ method: 'GET', url: '/metrics', headers: { 'x-api-key': keys.metrics } })).body;
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

describe('bounded ingest on a real server', () => {
  it('closes 1,000 trickled bodies by the request timeout, admitting no more than the in-flight cap meanwhile', async () => {
    await start(testConfig({ timeouts: { headersTimeoutMs: 2000, requestTimeoutMs: 2000, idleTimeoutMs: 0 }, inFlight: { maxBodies: 64, maxBytes: 1024 * 1024 * 1024, maxPerConnection: 2 } }));
    const rssBefore = process.memoryUsage().rss;
    const bodies: OpenBody[] = [];
    for (let i = 0; i < 1000; i++) bodies.push(openBody(15 * 1024 * 1024));
    const trickle = setInterval(() => {
      for (const b of bodies) if (b.socket.writable) b.socket.write(' ');
    }, 200);
    let peak = 0;
    const sample = setInterval(() => void gauge('dgt_http_bodies_in_flight').then((n) => (peak = Math.max(peak, n))), 100);
    try {
      const started = Date.now();
      await Promise.all(bodies.map((b) => b.closed));
      const tookMs = Date.now() - started;
      const answers = bodies.map((b) => b.answer().slice(0, 12));
      const refusedAtOnce = answers.filter((a) => a === 'HTTP/1.1 503').length;
      const timedOut = answers.filter((a) => a === 'HTTP/1.1 408').length;
      console.log(`1,000 trickled bodies: ${refusedAtOnce} refused (503) before being read, ${timedOut} cut off (408) after the request timeout; all closed after ${tookMs} ms; peak in flight ${peak}; RSS +${mb(process.memoryUsage().rss - rssBefore)} MB`);
      // Every connection is answered: at once when the cap is full, or cut off by the timeout. Under
      // load connections arrive in waves and a freed slot admits a later one, so more than 64 may
      // be cut off in all — but never more than 64 at a time, each within about the timeout.
      expect(refusedAtOnce + timedOut).toBe(1000);
      expect(peak).toBeLessThanOrEqual(64);
      expect(tookMs).toBeLessThan(Math.ceil(timedOut / 64) * 2000 + 20_000);
    } finally {
      clearInterval(trickle);
      clearInterval(sample);
    }
    await expect.poll(() => gauge('dgt_http_bodies_in_flight')).toBe(0);
    expect(await gauge('dgt_http_body_bytes_in_flight')).toBe(0);
    // The gateway still takes a real batch afterwards.
    const res = await fetch(`http://127.0.0.1:${port}/v1/events`, { method: 'POST', headers: { ...asIngest, 'content-type': 'application/json' }, body: JSON.stringify([position('V1', 1)]) });
    expect(res.status).toBe(202);
  }, 120_000);

  it('holds at most the byte cap of 60 half-sent 15 MB bodies, refusing the rest before reading them', async () => {
    await start(testConfig({ inFlight: { maxBodies: 1000, maxBytes: 64 * 1024 * 1024, maxPerConnection: 2 } }));
    const rssBefore = process.memoryUsage().rss;
    const half = Buffer.alloc(7 * 1024 * 1024, 0x20);
    half[0] = 0x5b;
    const bodies: OpenBody[] = [];
    for (let i = 0; i < 60; i++) bodies.push(openBody(15 * 1024 * 1024, half));
    await expect.poll(() => bodies.filter((b) => b.answer().startsWith('HTTP/1.1 503')).length, { timeout: 20_000 }).toBe(56);
    const held = await gauge('dgt_http_body_bytes_in_flight');
    const growth = process.memoryUsage().rss - rssBefore;
    console.log(`60 half-sent 15 MB bodies: ${bodies.length - 56} admitted (${mb(held)} MB reserved), 56 refused; RSS +${mb(growth)} MB`);
    expect(held).toBeLessThanOrEqual(64 * 1024 * 1024);
    // Without the cap the server would read 60 × 7 MB = 420 MB of bodies; with it, 4 × 7 MB.
    expect(growth).toBeLessThan(200 * 1024 * 1024);
    for (const b of bodies) b.socket.destroy();
    await expect.poll(() => gauge('dgt_http_body_bytes_in_flight')).toBe(0);
  }, 60_000);
});
