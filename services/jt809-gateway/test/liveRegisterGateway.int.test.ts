/**
 * The gateway over the live register: a vehicle registered after the gateway loaded its copy is
 * not refused — the frame waits for the register to settle (the heartbeat reply still follows it),
 * while a plate nobody registered is refused after the wait, as before.
 */
import { plateKey } from '@dgt/events';
import { LoginResult } from '@dgt/jt809';
import { createMemoryReadModelStore, type ReadModelStore } from '@dgt/readmodels';
import { afterEach, describe, expect, it } from 'vitest';
import { liveVehicleRegister, type LiveVehicleRegister, simulatedFixInput } from '../src/index.ts';
import { type Harness, startHarness } from './harness.ts';
import { T0, platformEntry } from './support.ts';

const credentials = { accessCode: 33010001, userId: 7001, password: 'pass1234', edition: '2019' as const };
const register = (store: ReadModelStore, vehicleId: string, plateNo: string, carrierId: string) =>
  store.commit({
    checkpoint: vehicleId,
    vehicles: [],
    violations: [],
    consignments: [],
    carriers: [],
    zones: [],
    withdrawnZoneIds: [],
    engineState: new Map(),
    registrations: [{ vehicleId, plateNo, plateKey: plateKey(plateNo) as string, periods: [{ carrierId, from: null, to: null }] }],
  });

let h: Harness | undefined;
let live: LiveVehicleRegister | undefined;
afterEach(async () => {
  live?.close();
  await h?.close();
  h = live = undefined;
});

describe('the gateway with a live register', () => {
  it('takes a fix of a vehicle registered after its copy was loaded (no timer needed), and refuses a plate still unknown', async () => {
    const store = createMemoryReadModelStore();
    await register(store, 'V1', '浙J·10001', 'C-A');
    // A refresh timer that never fires in this test: only the wait on an unknown plate can learn of V2.
    live = liveVehicleRegister(store, { refreshMs: 600_000, missReloadMinMs: 0 });
    await live.start();
    h = await startHarness([platformEntry()], [], {}, live);
    await register(store, 'V2', '浙J·10002', 'C-A');

    const p = h.platform(credentials);
    await p.connect();
    expect(await p.login()).toBe(LoginResult.ok);
    p.sendFix('浙J·10002', 2, simulatedFixInput('2019', 1, 0, T0));
    p.sendFix('浙J·10001', 2, simulatedFixInput('2019', 0, 0, T0));
    p.sendFix('浙A·99999', 2, simulatedFixInput('2019', 3, 0, T0));
    await p.heartbeat(); // answered once everything before it, the waited-for frames included, is on the bus
    await h.until(() => h!.published.length >= 2);
    expect(h.published.map((m) => (m.event.data as { vehicleId: string }).vehicleId).sort()).toEqual(['V1', 'V2']);
    expect(await h.metric('dgt_jt809_refused_total', { platform: 'carrier-a', reason: 'unknown-vehicle' })).toBe(1);
  });
});
