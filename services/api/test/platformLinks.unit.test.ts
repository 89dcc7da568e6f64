import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiConfigError, readApiConfig } from '../src/env.ts';
import type { LinkStatus, PlatformLinksView } from '../src/index.ts';
import { NOW, headersFor, startTestApi, type TestApi } from './apiTestKit.ts';

const up: LinkStatus = {
  platformId: 'carrier-a',
  name: 'Carrier A platform',
  edition: '2019',
  mainLink: 'up',
  mainRemote: '203.0.113.7:40122',
  mainConnectedAtMs: NOW.getTime() - 600_000,
  downLink: 'off',
  downTarget: null,
  downConnectedAtMs: null,
  lastMessageAtMs: NOW.getTime() - 12_000,
  fixesTotal: 12_345,
  fixesLastMinute: 600,
  refusals: { 'other-carrier': 3, 'unknown-vehicle': 1 },
};
const down: LinkStatus = { ...up, platformId: 'province', name: null, mainLink: 'down', mainRemote: null, mainConnectedAtMs: null, lastMessageAtMs: null, fixesTotal: 0, fixesLastMinute: 0, refusals: {} };

let api: (TestApi & { bus: unknown }) | undefined;
const servers: Server[] = [];
afterEach(async () => {
  await api?.close();
  api = undefined;
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

const links = async (role: 'bureau' | 'enforcement' = 'bureau') => {
  const res = await api!.app.inject({ method: 'GET', url: '/v1/platform-links', headers: headersFor(role) });
  expect(res.statusCode).toBe(200);
  return res.json<PlatformLinksView>();
};

/** A stand-in gateway ops server answering GET /links as `answer` says. */
async function fakeGateway(answer: (req: { url: string | undefined; key: string | undefined }) => { status: number; body: unknown } | 'hang'): Promise<string> {
  const server = createServer((req, res) => {
    const a = answer({ url: req.url, key: req.headers['x-api-key'] as string | undefined });
    if (a === 'hang') return;
    res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

const remote = (urls: string[], timeoutMs = 2_000) => ({ config: { platformLinks: { urls, apiKey: 'gw-key', timeoutMs } } });

describe('GET /v1/platform-links', () => {
  it('says not configured, with empty lists, when there is neither an in-process gateway nor gateway URLs', async () => {
    api = await startTestApi();
    expect(await links()).toEqual({ configured: false, atMs: NOW.getTime(), gateways: [], items: [] });
  });

  it('lists the in-process gateway’s platforms for bureau and enforcement', async () => {
    api = await startTestApi({ app: { platformLinks: async () => [up, down] } });
    const body = await links('enforcement');
    expect(body.configured).toBe(true);
    expect(body.gateways).toEqual([{ gateway: 'in-process', state: 'ok', detail: null }]);
    expect(body.items).toEqual([
      { ...up, gateway: 'in-process' },
      { ...down, gateway: 'in-process' },
    ]);
  });

  it('shows an in-process gateway that fails as unreachable, never a 500', async () => {
    api = await startTestApi({ app: { platformLinks: () => Promise.reject(new Error('boom: internal detail')) } });
    const body = await links();
    expect(body.gateways).toEqual([{ gateway: 'in-process', state: 'unreachable', detail: 'the gateway did not report its links' }]);
    expect(body.items).toEqual([]);
  });

  it('shows an in-process gateway whose status does not fit the schema as unreachable, naming the field', async () => {
    api = await startTestApi({ app: { platformLinks: async () => [{ ...up, fixesTotal: -1 }] } });
    const body = await links();
    expect(body.gateways[0]).toMatchObject({ gateway: 'in-process', state: 'unreachable', detail: expect.stringMatching(/^answer not understood at platforms\.0\.fixesTotal: /) });
    expect(body.items).toEqual([]);
  });

  it('asks each configured gateway’s GET /links with the key, and lists a gateway that cannot be reached as unreachable beside the others', async () => {
    const seen: { url: string | undefined; key: string | undefined }[] = [];
    const ok = await fakeGateway((req) => {
      seen.push(req);
      return { status: 200, body: { platforms: [up] } };
    });
    const refusing = await fakeGateway(() => ({ status: 403, body: { error: { code: 'FORBIDDEN' } } }));
    const closed = await fakeGateway(() => ({ status: 200, body: {} }));
    const closedUrl = closed;
    await new Promise((r) => servers.pop()!.close(r)); // nothing listens there any more
    api = await startTestApi(remote([ok, refusing, closedUrl]));
    const body = await links();
    expect(seen).toEqual([{ url: '/links', key: 'gw-key' }]);
    expect(body.items).toEqual([{ ...up, gateway: ok }]);
    expect(body.gateways).toEqual([
      { gateway: ok, state: 'ok', detail: null },
      { gateway: refusing, state: 'unreachable', detail: 'answered HTTP 403 (check API_JT809_LINKS_KEY: a metrics or bureau key of the gateway)' },
      { gateway: closedUrl, state: 'unreachable', detail: 'cannot connect' },
    ]);
  });

  it('gives up on a gateway that does not answer within the timeout', async () => {
    const hanging = await fakeGateway(() => 'hang');
    api = await startTestApi(remote([hanging], 200));
    const started = performance.now();
    const body = await links();
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(body.gateways).toEqual([{ gateway: hanging, state: 'unreachable', detail: 'no answer within 200 ms' }]);
  });

  it('lists a gateway whose answer does not match the link schema as unreachable, naming the field', async () => {
    const odd = await fakeGateway(() => ({ status: 200, body: { platforms: [{ ...up, mainLink: 'sideways' }] } }));
    api = await startTestApi(remote([odd]));
    const [gateway] = (await links()).gateways;
    expect(gateway).toMatchObject({ state: 'unreachable' });
    expect(gateway!.detail).toMatch(/^answer not understood at platforms\.0\.mainLink: /);
  });
});

describe('API_JT809_LINKS_URLS', () => {
  const base = { DGT_API_KEYS: JSON.stringify([{ id: 'bureau-1', role: 'bureau', sha256: 'a'.repeat(64) }]) };
  it('reads comma-separated gateway URLs with the key and timeout', () => {
    const config = readApiConfig({ ...base, API_JT809_LINKS_URLS: 'http://gw-1:9466, http://gw-2:9466/', API_JT809_LINKS_KEY: 'k', API_JT809_LINKS_TIMEOUT_MS: '500' });
    expect(config.platformLinks).toEqual({ urls: ['http://gw-1:9466', 'http://gw-2:9466/'], apiKey: 'k', timeoutMs: 500 });
    expect(readApiConfig(base).platformLinks).toBeUndefined();
  });

  it.each([
    [{ API_JT809_LINKS_URLS: 'http://gw:9466' }, 'API_JT809_LINKS_KEY is required'],
    [{ API_JT809_LINKS_URLS: 'http://gw:9466,gw-2', API_JT809_LINKS_KEY: 'k' }, 'API_JT809_LINKS_URLS[1]: not a URL'],
    [{ API_JT809_LINKS_URLS: 'ftp://gw', API_JT809_LINKS_KEY: 'k' }, 'API_JT809_LINKS_URLS[0]: must be http or https'],
    [{ API_JT809_LINKS_URLS: 'http://u:p@gw:9466', API_JT809_LINKS_KEY: 'k' }, 'API_JT809_LINKS_URLS[0]: must not carry credentials'],
  ])('refuses %o', (env, message) => {
    expect(() => readApiConfig({ ...base, ...env })).toThrow(ApiConfigError);
    expect(() => readApiConfig({ ...base, ...env })).toThrow(message);
  });
});
