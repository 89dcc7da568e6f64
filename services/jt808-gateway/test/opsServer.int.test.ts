import { generateApiKey, hashApiKey, startOpsServer, type OpsServer } from '@dgt/http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from './support/gatewayHarness.ts';
import { startHarness } from './support/gatewayHarness.ts';

let h: Harness | undefined;
let ops: OpsServer | undefined;
afterEach(async () => {
  await ops?.close();
  await h?.close();
  ops = h = undefined;
});

describe('ops endpoints', () => {
  it('serves the gateway metrics to a metrics key and reports readiness from the TCP listener', async () => {
    h = await startHarness();
    const key = generateApiKey();
    const gateway = h.gateway;
    ops = await startOpsServer({
      name: 'jt808-gateway',
      host: '127.0.0.1',
      port: 0,
      registry: h.registry,
      apiKeys: [{ id: 'prom', role: 'metrics', sha256: hashApiKey(key) }],
      logLevel: 'silent',
      defaultMetrics: false,
      checks: () => ({ tcp: { ok: gateway.listening, detail: `${gateway.connectionCount} connection(s)` } }),
    });
    await h.loggedIn('013912344329');
    const get = (path: string, withKey = true) => fetch(`${ops!.address}${path}`, { headers: withKey ? { 'x-api-key': key } : {} });
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/^dgt_jt808_connections 1$/m);
    expect(text).toMatch(/^dgt_jt808_frames_total\{msg_id="0x0102"\} 1$/m);
    expect((await get('/metrics', false)).status).toBe(401);
    expect((await get('/healthz')).status).toBe(200);
    expect(await (await get('/readyz')).json()).toEqual({ status: 'ready', checks: { tcp: { ok: true, detail: '1 connection(s)' } } });
    await gateway.close();
    expect((await get('/readyz')).status).toBe(503);
  });
});
