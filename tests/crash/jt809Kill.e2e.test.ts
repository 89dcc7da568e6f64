import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlatformDelivery, positionEventId, simulatedFixInput } from '@dgt/jt809-gateway';
import { buildFleet } from '@dgt/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { freePortPair, startStackProcess, untilBanner, type StackProcess } from './support/stackProcess.ts';
import { storedIdCounts } from './support/storedIds.ts';

/*
 * Issue 20, item 3: the JT/T 809 gateway in `npm start` keeps the embedded path's guarantee. A
 * platform delivers fixes (heartbeat answered = acknowledged); the real process is SIGKILLed twice
 * while fixes are in flight and restarted on the same data directory and ports; the platform logs
 * in again, re-sends and back-fills. Every fix it saw acknowledged must be in the store exactly once.
 */

let dataDir: string | undefined;
let stack: StackProcess | undefined;
afterEach(() => {
  if (stack !== undefined && stack.child.exitCode === null) stack.child.kill('SIGKILL');
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  dataDir = stack = undefined;
});

describe('npm start with its JT/T 809 gateway killed under a platform\'s load', () => {
  it('records every fix the platform saw acknowledged exactly once after two SIGKILLs and restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dgt-crash-jt809-'));
    dataDir = dir;
    const port = await freePortPair();
    const jt809Port = await freePortPair();
    const args = ['--no-sim', '--data', dir, '--port', String(port), '--jt809-port', String(jt809Port), '--jt808-port', 'off', '--log-level', 'warn'];
    stack = startStackProcess(args, {});
    await untilBanner(stack, 60_000);
    const account = JSON.parse(readFileSync(join(dir, 'demo-jt809-platform.json'), 'utf8')) as { accessCode: number; userId: number; password: string; keys: { m1: number; ia1: number; ic1: number } };
    // The demo platform speaks for the second carrier of the default fleet's first vehicles (C002).
    const vehicles = buildFleet().vehicles.filter((v) => v.carrierId === 'C002').slice(0, 15);
    const delivery = new PlatformDelivery({ host: '127.0.0.1', port: jt809Port, edition: '2019', accessCode: account.accessCode, userId: account.userId, password: account.password, keys: account.keys, reconnectDelayMs: 200 });
    await delivery.start();

    const acked = new Set<string>();
    let notYet: string[] = [];
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    let k = 0;
    /** One fix per vehicle, a second later than the last; then a heartbeat. Acknowledged = nothing left unacknowledged. */
    const round = async (): Promise<void> => {
      vehicles.forEach((v, i) => {
        const timeMs = t0 + k * 1000;
        delivery.send({ plate: v.plateNo.replace('·', ''), plateColour: 2 }, simulatedFixInput('2019', i, k, timeMs));
        notYet.push(positionEventId(v.vehicleId, timeMs));
      });
      k++;
      await delivery.acknowledge();
      if (delivery.unacknowledged === 0) {
        for (const id of notYet) acked.add(id);
        notYet = [];
      }
    };

    for (let kill = 1; kill <= 2; kill++) {
      const target = acked.size + 1_500;
      while (acked.size < target) await round();
      // Killed with a round on the wire: sent, not yet acknowledged.
      vehicles.forEach((v, i) => delivery.send({ plate: v.plateNo.replace('·', ''), plateColour: 2 }, simulatedFixInput('2019', i, k, t0 + k * 1000)));
      vehicles.forEach((v) => notYet.push(positionEventId(v.vehicleId, t0 + k * 1000)));
      k++;
      stack.child.kill('SIGKILL');
      expect((await stack.exited).signal).toBe('SIGKILL');
      // Fixes while the gateway is down are held, then back-filled.
      for (let r = 0; r < 5; r++) await round();
      stack = startStackProcess(args, {});
      await untilBanner(stack, 60_000);
      await delivery.restored();
    }
    while (delivery.unacknowledged > 0 || notYet.length > 0) await round();
    await delivery.close();
    expect(delivery.stats.linkLosses).toBeGreaterThanOrEqual(2);
    expect(delivery.stats.fixesBackfilled).toBeGreaterThan(0);

    const deadline = Date.now() + 60_000;
    let stored = storedIdCounts(dir, 'jt809:');
    while (![...acked].every((id) => stored.has(id)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      stored = storedIdCounts(dir, 'jt809:');
    }
    stack.child.kill('SIGINT');
    expect((await stack.exited).code).toBe(0);
    stored = storedIdCounts(dir, 'jt809:');
    expect([...acked].filter((id) => !stored.has(id))).toEqual([]);
    expect([...stored.values()].filter((n) => n !== 1)).toEqual([]);
    console.log(`[jt809 crash] acknowledged ${acked.size}, stored ${stored.size}, back-filled ${delivery.stats.fixesBackfilled}, re-sent ${delivery.stats.fixesResent}, logins ${delivery.stats.logins}`);
  }, 170_000);
});
