import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulate } from '@dgt/simulator';
import { afterAll, describe, expect, it } from 'vitest';
import { DemoTerminalCodes } from '../src/demoTerminalCodes.ts';
import { loadOrCreateDemoTerminals } from '../src/demoTerminals.ts';
import { demoJt808Delivery, jt808Vehicles } from '../src/jt808Demo.ts';
import { consoleLogger, firstRun, loadOrCreateDemoKeys, loadSeeds, runDemoSimulation, startStack, waitForSeedsProjected, type Stack } from '../src/index.ts';
import { seedVehicleRegister } from '../src/seedRegister.ts';

/*
 * Issue 18, item 5: in `npm start` a share of the simulated vehicles report as BeiDou terminals
 * over real JT/T 808 TCP — register, authenticate, 0x0200 — through the gateway hosted on the
 * stack's durable bus. Every fix the simulator meant for them must be in the event store exactly
 * once, under the gateway's ids and with the simulated position, and none of them over HTTP.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'dgt-stack-jt808-'));
let stack: Stack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const DAY_MS = 86_400_000;
const VEHICLES = 4;

interface StoredPosition {
  readonly lat: number;
  readonly lon: number;
  readonly speedKmh: number;
  readonly headingDeg?: number;
}

describe('simulated JT/T 808 terminals in the stack', () => {
  const keys = loadOrCreateDemoKeys(dataDir, ['C001']);
  const terminals = loadOrCreateDemoTerminals(dataDir, seedVehicleRegister());
  const driven = jt808Vehicles(['V0001', 'V0002', 'V0003', 'V0004'], new Set(), terminals.entries, 0.5);
  // A wall clock standing still shortly after midnight (China time): the run covers the day before
  // from 07:00 until then at 10,000× (a few seconds), then waits — a bounded, known set of messages.
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const nowMs = Date.parse(`${today}T00:10:00.500+08:00`) - DAY_MS;

  it('derives one terminal record per seeded vehicle, with the phone the seeds register, into terminals.json', () => {
    const register = seedVehicleRegister();
    expect(terminals.created).toBe(true);
    expect(terminals.entries).toHaveLength(register.length);
    expect(terminals.entries[0]).toEqual({ phone: register[0]!.terminalPhone, plate: register[0]!.plateNo, plateColour: 2, manufacturerId: 'DGTSM', terminalModel: 'DGT-SIM-808', terminalId: register[0]!.terminalPhone!.slice(-7), vehicleId: 'V0001' });
    expect(JSON.parse(readFileSync(terminals.path, 'utf8'))).toEqual(terminals.entries);
    expect(driven.map((t) => t.vehicleId)).toEqual(['V0001', 'V0003']);
  });

  it('delivers the driven vehicles\' simulated fixes through the JT/T 808 gateway, each stored once with its simulated position, none over HTTP', async () => {
    stack = await startStack({
      dataDir, apiPort: 0, ingestPort: 0, apiKeys: keys.entries, logLevel: 'silent', defaultMetrics: false,
      jt808: { port: 0, terminals: terminals.entries, statePath: join(dataDir, 'jt808-state.sqlite') },
    });
    const seeds = await loadSeeds(stack.ingestUrl, keys.keyFor('registry'));
    await waitForSeedsProjected(stack.readModels, seeds);

    const codes = new DemoTerminalCodes(dataDir);
    const delivery = demoJt808Delivery(stack.jt808!, driven, codes);
    const phoneOf = new Map(driven.map((t) => [t.vehicleId!, t.phone]));
    const abort = new AbortController();
    const running = runDemoSimulation({ ingestUrl: stack.ingestUrl, ingestKey: keys.keyFor('ingest'), dataDir, speed: 10_000, vehicles: VEHICLES, signal: abort.signal, log: consoleLogger('sim', 'silent'), now: () => nowMs, jt808: delivery });

    const run = firstRun(nowMs, 2);
    const sim = simulate({ seed: run.seed, vehicles: VEHICLES, days: run.days, start: run.start, includeSeeds: false });
    const expected = new Map<string, StoredPosition>();
    for (const m of sim.messages) {
      if (m.arrivalMs - nowMs >= 20) continue;
      if (m.kind !== 'event' || m.event.type !== 'VehiclePositionReported') continue;
      const phone = phoneOf.get(m.event.data.vehicleId);
      if (phone === undefined) continue;
      const { lat, lon, speedKmh, headingDeg } = m.event.data;
      expected.set(`jt808:${phone}:${Date.parse(m.event.occurredAt)}`, { lat, lon, speedKmh, ...(headingDeg === undefined ? {} : { headingDeg }) });
    }
    expect(expected.size).toBeGreaterThan(300);

    const stored = async (): Promise<{ jt808: Map<string, StoredPosition>; httpOfDriven: number; registered: string[] }> => {
      const jt808 = new Map<string, StoredPosition>();
      let httpOfDriven = 0;
      const registered: string[] = [];
      for await (const e of stack!.store.readAll()) {
        const ev = e.event;
        if (ev.type === 'TerminalRegistered') registered.push((ev.data as { phone: string }).phone);
        if (ev.type !== 'VehiclePositionReported') continue;
        const { vehicleId, lat, lon, speedKmh, headingDeg } = ev.data as unknown as StoredPosition & { vehicleId: string };
        if (ev.eventId.startsWith('jt808:')) jt808.set(ev.eventId, { lat, lon, speedKmh, ...(headingDeg === undefined ? {} : { headingDeg }) });
        else if (phoneOf.has(vehicleId)) httpOfDriven++;
      }
      return { jt808, httpOfDriven, registered };
    };
    let seen = await stored();
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline && [...expected.keys()].some((id) => !seen.jt808.has(id))) {
      await new Promise((r) => setTimeout(r, 500));
      seen = await stored();
    }
    abort.abort();
    const result = await running;
    await new Promise((r) => setTimeout(r, 1_000));
    seen = await stored();

    expect([...expected.keys()].filter((id) => !seen.jt808.has(id))).toEqual([]);
    expect([...seen.jt808.keys()].filter((id) => !expected.has(id))).toEqual([]);
    for (const [id, position] of expected) expect(seen.jt808.get(id), id).toEqual(position);
    expect(seen.httpOfDriven).toBe(0);

    // Each terminal registered once (0x8100 with a code, kept in the data directory) and authenticated.
    const t = result.jt808!;
    expect(t).toMatchObject({ terminals: 2, registrations: 2, authentications: 2, loginRefusals: 0, fixesRefused: 0 });
    expect(t.fixesAcknowledged).toBe(t.fixesSent);
    expect([...new DemoTerminalCodes(dataDir).byPhone.keys()].sort()).toEqual([...phoneOf.values()].sort());
    expect(seen.registered.sort()).toEqual([...phoneOf.values()].sort());
    expect(await stack.registry.getSingleMetricAsString('dgt_jt808_registrations_total')).toMatch(/^dgt_jt808_registrations_total 2$/m);
    expect(existsSync(join(dataDir, 'jt808-state.sqlite'))).toBe(true);
  }, 60_000);

  it('a restarted simulation authenticates with the codes its terminals kept, registering nothing', async () => {
    const codes = new DemoTerminalCodes(dataDir);
    const delivery = demoJt808Delivery(stack!.jt808!, driven, codes);
    const abort = new AbortController();
    const running = runDemoSimulation({ ingestUrl: stack!.ingestUrl, ingestKey: keys.keyFor('ingest'), dataDir, speed: 10_000, vehicles: VEHICLES, signal: abort.signal, log: consoleLogger('sim', 'silent'), now: () => nowMs, jt808: delivery });
    await new Promise((r) => setTimeout(r, 1_500));
    abort.abort();
    const result = await running;

    expect(result.jt808).toMatchObject({ registrations: 0, authentications: 2, loginRefusals: 0 });
    expect(await stack!.registry.getSingleMetricAsString('dgt_jt808_registrations_total')).toMatch(/^dgt_jt808_registrations_total 2$/m);
  }, 30_000);
});
