import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedPlatform, simulatedFixInput } from '@dgt/jt809-gateway';
import { simulate } from '@dgt/simulator';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateDemoPlatform } from '../src/demoPlatform.ts';
import { demoJt809Delivery } from '../src/jt809Demo.ts';
import { consoleLogger, firstRun, loadOrCreateDemoKeys, loadSeeds, runDemoSimulation, startStack, waitForSeedsProjected, type Stack } from '../src/index.ts';
import { seedVehicleRegister } from '../src/seedRegister.ts';

/*
 * Issue 20, item 3: in `npm start` one carrier's vehicles arrive as a JT/T 809 platform delivers
 * them — login, 0x1202 fixes, outages followed by 0x1203 back-fill — through the gateway on the
 * stack's durable bus. Every fix the simulator meant for the platform must be in the event store
 * exactly once, under the gateway's ids, and none of them over HTTP as well.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'dgt-stack-jt809-'));
let stack: Stack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const DAY_MS = 86_400_000;

describe('the demo platform in the stack', () => {
  it('delivers its carrier\'s simulated fixes through the JT/T 809 gateway, outages back-filled, each stored exactly once', async () => {
    const keys = loadOrCreateDemoKeys(dataDir, ['C001']);
    const platform = loadOrCreateDemoPlatform(dataDir, ['C001']);
    const register = seedVehicleRegister();
    // No fixed register: the gateway follows the register as projected, as in `npm start`.
    stack = await startStack({ dataDir, apiPort: 0, ingestPort: 0, apiKeys: keys.entries, logLevel: 'silent', defaultMetrics: false, jt809: { port: 0, platforms: [platform.account] } });
    const seeds = await loadSeeds(stack.ingestUrl, keys.keyFor('registry'));
    await waitForSeedsProjected(stack.readModels, seeds);

    // A wall clock standing still shortly after midnight (China time): the run covers the day before
    // from 07:00 until then (about 6 s at 10,000×, so outages fall while it sends), then waits — a
    // bounded, known set of messages.
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const nowMs = Date.parse(`${today}T00:10:00.500+08:00`) - DAY_MS;
    const vehicles = 4;
    const delivery = { ...demoJt809Delivery(stack.jt809!, platform, register), outageEveryMs: 400, outageForMs: 300 };
    const abort = new AbortController();
    const running = runDemoSimulation({ ingestUrl: stack.ingestUrl, ingestKey: keys.keyFor('ingest'), dataDir, speed: 10_000, vehicles, signal: abort.signal, log: consoleLogger('sim', 'silent'), now: () => nowMs, jt809: delivery });

    const run = firstRun(nowMs, 2);
    const sim = simulate({ seed: run.seed, vehicles, days: run.days, start: run.start, includeSeeds: false });
    // Everything due by the standing clock is sent (the night before the first morning at once).
    const expected = new Set<string>();
    for (const m of sim.messages) {
      if (m.arrivalMs - nowMs >= 20) continue;
      if (m.kind === 'event' && m.event.type === 'VehiclePositionReported' && delivery.plates.has(m.event.data.vehicleId)) {
        expected.add(`jt809:v:${m.event.data.vehicleId}:${Math.floor(Date.parse(m.event.occurredAt) / 1000) * 1000}`);
      }
    }
    expect(expected.size).toBeGreaterThan(1000);

    const stored = async (): Promise<{ jt809: Set<string>; httpOfPlatformVehicles: number }> => {
      const jt809 = new Set<string>();
      let httpOfPlatformVehicles = 0;
      for await (const e of stack!.store.readAll()) {
        const ev = e.event;
        if (ev.type !== 'VehiclePositionReported') continue;
        if (ev.eventId.startsWith('jt809:')) jt809.add(ev.eventId);
        else if (delivery.plates.has((ev.data as { vehicleId: string }).vehicleId)) httpOfPlatformVehicles++;
      }
      return { jt809, httpOfPlatformVehicles };
    };
    const allStored = async (timeoutMs: number): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && [...expected].some((id) => !seen.jt809.has(id))) {
        await new Promise((r) => setTimeout(r, 500));
        seen = await stored();
      }
    };
    let seen = await stored();
    await allStored(90_000);
    abort.abort();
    const result = await running;
    // Stopping acknowledges what is in flight; the recorder may still be appending it.
    await new Promise((r) => setTimeout(r, 1_000));

    expect(result.jt809).toBeDefined();
    const j = result.jt809!;
    expect(j.outages).toBeGreaterThanOrEqual(1);
    expect(j.logins).toBe(j.outages + j.linkLosses + 1);
    expect(j.fixesBackfilled).toBeGreaterThan(10);
    expect(j.fixesAcknowledged).toBe(j.fixesSent + j.fixesBackfilled);
    seen = await stored();
    expect([...expected].filter((id) => !seen.jt809.has(id))).toEqual([]);
    expect([...seen.jt809].filter((id) => !expected.has(id))).toEqual([]);
    expect(seen.httpOfPlatformVehicles).toBe(0);
  }, 150_000);

  it('takes a vehicle registered while it runs (the live register), and still refuses a plate nobody registered', async () => {
    const keys = loadOrCreateDemoKeys(dataDir, ['C001']);
    const platform = loadOrCreateDemoPlatform(dataDir, ['C001']);
    const carrierId = platform.account.carriers[0]!;
    const registered = {
      eventId: 'test-live-register-V9001',
      type: 'VehicleRegistered',
      occurredAt: '2026-01-01T00:00:00+08:00',
      data: { vehicleId: 'V9001', carrierId, plateNo: '浙J·L9001' },
    };
    const posted = await fetch(`${stack!.ingestUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': keys.keyFor('registry') },
      body: JSON.stringify([registered]),
    });
    expect(posted.status, await posted.text()).toBe(202);
    await expect.poll(async () => (await stack!.readModels.registrationByPlate('浙J·L9001'))?.vehicleId, { timeout: 20_000, interval: 100 }).toBe('V9001');

    // The gateway's copy follows the read models within a refresh (1 s in the stack).
    await new Promise((r) => setTimeout(r, 2_500));
    const jt809 = stack!.jt809!;
    const link = new SimulatedPlatform({ host: '127.0.0.1', port: jt809.port, edition: '2019', accessCode: platform.accessCode, userId: platform.userId, password: platform.password, keys: platform.keys });
    try {
      await link.connect();
      expect(await link.login()).toBe(0);
      const atMs = Math.floor(Date.now() / 1000) * 1000 - 5_000;
      link.sendFix('浙JL9001', 2, simulatedFixInput('2019', 1, 1, atMs));
      link.sendFix('浙JX0000', 2, simulatedFixInput('2019', 2, 1, atMs));
      // A heartbeat is answered once everything before it is on the durable bus.
      await link.heartbeat();
      const id = `jt809:v:V9001:${atMs}`;
      await expect
        .poll(async () => {
          for await (const e of stack!.store.readStream('vehicle-V9001')) if (e.event.eventId === id) return true;
          return false;
        }, { timeout: 20_000, interval: 200 })
        .toBe(true);
      const metrics = await stack!.registry.getSingleMetricAsString('dgt_jt809_refused_total');
      expect(metrics).toMatch(/reason="unknown-vehicle"[^\n]* 1\b/);
    } finally {
      await link.close();
    }
  }, 60_000);
});
