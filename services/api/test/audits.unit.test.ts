import { readFileSync } from 'node:fs';
import { auditStream, type DgtEvent, parseNdjsonLine } from '@dgt/events';
import { type EventStore, openMemoryEventStore, streamFor } from '@dgt/eventstore';
import type { ServiceApp } from '@dgt/http';
import { createMemoryReadModelStore } from '@dgt/readmodels';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApiApp } from '../src/app.ts';
import { keys as testKeys, testConfig } from './apiTestKit.ts';

const keys = { enforcement: testKeys.enforcement, bureau: testKeys.bureau, carrier: testKeys['carrier:C1'] };

function scenario(name: string): DgtEvent[] {
  const text = readFileSync(new URL(`../../../tests/scenarios/${name}/input.ndjson`, import.meta.url), 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => {
    const r = parseNdjsonLine(l);
    if (!r.ok) throw r.error;
    return r.event;
  });
}

let store: EventStore;
let app: ServiceApp;
beforeEach(async () => {
  store = openMemoryEventStore();
  for (const e of scenario('02-parked-laden-roadside-25min')) await store.append(streamFor(e), [e]);
  app = await buildApiApp({ config: testConfig(), store, readModels: createMemoryReadModelStore(), defaultMetrics: false, now: () => new Date('2026-03-05T10:00:00Z') });
});
afterEach(async () => {
  await app.close();
  await store.close();
});

const post = (key: string | null, body: unknown) =>
  app.inject({ method: 'POST', url: '/v1/audits', payload: body as Record<string, unknown>, headers: key === null ? {} : { 'x-api-key': key } });

describe('POST /v1/audits', () => {
  it('runs the replay for the enforcement role and returns the report with a link to its HTML page', async () => {
    const res = await post(keys.enforcement, { vehicles: ['V1'], from: '2026-03-02T07:00:00+08:00', to: '2026-03-02T09:00:00+08:00' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ auditId: string; htmlUrl: string; report: { counts: { violations: number }; digest: { events: number }; violations: { vehicleId: string }[] } }>();
    expect(body.report.counts.violations).toBe(1);
    expect(body.report.violations[0]?.vehicleId).toBe('V1');
    const html = await app.inject({ method: 'GET', url: body.htmlUrl, headers: { 'x-api-key': keys.enforcement } });
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('<svg');
    // Operator (the key id) and run time head the page; report.json carries neither.
    expect(html.body).toContain('joint-team-1');
    expect(html.body).toContain('2026-03-05T10:00:00.000Z');
    expect(JSON.stringify(body.report)).not.toContain('joint-team-1');
  });

  it('records the run in the audit stream with the API key id as operator', async () => {
    const res = await post(keys.enforcement, { vehicles: ['V1'] });
    const { auditId } = res.json<{ auditId: string }>();
    const recorded = [];
    for await (const r of store.readStream(auditStream)) recorded.push(r.event);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ type: 'AuditReplayRun', occurredAt: '2026-03-05T10:00:00.000Z', data: { auditId, operator: { kind: 'apiKey', id: 'joint-team-1' }, source: 'store' } });
  });

  it('refuses the bureau and carrier roles with 403 and a missing key with 401', async () => {
    expect((await post(keys.bureau, {})).statusCode).toBe(403);
    expect((await post(keys.carrier, {})).statusCode).toBe(403);
    expect((await post(null, {})).statusCode).toBe(401);
    const html = await app.inject({ method: 'GET', url: '/v1/audits/x/report.html', headers: { 'x-api-key': keys.bureau } });
    expect(html.statusCode).toBe(403);
  });

  it('answers 400 naming the field of a bad time or threshold', async () => {
    const bad = await post(keys.enforcement, { from: 'yesterday', thresholds: { stopSpeedKmh: -1 } });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json<{ error: { details: { path: string }[] } }>().error.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.from', 'body.thresholds.stopSpeedKmh']));
    const reversed = await post(keys.enforcement, { from: '2026-03-03T00:00:00Z', to: '2026-03-02T00:00:00Z' });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json<{ error: { message: string } }>().error.message).toContain('must be before');
  });

  it('returns an empty report stating that the selection matched nothing', async () => {
    const res = await post(keys.enforcement, { vehicles: ['NO-SUCH-TRUCK'] });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ report: { matchedNothing: boolean; message: string } }>().report).toMatchObject({ matchedNothing: true, message: expect.stringContaining('matched nothing') });
  });

  it('answers 404 for the HTML of an unknown audit, without repeating the id asked for', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/audits/unknown-ECHO/report.html', headers: { 'x-api-key': keys.enforcement } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(res.body).not.toContain('ECHO');
  });

  it('serves the report page under a CSP that runs nothing and loads nothing but its inline styles, never cached', async () => {
    const { htmlUrl } = (await post(keys.enforcement, { vehicles: ['V1'] })).json<{ htmlUrl: string }>();
    const page = await app.inject({ method: 'GET', url: htmlUrl, headers: { 'x-api-key': keys.enforcement } });
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp.split('; ')).toEqual(["default-src 'none'", "style-src 'unsafe-inline'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'", 'sandbox']);
    expect(page.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
    // What the policy allows is all the page needs: no script, no external URL.
    expect(page.body).not.toMatch(/<script|src=|href="http/);
    expect(page.body).toContain('<style>');
  });

  it('answers the audit itself as never-cached JSON with the strict CSP', async () => {
    const res = await post(keys.enforcement, { vehicles: ['V1'] });
    expect(res.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none';frame-ancestors 'none'" });
  });
});

describe('audit pages in a browser: short-lived signed links', () => {
  let clock = new Date('2026-03-05T10:00:00Z');
  let linked: ServiceApp;
  beforeEach(async () => {
    clock = new Date('2026-03-05T10:00:00Z');
    linked = await buildApiApp({
      config: { ...testConfig(), reportLinks: { secret: new Uint8Array(32).fill(7), ttlMs: 600_000 } },
      store,
      readModels: createMemoryReadModelStore(),
      defaultMetrics: false,
      now: () => clock,
    });
  });
  afterEach(async () => linked.close());
  const run = async (vehicles: string[]) => {
    const res = await linked.inject({ method: 'POST', url: '/v1/audits', payload: { vehicles }, headers: { 'x-api-key': keys.enforcement } });
    expect(res.statusCode).toBe(200);
    return res.json<{ auditId: string; viewUrl: string; viewUrlExpiresAt: string }>();
  };

  it('opens the page from the link alone, no API key, for the link\'s lifetime, and never caches it', async () => {
    const { auditId, viewUrl, viewUrlExpiresAt } = await run(['V1']);
    expect(viewUrl).toMatch(new RegExp(`^/v1/audits/${auditId}/view\\?expires=\\d+&sig=[A-Za-z0-9_-]{43}$`));
    expect(viewUrlExpiresAt).toBe('2026-03-05T10:10:00.000Z');
    expect(viewUrl).not.toContain(keys.enforcement);
    const page = await linked.inject({ method: 'GET', url: viewUrl });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).toContain('<svg');
    clock = new Date('2026-03-05T10:09:59Z');
    expect((await linked.inject({ method: 'GET', url: viewUrl })).statusCode).toBe(200);
  });

  it('refuses an expired link, a changed expiry or signature, and a link used for another audit (403, saying why)', async () => {
    const a = await run(['V1']);
    const b = await run(['V2']);
    const url = new URL(a.viewUrl, 'http://x');
    const sig = url.searchParams.get('sig')!;
    const expires = Number(url.searchParams.get('expires'));
    const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    for (const bad of [
      `/v1/audits/${a.auditId}/view?expires=${expires + 3600}&sig=${sig}`,
      `/v1/audits/${a.auditId}/view?expires=${expires}&sig=${flipped}`,
      `/v1/audits/${b.auditId}/view?expires=${expires}&sig=${sig}`,
      `/v1/audits/${a.auditId}/view?expires=${expires}&sig=${sig}x`,
    ]) {
      const res = await linked.inject({ method: 'GET', url: bad });
      expect(res.statusCode, bad).toBe(403);
      expect(res.json<{ error: { message: string } }>().error.message).toContain('not valid');
    }
    clock = new Date('2026-03-05T10:10:00Z');
    const late = await linked.inject({ method: 'GET', url: a.viewUrl });
    expect(late.statusCode).toBe(403);
    expect(late.json<{ error: { message: string } }>().error.message).toContain('expired at 2026-03-05T10:10:00.000Z');
    expect((await linked.inject({ method: 'GET', url: `/v1/audits/${a.auditId}/view` })).statusCode).toBe(400);
  });

  it('gives the enforcement role a fresh link to a kept report, 404 for an unknown audit, nobody else', async () => {
    const { auditId } = await run(['V1']);
    clock = new Date('2026-03-05T11:00:00Z');
    const fresh = await linked.inject({ method: 'POST', url: `/v1/audits/${auditId}/links`, headers: { 'x-api-key': keys.enforcement } });
    expect(fresh.statusCode).toBe(200);
    const { viewUrl, viewUrlExpiresAt } = fresh.json<{ viewUrl: string; viewUrlExpiresAt: string }>();
    expect(viewUrlExpiresAt).toBe('2026-03-05T11:10:00.000Z');
    expect((await linked.inject({ method: 'GET', url: viewUrl })).statusCode).toBe(200);
    expect((await linked.inject({ method: 'POST', url: '/v1/audits/nope/links', headers: { 'x-api-key': keys.enforcement } })).statusCode).toBe(404);
    expect((await linked.inject({ method: 'POST', url: `/v1/audits/${auditId}/links`, headers: { 'x-api-key': keys.bureau } })).statusCode).toBe(403);
    expect((await linked.inject({ method: 'POST', url: `/v1/audits/${auditId}/links`, headers: { 'x-api-key': keys.carrier } })).statusCode).toBe(403);
    expect((await linked.inject({ method: 'POST', url: `/v1/audits/${auditId}/links` })).statusCode).toBe(401);
  });

  it('does not open a link signed under another secret (another API instance without the shared secret)', async () => {
    const { viewUrl } = await run(['V1']);
    const other = await buildApiApp({ config: { ...testConfig(), reportLinks: { secret: new Uint8Array(32).fill(8), ttlMs: 600_000 } }, store, readModels: createMemoryReadModelStore(), defaultMetrics: false, now: () => clock });
    try {
      expect((await other.inject({ method: 'GET', url: viewUrl })).statusCode).toBe(403);
    } finally {
      await other.close();
    }
  });
});
