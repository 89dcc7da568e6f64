import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServiceApp, generateApiKey, hashApiKey, type ServiceApp } from '@dgt/http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, dashboardRoutes } from '../../services/api/src/routes/dashboard.ts';

const keys = { bureau: generateApiKey(), acme: generateApiKey(), ingest: generateApiKey() };
const apiKeys = [
  { id: 'bureau-1', role: 'bureau', sha256: hashApiKey(keys.bureau) },
  { id: 'acme-1', role: 'carrier:ACME', sha256: hashApiKey(keys.acme) },
  { id: 'gateway', role: 'ingest', sha256: hashApiKey(keys.ingest) },
];

let dist: string;
let app: ServiceApp | undefined;

beforeAll(() => {
  dist = mkdtempSync(join(tmpdir(), 'dgt-dashboard-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log("desk")');
});

afterAll(() => rmSync(dist, { recursive: true, force: true }));

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build(distDir: string, tileUrl: string | null = null): Promise<ServiceApp> {
  app = await buildServiceApp({ name: 'api', apiKeys, logLevel: 'silent', defaultMetrics: false });
  app.get('/v1/secret', { config: { roles: ['bureau'] } }, async () => ({ data: 'only with a key' }));
  await app.register(dashboardRoutes, { distDir, tileUrl });
  return app;
}

describe('dashboard routes', () => {
  it('serve the page without a key, uncached, under a strict CSP', async () => {
    const a = await build(dist);
    const page = await a.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('/assets/index-abc123.js');
    expect(page.headers['cache-control']).toBe('no-cache');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('serve hashed assets as immutable, and a missing asset as an uncached 404', async () => {
    const a = await build(dist);
    const asset = await a.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log("desk")');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await a.inject({ method: 'GET', url: '/assets/index-zzz.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['cache-control']).toBeUndefined();
  });

  it('never serve files outside the bundle', async () => {
    const a = await build(dist);
    for (const url of ['/assets/../index.html', '/assets/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json']) {
      const res = await a.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.body, url).not.toContain('"name"');
    }
  });

  it('answer 503 with the build command when the bundle is missing', async () => {
    const a = await build(join(dist, 'not-built'));
    const res = await a.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build -w @dgt/api');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('publish the tile setting and allow only the tile host for images', async () => {
    const a = await build(dist, 'https://{s}.tiles.example.cn/{z}/{x}/{y}.png');
    expect((await a.inject({ method: 'GET', url: '/dashboard-config.json' })).json()).toEqual({ tileUrl: 'https://{s}.tiles.example.cn/{z}/{x}/{y}.png', tileDatum: 'wgs84', tileAttribution: null, roads: [], places: [], counties: false, safetyCodes: false });
    const csp = String((await a.inject({ method: 'GET', url: '/' })).headers['content-security-policy']);
    expect(csp).toContain("img-src 'self' data: https://*.tiles.example.cn;");
    expect(contentSecurityPolicy(null)).toContain("img-src 'self' data:;");
  });

  it('tell a key who it is, and nothing without a key', async () => {
    const a = await build(dist);
    expect((await a.inject({ method: 'GET', url: '/dashboard-session.json' })).statusCode).toBe(401);
    const acme = await a.inject({ method: 'GET', url: '/dashboard-session.json', headers: { authorization: `Bearer ${keys.acme}` } });
    expect(acme.json()).toEqual({ keyId: 'acme-1', role: 'carrier', carrierId: 'ACME', canRead: true });
    const ingest = await a.inject({ method: 'GET', url: '/dashboard-session.json', headers: { authorization: `Bearer ${keys.ingest}` } });
    expect(ingest.json()).toEqual({ keyId: 'gateway', role: 'ingest', carrierId: null, canRead: false });
  });

  it('leave the data routes and unknown URLs behind authentication', async () => {
    const a = await build(dist);
    expect((await a.inject({ method: 'GET', url: '/v1/secret' })).statusCode).toBe(401);
    expect((await a.inject({ method: 'GET', url: '/index.html' })).statusCode).toBe(401);
    expect((await a.inject({ method: 'POST', url: '/' })).statusCode).toBe(401);
  });
});
