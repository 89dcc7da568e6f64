import { connect, type Socket } from 'node:net';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyAdmissionPlugin, buildServiceApp, generateApiKey, hashApiKey, type ServiceApp, type ServerTimeouts } from '../src/index.ts';

const key = generateApiKey();
const apiKeys = [{ id: 'writer', role: 'ingest' as const, sha256: hashApiKey(key) }];

let app: ServiceApp | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await app?.close();
  app = undefined;
});

interface Started {
  readonly port: number;
  readonly registry: Registry;
  /** Resolves the handler of every request in flight. */
  release(): void;
}

async function start(timeouts: ServerTimeouts, admission?: { maxBodies: number; maxBytes: number; maxBodiesPerConnection: number }): Promise<Started> {
  const registry = new Registry();
  app = await buildServiceApp({ name: 'limits', apiKeys, registry, logLevel: 'silent', defaultMetrics: false, bodyLimit: 1024 * 1024, timeouts });
  if (admission) await app.register(bodyAdmissionPlugin, { ...admission, bodyLimit: 1024 * 1024, registry, retryAfterSeconds: 2 });
  let gate = deferred();
  app.post('/hold', { config: { roles: ['ingest'] } }, async (request) => {
    await gate.promise;
    return { bytes: JSON.stringify(request.body).length };
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    port: Number(new URL(address).port),
    registry,
    release: () => {
      gate.resolve();
      gate = deferred();
    },
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Opens a connection and sends the head of a POST announcing `length` bytes, and `body` of them. */
function openPost(port: number, length: number, body = ''): { socket: Socket; received: Promise<string>; text: () => string } {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.write(`POST /hold HTTP/1.1\r\nhost: x\r\nx-api-key: ${key}\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n${body}`);
  let text = '';
  socket.on('data', (d) => (text += d.toString('utf8')));
  const received = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
  });
  return { socket, received, text: () => text };
}

async function gauge(registry: Registry, name: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values[0]?.value as number | undefined) ?? Number.NaN;
}

describe('server timeouts', () => {
  it('answers 408 and closes a connection whose body trickles past the request timeout', async () => {
    const { port } = await start({ requestTimeoutMs: 800, headersTimeoutMs: 800 });
    const { socket, received } = openPost(port, 1000, '[');
    const trickle = setInterval(() => socket.writable && socket.write(' '), 100);
    const started = Date.now();
    const text = await received;
    clearInterval(trickle);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('closes a connection that sends nothing for the idle timeout', async () => {
    const { port } = await start({ idleTimeoutMs: 500 });
    const { received } = openPost(port, 1000, '[');
    const started = Date.now();
    await received;
    expect(Date.now() - started).toBeLessThan(2500);
  });
});

describe('bodies in flight', () => {
  it('refuses a body beyond the global count with 503, Retry-After and Connection: close before reading it, and counts it free again after the answers', async () => {
    const s = await start({}, { maxBodies: 2, maxBytes: 1024 * 1024, maxBodiesPerConnection: 1 });
    const first = openPost(s.port, 2, '[]');
    const second = openPost(s.port, 2, '[]');
    await expect.poll(() => gauge(s.registry, 'dgt_http_bodies_in_flight')).toBe(2);
    // Only the head is sent: the answer must not wait for a body.
    const third = openPost(s.port, 500_000);
    const refused = await third.received;
    expect(refused).toMatch(/^HTTP\/1\.1 503/);
    expect(refused).toMatch(/\r\nretry-after: 2\r\n/i);
    expect(refused).toMatch(/\r\nconnection: close\r\n/i);
    s.release();
    first.socket.end();
    second.socket.end();
    await Promise.all([first.received, second.received]);
    await expect.poll(() => gauge(s.registry, 'dgt_http_bodies_in_flight')).toBe(0);
    expect(await gauge(s.registry, 'dgt_http_body_bytes_in_flight')).toBe(0);
    const again = openPost(s.port, 2, '[]');
    await expect.poll(() => gauge(s.registry, 'dgt_http_bodies_in_flight')).toBe(1);
    s.release();
    await expect.poll(() => again.text()).toMatch(/^HTTP\/1\.1 200/);
  });

  it('refuses a body whose declared size would pass the byte cap, but always admits one', async () => {
    const s = await start({}, { maxBodies: 10, maxBytes: 1000, maxBodiesPerConnection: 1 });
    const big = openPost(s.port, 5000);
    await expect.poll(() => gauge(s.registry, 'dgt_http_body_bytes_in_flight')).toBe(5000);
    const small = openPost(s.port, 10);
    expect(await small.received).toMatch(/^HTTP\/1\.1 503/);
    // The held body's connection dies: its reservation goes with it.
    big.socket.destroy();
    await expect.poll(() => gauge(s.registry, 'dgt_http_body_bytes_in_flight')).toBe(0);
  });

  it('refuses a second pipelined body on one connection while the first is being handled', async () => {
    const s = await start({}, { maxBodies: 10, maxBytes: 1024 * 1024, maxBodiesPerConnection: 1 });
    const socket = connect(s.port, '127.0.0.1');
    sockets.push(socket);
    const head = `POST /hold HTTP/1.1\r\nhost: x\r\nx-api-key: ${key}\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n[]`;
    let text = '';
    socket.on('data', (d) => (text += d.toString('utf8')));
    socket.write(head + head);
    await expect.poll(async () => (await s.registry.getSingleMetricAsString('dgt_http_bodies_refused_total')).includes('reason="connection"} 1')).toBe(true);
    s.release();
    await expect.poll(() => text).toMatch(/^HTTP\/1\.1 200[\s\S]*HTTP\/1\.1 503/);
  });
});
