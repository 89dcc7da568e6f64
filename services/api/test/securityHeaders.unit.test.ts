import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headersFor, startTestApi, type TestApi } from './apiTestKit.ts';

/** Every route family of the API carries the security headers; data never gets cached. */

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const common = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' };
const strictCsp = "default-src 'none';frame-ancestors 'none'";

describe('security headers on every API route family', () => {
  it.each([
    ['fleet (prepared bytes)', '/v1/fleet'],
    ['a vehicle (serialised by schema)', '/v1/vehicles/V1'],
    ['violations', '/v1/violations'],
    ['metrics', '/metrics'],
    ['health', '/healthz'],
    ['an unknown route', '/v1/nothing-here'],
  ])('%s: nosniff, strict CSP, no framing, no referrer, no-store', async (_name, url) => {
    const res = await api.app.inject({ method: 'GET', url, headers: headersFor('bureau') });
    expect(res.headers).toMatchObject({ ...common, 'content-security-policy': strictCsp, 'cache-control': 'no-store' });
  });

  it('a refusal without a key', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/v1/fleet' });
    expect(res.statusCode).toBe(401);
    expect(res.headers).toMatchObject({ ...common, 'content-security-policy': strictCsp, 'cache-control': 'no-store' });
  });

  it('the dashboard page: its own CSP (scripts and styles from itself only, no inline), not the JSON one', async () => {
    const page = await api.app.inject({ method: 'GET', url: '/' });
    const csp = String(page.headers['content-security-policy']);
    expect(page.headers).toMatchObject(common);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const config = await api.app.inject({ method: 'GET', url: '/dashboard-config.json' });
    expect(config.headers).toMatchObject({ ...common, 'cache-control': 'no-cache' });
  });

  it('the alert stream (written past fastify, on the raw response): the headers, and never stored', async () => {
    const address = await api.app.listen({ port: 0, host: '127.0.0.1' });
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = get(`${address}/v1/alerts/stream`, { headers: headersFor('bureau') }, (res) => {
        resolve(res.headers);
        req.destroy();
      });
      req.on('error', reject);
    });
    expect(headers).toMatchObject({ ...common, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store, no-transform' });
  });
});
