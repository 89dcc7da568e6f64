import { topicNames } from '@dgt/bus';
import { classifyDetection } from '@dgt/detection';
import type { AlertView } from '@dgt/readmodels';
import { afterEach, describe, expect, it } from 'vitest';
import { operationSummaries } from '../src/operationSummaries.ts';
import { headersFor, startTestApi, type TestApi, type TestRole } from './apiTestKit.ts';

let api: (TestApi & { bus?: unknown }) | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const get = (url: string, role: TestRole | null = 'bureau') => api!.app.inject({ method: 'GET', url, headers: headersFor(role) });

describe('OpenAPI document', () => {
  const routes = ['/v1/fleet', '/v1/vehicles/{id}', '/v1/vehicles/{id}/track', '/v1/violations', '/v1/advisories', '/v1/consignments/{waybillNo}', '/v1/carriers/{id}/compliance', '/v1/zones', '/v1/alerts/stream', '/v1/audits', '/v1/cases', '/v1/cases/{id}', '/v1/cases/{id}/disposition', '/v1/carriers/{id}/points'];

  it('lists every /v1 route with its 200 and error response schemas at /docs/json', async () => {
    api = await startTestApi();
    for (const url of ['/docs/json']) {
      const res = await get(url, 'carrier:C1');
      expect(res.statusCode).toBe(200);
      const doc = res.json<{ openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }> }>> }>();
      expect(doc.openapi).toBe('3.1.0');
      for (const path of routes) {
        const operation = doc.paths[path]?.get ?? doc.paths[path]?.post;
        expect(operation, path).toBeDefined();
        expect(Object.keys(operation!.responses), path).toEqual(expect.arrayContaining(['200', '401', '403']));
        expect(operation!.responses['401']?.content?.['application/json']?.schema.properties, path).toHaveProperty('error');
      }
      const fleet = doc.paths['/v1/fleet']!.get!.responses['200']!.content!['application/json']!.schema;
      expect(fleet.properties).toHaveProperty('items');
      expect(fleet.properties).toHaveProperty('nextCursor');
      expect(JSON.stringify(doc.paths['/v1/fleet'])).toContain('bbox');
      // The catalogue's kinds, in the filters and the rows: a client can see what each listing holds.
      const violations = JSON.stringify(doc.paths['/v1/violations']);
      for (const kind of ['illegal-parking', 'restricted-entry', 'overspeed']) expect(violations).toContain(kind);
      expect(JSON.stringify(doc.paths['/v1/advisories'])).toContain('segment-passage');
    }
  });

  it('gives every documented operation a summary and a group, and the catalogue names no route that does not exist', async () => {
    api = await startTestApi();
    const doc = (await get('/docs/json', 'bureau')).json<{ paths: Record<string, Record<string, { summary?: string; tags?: string[] }>> }>();
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })));
    expect(operations.length).toBeGreaterThanOrEqual(30);
    expect(operations.filter(({ op }) => !(typeof op.summary === 'string' && op.summary.length > 10)).map(({ key }) => key)).toEqual([]);
    expect(operations.filter(({ op }) => op.tags?.length !== 1).map(({ key }) => key)).toEqual([]);
    const documented = new Set(operations.map(({ key }) => key.replace(/\{(\w+)\}/g, ':$1')));
    expect(Object.keys(operationSummaries).filter((k) => !documented.has(k))).toEqual([]);
  });

  it('is public and holds no data: the same document with no key as with one, and the data routes it lists still refuse a caller without a key', async () => {
    api = await startTestApi();
    const anonymous = await get('/docs/json', null);
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.body).toBe((await get('/docs/json', 'ingest')).body);
    expect((await get('/v1/fleet', null)).statusCode).toBe(401);
  });

  it('serves Swagger UI at /docs without a key, its scripts from here only (its own CSP, no https upgrade, no online validator)', async () => {
    api = await startTestApi();
    let res = await get('/docs', null);
    // The UI answers its page directly or redirects to it.
    for (let hops = 0; res.statusCode >= 300 && res.statusCode < 400 && hops < 3; hops++) res = await get(new URL(String(res.headers.location), 'http://x/docs/').pathname, null);
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-type'])).toContain('text/html');
    expect(res.body).toContain('swagger-ui');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(csp).not.toContain('validator.swagger.io');
    const initializer = await get('/docs/static/swagger-initializer.js', null);
    expect(initializer.statusCode).toBe(200);
    // The document it loads is this server's own (/docs/json, relative to the page).
    expect(initializer.body).toContain("resolveUrl('./json')");
  });
});

describe('rate limiting', () => {
  it('answers 429 in the error format with Retry-After once a key spends its budget, other keys unaffected', async () => {
    api = await startTestApi({ config: { rateLimitPerMinute: 3 } });
    for (let i = 0; i < 3; i++) expect((await get('/v1/zones', 'carrier:C1')).statusCode).toBe(200);
    const limited = await get('/v1/fleet', 'carrier:C1');
    expect(limited.statusCode).toBe(429);
    expect(limited.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('3 requests per minute') });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get('/v1/zones', 'carrier:C2')).statusCode).toBe(200);
  });

  it('does not count health, metrics and docs', async () => {
    api = await startTestApi({ config: { rateLimitPerMinute: 1 } });
    for (let i = 0; i < 3; i++) {
      expect((await get('/healthz')).statusCode).toBe(200);
      expect((await get('/metrics')).statusCode).toBe(200);
      expect((await get('/docs')).statusCode).toBe(200);
    }
    expect((await get('/v1/zones')).statusCode).toBe(200);
    expect((await get('/v1/zones')).statusCode).toBe(429);
  });
});

/** An alert's catalogue fields, as the projector sets them. */
function classified(type: AlertView['type']): Pick<AlertView, 'category' | 'kind' | 'severity'> {
  const c = classifyDetection({ type });
  return { category: c.category, kind: c.kind, severity: c.entry.severity };
}

describe('metrics', () => {
  const alert = (alertId: string, type: AlertView['type'], carrierId: string): AlertView => ({ alertId, type, ...classified(type), occurredAt: '2026-03-05T09:59:00Z', vehicleId: 'V1', plateNo: null, carrierId, waybillNo: null, zoneId: null, zoneName: null, laden: true, lon: 121.4, lat: 28.6, message: 'test' });

  it('exposes read-model sizes, alerts seen by type and SSE clients, without per-vehicle labels', async () => {
    const started = await startTestApi({ withBus: true });
    api = started;
    const producer = started.bus!.producer();
    const sent = [alert('a1', 'IllegalParkingStarted', 'C1'), alert('a2', 'IllegalParkingStarted', 'C2'), alert('a3', 'AccidentSegmentEntered', 'C1'), alert('a1', 'IllegalParkingStarted', 'C1')];
    await producer.send(topicNames().alerts, [...sent.map((a) => ({ key: a.vehicleId, value: JSON.stringify(a) })), { key: 'V1', value: '{"not":"an alert"}' }]);
    expect((await get('/v1/vehicles/V1')).statusCode).toBe(200);
    let text = '';
    for (let i = 0; i < 50 && !text.includes('dgt_api_alerts_invalid_total 1'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      text = (await get('/metrics', 'metrics')).body;
    }
    expect(text).toContain('dgt_readmodel_rows{model="vehicles"} 4');
    expect(text).toContain('dgt_readmodel_rows{model="open_violations"} 1');
    expect(text).toContain('dgt_readmodel_rows{model="advisories"} 3');
    expect(text).toContain('dgt_readmodel_rows{model="open_advisories"} 1');
    expect(text).toContain('dgt_api_alerts_seen_total{type="IllegalParkingStarted",category="violation"} 2');
    expect(text).toContain('dgt_api_alerts_seen_total{type="AccidentSegmentEntered",category="advisory"} 1');
    expect(text).toContain('dgt_api_alerts_invalid_total 1');
    expect(text).toContain('dgt_api_sse_clients 0');
    expect(text).toContain('route="/v1/vehicles/:id"');
    expect(text).not.toMatch(/vehicle(Id)?="|"V1"/);
  });

  it('reports not ready (503) once the read-model store stops answering', async () => {
    api = await startTestApi();
    await api.readModels.close();
    const res = await get('/readyz', 'metrics');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'not_ready', checks: { readModels: { ok: false } } });
    expect((await get('/v1/fleet?limit=7')).statusCode).toBe(503);
  });
});
