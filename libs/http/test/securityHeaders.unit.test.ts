import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Registry } from 'prom-client';
import { buildServiceApp, generateApiKey, hashApiKey, securityHeaders, startOpsServer, type ServiceApp } from '../src/index.ts';

const key = generateApiKey();
let app: ServiceApp;

beforeAll(async () => {
  app = await buildServiceApp({ name: 'headers', apiKeys: [{ id: 'b', role: 'bureau', sha256: hashApiKey(key) }], logLevel: 'silent', defaultMetrics: false });
  app.get('/data', { config: { roles: ['bureau'] }, schema: { response: { 200: z.object({ name: z.string() }) } } }, async () => ({ name: 'zone \uD800 cut' }));
  app.get('/page', { config: { roles: 'public' } }, async (_request, reply) => reply.type('text/html').send('<p>hi</p>'));
  app.get('/escaped', { config: { roles: ['bureau'] } }, async (_request, reply) => reply.type('application/json').send('{"a":"\\\\ud800 is text","b":"\\ud800","c":"\\ud83d\\ude00"}'));
});
afterAll(() => app.close());

const auth = { 'x-api-key': key };

describe('security headers on every response', () => {
  it('JSON data: nosniff, the strict CSP, no referrer, no framing, never stored', async () => {
    const res = await app.inject({ method: 'GET', url: '/data', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    });
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('refusals and unknown routes carry them too (set before authentication runs)', async () => {
    for (const res of [await app.inject({ method: 'GET', url: '/data' }), await app.inject({ method: 'GET', url: '/nowhere', headers: auth })]) {
      expect([res.statusCode, res.headers['x-content-type-options'], res.headers['x-frame-options'], res.headers['cache-control']]).toEqual([res.statusCode, 'nosniff', 'DENY', 'no-store']);
    }
  });

  it('a public route keeps its own caching; the headers are still there', async () => {
    const res = await app.inject({ method: 'GET', url: '/page' });
    expect(res.headers['cache-control']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('the headers written outside fastify (node-level errors) are exactly those helmet writes', async () => {
    const res = await app.inject({ method: 'GET', url: '/data', headers: auth });
    const fromHelmet = Object.fromEntries(Object.keys(securityHeaders).map((name) => [name, res.headers[name]]));
    expect(fromHelmet).toEqual(securityHeaders);
    const extra = Object.keys(res.headers).filter((h) => !(h in securityHeaders) && !['content-type', 'content-length', 'cache-control', 'date', 'connection', 'keep-alive'].includes(h));
    expect(extra).toEqual([]);
  });
});

describe('the ops server of services without an API (recorder, JT/T 808 gateway)', () => {
  it('answers /healthz and /metrics with the same headers', async () => {
    const ops = await startOpsServer({ name: 'ops', host: '127.0.0.1', port: 0, registry: new Registry(), apiKeys: [{ id: 'b', role: 'bureau', sha256: hashApiKey(key) }], logLevel: 'silent', defaultMetrics: false, checks: () => ({}) });
    try {
      for (const path of ['/healthz', '/metrics', '/nowhere']) {
        const res = await fetch(`${ops.address}${path}`, { headers: auth });
        await res.arrayBuffer();
        expect([path, res.headers.get('x-content-type-options'), res.headers.get('x-frame-options'), res.headers.get('cache-control')]).toEqual([path, 'nosniff', 'DENY', 'no-store']);
      }
    } finally {
      await ops.close();
    }
  });
});

describe('well-formed JSON responses', () => {
  it('a lone surrogate in data leaves as U+FFFD, decodable as strict UTF-8, with no \\uD8xx escape', async () => {
    const res = await app.inject({ method: 'GET', url: '/data', headers: auth });
    const text = new TextDecoder('utf-8', { fatal: true }).decode(res.rawPayload);
    expect(text).not.toMatch(/\\u[dD][89a-fA-F]/);
    expect(JSON.parse(text)).toEqual({ name: 'zone \uFFFD cut' });
  });

  it('prepared JSON text keeps escaped backslashes and complete pairs, and loses only the lone half', async () => {
    const res = await app.inject({ method: 'GET', url: '/escaped', headers: auth });
    expect(JSON.parse(res.body)).toEqual({ a: '\\ud800 is text', b: '\uFFFD', c: '😀' });
  });
});
