import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildServiceApp, type errorCatalogue, generateApiKey, hashApiKey, type ServiceApp } from '../src/index.ts';

/*
 * Every error any dgt server answers has the catalogue's shape and never repeats the request:
 * each request below carries MARKER where fastify or node would have quoted it back.
 */

const MARKER = 'ECHO<script>alert(1)</script>';
const key = generateApiKey();
const apiKeys = [{ id: 'writer', role: 'ingest' as const, sha256: hashApiKey(key) }];

let app: ServiceApp;
let port: number;

beforeAll(async () => {
  app = await buildServiceApp({ name: 'errors', apiKeys, logLevel: 'silent', defaultMetrics: false, bodyLimit: 1024, timeouts: { requestTimeoutMs: 600, headersTimeoutMs: 600 } });
  app.post('/things/:id', { config: { roles: ['ingest'] }, schema: { params: z.object({ id: z.string() }), body: z.array(z.unknown()) } }, async (request) => ({ n: request.body.length }));
  app.get('/bad-output', { config: { roles: ['ingest'] }, schema: { response: { 200: z.object({ n: z.number() }) } } }, async () => ({ n: 'not a number' }) as unknown as { n: number });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  port = Number(new URL(address).port);
});
afterAll(() => app.close());

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Sends raw bytes (optionally holding the connection open for the timeout) and parses the one response. */
function raw(request: string, { keepOpen = false } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`no HTTP response: ${JSON.stringify(text.slice(0, 200))}`));
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine?.split(' ')[1]), headers, body: Buffer.from(text.slice(split + 4), 'latin1').toString('utf8') });
    });
    socket.write(request, 'latin1');
    if (!keepOpen) setTimeout(() => socket.end(), 50).unref();
  });
}

const request = (line: string, headers: string[] = [], body = ''): string =>
  `${line}\r\nhost: x\r\nconnection: close\r\nx-api-key: ${key}\r\n${headers.map((h) => `${h}\r\n`).join('')}${body === '' ? '' : `content-length: ${Buffer.byteLength(body)}\r\n`}\r\n${body}`;

function expectCatalogueError(res: RawResponse, status: number, code: keyof typeof errorCatalogue): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(res.body) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(res.body).not.toContain('ECHO');
  expect(res.body).not.toContain('script');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  expect(res.headers['x-frame-options']).toBe('DENY');
}

describe('one error format, never echoing the request', () => {
  it('404 for an unknown path, and for a known path with another method', async () => {
    expectCatalogueError(await raw(request(`GET /${encodeURIComponent(MARKER)}?q=${encodeURIComponent(MARKER)} HTTP/1.1`)), 404, 'NOT_FOUND');
    expectCatalogueError(await raw(request('DELETE /healthz HTTP/1.1')), 404, 'NOT_FOUND');
  });

  it('414 for a path segment longer than the router takes', async () => {
    expectCatalogueError(await raw(request(`POST /things/${'ECHO'.repeat(100)} HTTP/1.1`, ['content-type: application/json'], '[]')), 414, 'URI_TOO_LONG');
  });

  it('400 for a malformed percent-encoding in the path', async () => {
    expectCatalogueError(await raw(request('POST /things/ECHO%E0%A4%A HTTP/1.1', ['content-type: application/json'], '[]')), 400, 'BAD_REQUEST');
  });

  it('431 for a URL or headers larger than node takes (node answers these before fastify)', async () => {
    expectCatalogueError(await raw(request(`GET /healthz?${'ECHO'.repeat(5000)} HTTP/1.1`)), 431, 'HEADERS_TOO_LARGE');
    expectCatalogueError(await raw(request('GET /healthz HTTP/1.1', [`x-pad: ${'ECHO'.repeat(5000)}`])), 431, 'HEADERS_TOO_LARGE');
  });

  it('400 for bytes that are not HTTP', async () => {
    expectCatalogueError(await raw(`${MARKER} ${MARKER}\r\n\r\n`), 400, 'BAD_REQUEST');
  });

  it('408 for a body that does not arrive within the request timeout', async () => {
    const head = `POST /things/1 HTTP/1.1\r\nhost: x\r\nx-api-key: ${key}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n["ECHO`;
    expectCatalogueError(await raw(head, { keepOpen: true }), 408, 'REQUEST_TIMEOUT');
  });

  it('400 for an invalid JSON body, 413 over the body limit, 415 for an unsupported content type', async () => {
    expectCatalogueError(await raw(request('POST /things/1 HTTP/1.1', ['content-type: application/json'], `["${MARKER}`)), 400, 'BODY_UNPARSEABLE');
    expectCatalogueError(await raw(request('POST /things/1 HTTP/1.1', ['content-type: application/json'], `["${'ECHO'.repeat(300)}"]`)), 413, 'PAYLOAD_TOO_LARGE');
    expectCatalogueError(await raw(request('POST /things/1 HTTP/1.1', [`content-type: text/${MARKER}`], 'x')), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('503 for a request that arrives on a busy connection while the server closes', async () => {
    const closingApp = await buildServiceApp({ name: 'closing', apiKeys, logLevel: 'silent', defaultMetrics: false });
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    closingApp.get('/slow', { config: { roles: ['ingest'] } }, async () => {
      await gate;
      return { ok: true };
    });
    const address = await closingApp.listen({ port: 0, host: '127.0.0.1' });
    const socket = connect(Number(new URL(address).port), '127.0.0.1');
    let text = '';
    socket.on('data', (d) => (text += d.toString('utf8')));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const head = (path: string) => `GET ${path} HTTP/1.1\r\nhost: x\r\nx-api-key: ${key}\r\n\r\n`;
    socket.write(head('/slow'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = closingApp.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.write(head(`/healthz?${MARKER}`));
    await new Promise((resolve) => setTimeout(resolve, 50));
    open();
    await closed;
    socket.end();
    await ended;
    const second = text.slice(text.indexOf('HTTP/1.1', 1));
    expect(second).toMatch(/^HTTP\/1\.1 503/);
    expect(JSON.parse(second.slice(second.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'UNAVAILABLE' } });
    expect(second.toLowerCase()).toContain('x-content-type-options: nosniff');
    expect(second).not.toContain('ECHO');
  });

  it("500 for fastify's own failure to serialise a response, with no internals", async () => {
    const res = await raw(request('GET /bad-output HTTP/1.1'));
    expectCatalogueError(res, 500, 'INTERNAL');
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
  });
});
