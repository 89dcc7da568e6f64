import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, startOpsServer, type OpsServer } from '../src/index.ts';

const keys = { bureau: generateApiKey(), metrics: generateApiKey(), ingest: generateApiKey() };
const apiKeys = [
  { id: 'bureau-1', role: 'bureau' as const, sha256: hashApiKey(keys.bureau) },
  { id: 'prom', role: 'metrics' as const, sha256: hashApiKey(keys.metrics) },
  { id: 'gw', role: 'ingest' as const, sha256: hashApiKey(keys.ingest) },
];

let ops: OpsServer | undefined;
afterEach(async () => {
  await ops?.close();
  ops = undefined;
});

const start = (jsonRoutes: Parameters<typeof startOpsServer>[0]['jsonRoutes']) =>
  startOpsServer({ name: 'test', host: '127.0.0.1', port: 0, registry: new Registry(), apiKeys, logLevel: 'silent', defaultMetrics: false, checks: () => ({}), jsonRoutes });

describe('ops server JSON routes', () => {
  it('serves a route’s state as JSON to its roles, read at each request', async () => {
    let n = 0;
    ops = await start([{ path: '/links', roles: ['metrics', 'bureau'], read: () => ({ platforms: [{ id: 'p1', n: ++n }] }) }]);
    const first = await fetch(`${ops.address}/links`, { headers: { 'x-api-key': keys.metrics } });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/application\/json/);
    expect(await first.json()).toEqual({ platforms: [{ id: 'p1', n: 1 }] });
    const second = await fetch(`${ops.address}/links`, { headers: { authorization: `Bearer ${keys.bureau}` } });
    expect(await second.json()).toEqual({ platforms: [{ id: 'p1', n: 2 }] });
  });

  it('refuses a request without a key (401) and a key of another role (403), without reading the state', async () => {
    let reads = 0;
    ops = await start([{ path: '/links', roles: ['metrics'], read: () => ({ reads: ++reads }) }]);
    expect((await fetch(`${ops.address}/links`)).status).toBe(401);
    expect((await fetch(`${ops.address}/links`, { headers: { 'x-api-key': keys.ingest } })).status).toBe(403);
    expect(reads).toBe(0);
  });

  it('refuses to start with a route no role may read', async () => {
    await expect(start([{ path: '/links', roles: [], read: () => ({}) }])).rejects.toThrow('ops route /links: roles must name at least one role');
  });
});
