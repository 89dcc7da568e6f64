/**
 * What `status()` and the ops server's `GET /links` tell the desk about a platform: a platform
 * logs in over loopback TCP, sends fixes, some for vehicles it may not speak for, and logs out.
 */
import { generateApiKey, hashApiKey, startOpsServer, type OpsServer } from '@dgt/http';
import { LoginResult } from '@dgt/jt809';
import { afterEach, describe, expect, it } from 'vitest';
import type { LinksBody } from '../src/index.ts';
import { linksRoute, simulatedFixInput } from '../src/index.ts';
import type { Harness } from './harness.ts';
import { startHarness } from './harness.ts';
import { T0, platformEntry } from './support.ts';

const vehicles = [
  { vehicleId: 'V1', plateNo: '浙J·10001', carrierId: 'C-A' },
  { vehicleId: 'V2', plateNo: '浙J·10002', carrierId: 'C-A' },
  { vehicleId: 'V3', plateNo: '浙J·10003', carrierId: 'C-B' },
];
const credentials = { accessCode: 33010001, userId: 7001, password: 'pass1234', edition: '2019' as const };

let h: Harness | undefined;
let ops: OpsServer | undefined;
afterEach(async () => {
  await ops?.close();
  await h?.close();
  ops = undefined;
  h = undefined;
});

describe('link status', () => {
  it('lists a configured platform that never logged in as down, with nothing counted', async () => {
    h = await startHarness([platformEntry({ name: 'Carrier A platform' }), platformEntry({ platformId: 'carrier-b', accessCode: 33010002, carriers: ['C-B'] })], vehicles);
    expect(h.gateway.status()).toEqual([
      expect.objectContaining({ platformId: 'carrier-a', name: 'Carrier A platform', edition: '2019', mainLink: 'down', mainRemote: null, mainConnectedAtMs: null, downLink: 'off', downTarget: null, lastMessageAtMs: null, fixesTotal: 0, fixesLastMinute: 0, refusals: {} }),
      expect.objectContaining({ platformId: 'carrier-b', name: null, mainLink: 'down' }),
    ]);
  });

  it('shows a logged-in platform’s remote, since when, last message, fixes and refusals by reason; after its logout, down', async () => {
    h = await startHarness([platformEntry()], vehicles);
    const before = Date.now();
    const p = h.platform(credentials);
    await p.connect();
    expect(await p.login()).toBe(LoginResult.ok);
    for (let k = 0; k < 6; k++) p.sendFix(k % 2 === 0 ? '浙J·10001' : '浙J·10002', 2, simulatedFixInput('2019', k % 2, k, T0 + k * 1000));
    p.sendFix('浙J·10003', 2, simulatedFixInput('2019', 2, 0, T0)); // C-B's vehicle: not this platform's
    p.sendFix('浙J·10003', 2, simulatedFixInput('2019', 2, 1, T0 + 1000));
    p.sendFix('浙A·99999', 2, simulatedFixInput('2019', 3, 0, T0)); // in no register
    await p.heartbeat(); // answered once every fix before it is on the bus

    const [s] = h.gateway.status();
    expect(s).toMatchObject({ platformId: 'carrier-a', mainLink: 'up', downLink: 'off', fixesTotal: 6, fixesLastMinute: 6, refusals: { 'other-carrier': 2, 'unknown-vehicle': 1 } });
    expect(s!.mainRemote).toMatch(/^(::ffff:)?127\.0\.0\.1:\d+$/);
    // The harness's clock runs from T0 + 60 s: the login and the last frame are on that clock.
    expect(s!.mainConnectedAtMs).toBeGreaterThanOrEqual(T0 + 60_000);
    expect(s!.mainConnectedAtMs).toBeLessThan(T0 + 60_000 + (Date.now() - before) + 1_000);
    expect(s!.lastMessageAtMs).toBe(Math.floor(s!.lastMessageAtMs! / 1000) * 1000);
    expect(s!.lastMessageAtMs).toBeGreaterThanOrEqual(Math.floor(s!.mainConnectedAtMs! / 1000) * 1000);
    // The same counts as Prometheus.
    expect(await h.metric('dgt_jt809_fixes_published_total', { platform: 'carrier-a' })).toBe(6);
    expect(await h.metric('dgt_jt809_refused_total', { platform: 'carrier-a', reason: 'other-carrier' })).toBe(2);

    await p.logout();
    await h.until(() => h!.gateway.status()[0]!.mainLink === 'down');
    expect(h.gateway.status()[0]).toMatchObject({ mainRemote: null, mainConnectedAtMs: null, fixesTotal: 6, lastMessageAtMs: s!.lastMessageAtMs });
  });

  it('serves the status on the ops server’s GET /links to metrics and bureau keys only', async () => {
    h = await startHarness([platformEntry()], vehicles);
    const keys = { metrics: generateApiKey(), ingest: generateApiKey() };
    ops = await startOpsServer({
      name: 'jt809-gateway',
      host: '127.0.0.1',
      port: 0,
      registry: h.registry,
      apiKeys: [
        { id: 'prom', role: 'metrics', sha256: hashApiKey(keys.metrics) },
        { id: 'gw', role: 'ingest', sha256: hashApiKey(keys.ingest) },
      ],
      logLevel: 'silent',
      defaultMetrics: false,
      checks: () => ({}),
      jsonRoutes: [linksRoute(h.gateway)],
    });
    const p = h.platform(credentials);
    await p.connect();
    expect(await p.login()).toBe(LoginResult.ok);
    p.sendFix('浙J·10001', 2, simulatedFixInput('2019', 0, 0, T0));
    await p.heartbeat();

    const res = await fetch(`${ops.address}/links`, { headers: { 'x-api-key': keys.metrics } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as LinksBody;
    expect(body.platforms).toEqual(JSON.parse(JSON.stringify(h.gateway.status())) as unknown);
    expect(body.platforms[0]).toMatchObject({ platformId: 'carrier-a', mainLink: 'up', fixesTotal: 1 });
    expect((await fetch(`${ops.address}/links`, { headers: { 'x-api-key': keys.ingest } })).status).toBe(403);
    expect((await fetch(`${ops.address}/links`)).status).toBe(401);
  });
});
