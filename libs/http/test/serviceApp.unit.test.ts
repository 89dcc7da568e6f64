import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { z } from 'zod';
import {
  AppError,
  buildServiceApp,
  errorResponse,
  generateApiKey,
  hashApiKey,
  type ReadinessChecks,
  type ServiceApp,
} from '../src/index.ts';

const keys = {
  bureau: generateApiKey(),
  ingest: generateApiKey(),
  metrics: generateApiKey(),
  carrier: generateApiKey(),
};
const apiKeys = [
  { id: 'bureau-1', role: 'bureau' as const, sha256: hashApiKey(keys.bureau) },
  { id: 'ingest-1', role: 'ingest' as const, sha256: hashApiKey(keys.ingest) },
  { id: 'metrics-1', role: 'metrics' as const, sha256: hashApiKey(keys.metrics) },
  { id: 'acme', role: 'carrier:ACME' as const, sha256: hashApiKey(keys.carrier) },
];

let app: ServiceApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build(ready?: () => Promise<ReadinessChecks>, registry = new Registry()): Promise<ServiceApp> {
  app = await buildServiceApp({
    name: 'test',
    apiKeys,
    registry,
    logLevel: 'silent',
    defaultMetrics: false,
    bodyLimit: 1024,
    readyTimeoutMs: 200,
    ...(ready === undefined ? {} : { ready }),
  });
  app.post(
    '/things/:id',
    {
      config: { roles: ['ingest', 'carrier'] },
      schema: {
        params: z.object({ id: z.string() }),
        querystring: z.object({ from: z.iso.datetime().optional() }),
        body: z.array(z.object({ data: z.object({ lat: z.number().max(90) }) })),
        response: { 200: z.object({ who: z.string(), carrierId: z.string().optional(), n: z.number() }), 400: errorResponse },
      },
    },
    async (request) => ({ who: request.principal.keyId, carrierId: request.principal.carrierId, n: request.body.length }),
  );
  app.get('/undeclared', async () => 'should never be served');
  app.get('/boom', { config: { roles: ['bureau'] } }, async () => {
    throw new Error('secret database password in message');
  });
  app.get('/busy', { config: { roles: ['bureau'] } }, async () => {
    throw new AppError('UNAVAILABLE', 'try again', undefined, { retryAfterSeconds: 5 });
  });
  return app;
}

describe('authentication and authorisation', () => {
  it('answers 401 UNAUTHENTICATED without a key, with an unknown key, and on unknown URLs', async () => {
    const a = await build();
    for (const headers of [{}, { 'x-api-key': generateApiKey() }, { authorization: 'Basic abc' }]) {
      const res = await a.inject({ method: 'GET', url: '/healthz', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    }
    expect((await a.inject({ method: 'GET', url: '/nowhere' })).statusCode).toBe(401);
  });

  it('accepts the key in x-api-key or as a Bearer token and exposes the principal', async () => {
    const a = await build();
    const viaHeader = await a.inject({ method: 'POST', url: '/things/1', headers: { 'x-api-key': keys.ingest }, payload: [] });
    expect(viaHeader.statusCode).toBe(200);
    expect(viaHeader.json()).toEqual({ who: 'ingest-1', n: 0 });
    const viaBearer = await a.inject({
      method: 'POST',
      url: '/things/1',
      headers: { authorization: `Bearer ${keys.carrier}` },
      payload: [{ data: { lat: 1 } }],
    });
    expect(viaBearer.json()).toEqual({ who: 'acme', carrierId: 'ACME', n: 1 });
  });

  it('answers 403 FORBIDDEN to a role the route does not list, before reading the body', async () => {
    const a = await build();
    const res = await a.inject({
      method: 'POST',
      url: '/things/1',
      headers: { 'x-api-key': keys.bureau, 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('refuses routes that declare no roles to every key (secure by default)', async () => {
    const a = await build();
    for (const key of Object.values(keys)) {
      const res = await a.inject({ method: 'GET', url: '/undeclared', headers: { 'x-api-key': key } });
      expect(res.statusCode).toBe(403);
    }
  });
});

describe('errors', () => {
  it('reports schema validation failures with field paths in body and query', async () => {
    const a = await build();
    const res = await a.inject({
      method: 'POST',
      url: '/things/1?from=yesterday',
      headers: { 'x-api-key': keys.ingest },
      payload: [{ data: { lat: 1 } }],
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d: { path: string }) => d.path)).toEqual(['query.from']);
    const res2 = await a.inject({
      method: 'POST',
      url: '/things/1',
      headers: { 'x-api-key': keys.ingest },
      payload: [{ data: { lat: 1 } }, { data: { lat: 91 } }],
    });
    expect(res2.json().error.details).toEqual([{ path: 'body.1.data.lat', message: expect.stringContaining('90') }]);
  });

  it('answers 400 BODY_UNPARSEABLE to broken JSON and 413 PAYLOAD_TOO_LARGE over the body limit', async () => {
    const a = await build();
    const headers = { 'x-api-key': keys.ingest, 'content-type': 'application/json' };
    const broken = await a.inject({ method: 'POST', url: '/things/1', headers, payload: '[{"data":' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('BODY_UNPARSEABLE');
    const big = await a.inject({ method: 'POST', url: '/things/1', headers, payload: JSON.stringify([{ pad: 'x'.repeat(2000) }]) });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 404 NOT_FOUND to an authenticated request for an unknown route', async () => {
    const a = await build();
    const res = await a.inject({ method: 'GET', url: '/nowhere/42?x=1', headers: { 'x-api-key': keys.bureau } });
    expect(res.statusCode).toBe(404);
    // The path is request content: never echoed back.
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no route matches this method and path' } });
  });

  it('hides internal error messages behind 500 INTERNAL', async () => {
    const a = await build();
    const res = await a.inject({ method: 'GET', url: '/boom', headers: { 'x-api-key': keys.bureau } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    expect(res.body).not.toContain('password');
  });

  it('sends Retry-After with an AppError that carries one', async () => {
    const a = await build();
    const res = await a.inject({ method: 'GET', url: '/busy', headers: { 'x-api-key': keys.bureau } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toEqual({ error: { code: 'UNAVAILABLE', message: 'try again' } });
  });
});

describe('health', () => {
  it('answers /healthz and /readyz to any valid key', async () => {
    const a = await build(async () => ({ bus: { ok: true } }));
    for (const key of Object.values(keys)) {
      expect((await a.inject({ method: 'GET', url: '/healthz', headers: { 'x-api-key': key } })).json()).toEqual({ status: 'ok' });
      const ready = await a.inject({ method: 'GET', url: '/readyz', headers: { 'x-api-key': key } });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready', checks: { bus: { ok: true } } });
    }
  });

  it('answers 503 from /readyz when a check fails, throws or does not answer in time', async () => {
    const headers = { 'x-api-key': keys.metrics };
    const failing = await build(async () => ({ bus: { ok: false, detail: 'broker unreachable' }, db: { ok: true } }));
    const res = await failing.inject({ method: 'GET', url: '/readyz', headers });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'not_ready', checks: { bus: { ok: false, detail: 'broker unreachable' }, db: { ok: true } } });
    await failing.close();
    const throwing = await build(() => Promise.reject(new Error('boom')));
    expect((await throwing.inject({ method: 'GET', url: '/readyz', headers })).statusCode).toBe(503);
    await throwing.close();
    const hanging = await build(() => new Promise(() => {}));
    const slow = await hanging.inject({ method: 'GET', url: '/readyz', headers });
    expect(slow.statusCode).toBe(503);
    expect(slow.json().checks.readiness.detail).toContain('200 ms');
  });
});

describe('metrics', () => {
  it('serves /metrics to metrics and bureau keys only, with request durations labelled by route pattern', async () => {
    const a = await build();
    await a.inject({ method: 'POST', url: '/things/abc-123', headers: { 'x-api-key': keys.ingest }, payload: [] });
    expect((await a.inject({ method: 'GET', url: '/metrics', headers: { 'x-api-key': keys.ingest } })).statusCode).toBe(403);
    expect((await a.inject({ method: 'GET', url: '/metrics', headers: { 'x-api-key': keys.carrier } })).statusCode).toBe(403);
    expect((await a.inject({ method: 'GET', url: '/metrics', headers: { 'x-api-key': keys.bureau } })).statusCode).toBe(200);
    const res = await a.inject({ method: 'GET', url: '/metrics', headers: { 'x-api-key': keys.metrics } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/dgt_http_request_duration_seconds_count\{method="POST",route="\/things\/:id",status_code="200"\} 1/);
    expect(res.body).not.toContain('abc-123');
  });

  it('adds default process metrics to the supplied registry when asked', async () => {
    const registry = new Registry();
    app = await buildServiceApp({ name: 't', apiKeys, registry, logLevel: 'silent' });
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: { 'x-api-key': keys.metrics } });
    expect(res.body).toContain('process_cpu_user_seconds_total');
    expect(await registry.getSingleMetricAsString('dgt_http_request_duration_seconds')).toContain('histogram');
  });
});
