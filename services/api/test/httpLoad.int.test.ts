import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from '../bench/httpLoad.ts';

const servers: (Server | NetServer)[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    if ('closeAllConnections' in s) s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function listen<S extends Server | NetServer>(server: S): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function http(handler: RequestListener): Promise<string> {
  return listen(createHttpServer({ keepAliveTimeout: 60_000 }, handler));
}

/** A raw server: `respond` is called once per request head received, in order, per connection. */
function raw(respond: (socket: Socket) => Promise<void>): Promise<string> {
  return listen(
    createNetServer((socket) => {
      socket.setNoDelay(true);
      socket.on('error', () => {});
      let pending = '';
      let queue = Promise.resolve();
      socket.on('data', (chunk) => {
        pending += chunk.toString('latin1');
        let end: number;
        while ((end = pending.indexOf('\r\n\r\n')) >= 0) {
          pending = pending.slice(end + 4);
          queue = queue.then(() => (socket.destroyed ? undefined : respond(socket)));
        }
      });
    }),
  );
}

/** Writes `bytes` in pieces of the given sizes (cycled), yielding between writes so they arrive as separate chunks. */
async function dribble(socket: Socket, bytes: Buffer, sizes: number[]): Promise<void> {
  for (let at = 0, k = 0; at < bytes.length && !socket.destroyed; k++) {
    const size = sizes[k % sizes.length]!;
    socket.write(bytes.subarray(at, at + size));
    at += size;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('runLoad', () => {
  it('counts exactly the requests the server answered, with the body size and no errors', async () => {
    let served = 0;
    const body = Buffer.from(JSON.stringify({ plate: '浙J10001', pad: '車'.repeat(500) }));
    const url = await http((_req, res) => {
      served++;
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }).end(body);
    });
    const r = await runLoad({ url: `${url}/v1/fleet?limit=5`, connections: 8, durationS: 0.5 });
    expect(r.requests).toBeGreaterThan(100);
    expect(r.requests).toBe(served);
    expect(r).toMatchObject({ errors: 0, non2xx: 0, reconnects: 0, bodyBytesPerResponse: body.length });
    expect(r.bytesPerResponse).toBeGreaterThan(body.length);
    expect(r.p50).toBeLessThanOrEqual(r.p99);
    expect(r.p99).toBeLessThanOrEqual(r.max);
  });

  it('sends the request line, host and extra headers the caller asked for', async () => {
    const seen: { url: string | undefined; host: string | undefined; key: string | undefined }[] = [];
    const url = await http((req, res) => {
      seen.push({ url: req.url, host: req.headers.host, key: req.headers['x-api-key'] as string | undefined });
      res.end('ok');
    });
    await runLoad({ url: `${url}/v1/fleet?bbox=1,2,3,4`, connections: 1, durationS: 0.1, headers: { 'x-api-key': 'k1' } });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toEqual({ url: '/v1/fleet?bbox=1,2,3,4', host: new URL(url).host, key: 'k1' });
  });

  it('reports non-2xx answers and answers other than the expected status', async () => {
    let served = 0;
    let failed = 0;
    const url = await http((_req, res) => {
      served++;
      if (served % 3 === 0) {
        failed++;
        res.writeHead(503).end('busy');
      } else res.writeHead(served % 3 === 1 ? 200 : 201).end('{}');
    });
    const r = await runLoad({ url, connections: 4, durationS: 0.4, expectStatus: 200 });
    expect(failed).toBeGreaterThan(10);
    expect(r.requests).toBe(served);
    expect(r.non2xx).toBe(failed);
    expect(r.statusMismatches).toBe(served - Math.ceil(served / 3));
    expect(r.errors).toBe(0);
  });

  it('measures latency from request to last byte, so a 30 ms server delay shows in p50', async () => {
    const url = await http((_req, res) => {
      res.writeHead(200, { 'content-length': 2 });
      res.write('o');
      setTimeout(() => res.end('k'), 30);
    });
    const r = await runLoad({ url, connections: 4, durationS: 0.5 });
    expect(r.p50).toBeGreaterThanOrEqual(29.5);
    expect(r.p50).toBeLessThan(200);
    // Closed loop: one request in flight per connection.
    expect(r.requests).toBeLessThanOrEqual(Math.ceil((4 * 500) / 30) + 4);
    expect(r.errors).toBe(0);
  });

  it('parses responses whose headers and body arrive byte by byte and in odd splits', async () => {
    let served = 0;
    const body = Buffer.from('{"plate":"浙J10001","n":"' + '7'.repeat(3001) + '"}');
    const head = Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nContent-Length: ${body.length}\r\nx-other: a:b\r\n\r\n`);
    const url = await raw(async (socket) => {
      served++;
      await dribble(socket, head, [1]);
      await dribble(socket, body, [1, 2, 3, 1000, 7, 13, 2047]);
    });
    const r = await runLoad({ url, connections: 3, durationS: 0.5 });
    expect(r.requests).toBeGreaterThan(5);
    expect(r.requests).toBe(served);
    expect(r).toMatchObject({ errors: 0, non2xx: 0, bodyBytesPerResponse: body.length, bytesPerResponse: head.length + body.length });
  });

  it('skips a multi-megabyte body by counting its bytes', async () => {
    let served = 0;
    const body = Buffer.alloc(6 * 1024 * 1024, Buffer.from('浙J'));
    const url = await http((_req, res) => {
      served++;
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    const r = await runLoad({ url, connections: 2, durationS: 0.5 });
    expect(r.requests).toBeGreaterThan(2);
    expect(r.requests).toBe(served);
    expect(r).toMatchObject({ errors: 0, bodyBytesPerResponse: body.length });
  });

  it('reads chunked responses by their chunk sizes, also when framing arrives byte by byte', async () => {
    let served = 0;
    const parts = ['{"items":[', '"浙J10001"', ',"x"'.repeat(700), ']}'];
    const url = await http((_req, res) => {
      served++;
      res.writeHead(200, { 'content-type': 'application/json' });
      for (const p of parts) res.write(p);
      res.end();
    });
    const r = await runLoad({ url, connections: 4, durationS: 0.4 });
    expect(r.requests).toBe(served);
    expect(r).toMatchObject({ errors: 0, bodyBytesPerResponse: Buffer.byteLength(parts.join('')) });

    let rawServed = 0;
    const chunked = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nx-trailer: 1\r\n\r\n');
    const rawUrl = await raw(async (socket) => {
      rawServed++;
      await dribble(socket, chunked, [1, 1, 2, 5]);
    });
    const byByte = await runLoad({ url: rawUrl, connections: 2, durationS: 0.3 });
    expect(byByte.requests).toBeGreaterThan(3);
    expect(byByte.requests).toBe(rawServed);
    expect(byByte).toMatchObject({ errors: 0, bodyBytesPerResponse: 5 + 26 });
  });

  it('reconnects without error when the server answers with connection: close', async () => {
    let served = 0;
    const url = await http((_req, res) => {
      served++;
      res.writeHead(200, { connection: 'close', 'content-length': 2 }).end('ok');
    });
    const r = await runLoad({ url, connections: 4, durationS: 0.4 });
    expect(r.requests).toBeGreaterThan(20);
    expect(r.requests).toBe(served);
    expect(r.reconnects).toBe(r.requests);
    expect(r.errors).toBe(0);
  });

  it('counts a server closing the socket mid-response as an error and keeps going', async () => {
    let served = 0;
    const url = await raw(async (socket) => {
      served++;
      if (served % 2 === 0) {
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly ten b');
        await sleep(5);
        socket.destroy();
      } else socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
    });
    const started = performance.now();
    const r = await runLoad({ url, connections: 2, durationS: 0.4 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(r.errorKinds['closed mid-response']).toBeGreaterThan(2);
    expect(r.errors).toBe(r.errorKinds['closed mid-response']);
    expect(r.requests + r.errors).toBe(served);
  });

  it('times out a request the server never answers, and still finishes', async () => {
    let received = 0;
    const url = await raw(async () => {
      received++;
    });
    const started = performance.now();
    const r = await runLoad({ url, connections: 3, durationS: 0.2, timeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(received).toBeGreaterThanOrEqual(3);
    expect(r.requests).toBe(0);
    expect(r.errorKinds['timeout (300 ms, no byte received)']).toBe(received);

    const stalls = await raw(async (socket) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nstal');
    });
    const stalled = await runLoad({ url: stalls, connections: 2, durationS: 0.2, timeoutMs: 300 });
    expect(stalled.requests).toBe(0);
    expect(stalled.errorKinds).toEqual({ 'timeout (300 ms, response started)': 2 });
  });

  it('refuses to measure a body that only ends when the connection closes', async () => {
    const url = await raw(async (socket) => {
      socket.end('HTTP/1.1 200 OK\r\n\r\nbody until close');
    });
    const r = await runLoad({ url, connections: 1, durationS: 0.2 });
    expect(r.requests).toBe(0);
    expect(r.errors).toBeGreaterThan(0);
    expect(Object.keys(r.errorKinds)).toEqual(['response without a usable content-length or chunked encoding (a body read until close is not measured)']);
  });
});
