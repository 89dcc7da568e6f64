/** The simulated fleet behaves like real terminals: it registers once and keeps its codes. */
import { afterEach, describe, expect, it } from 'vitest';
import { runTerminalFleet } from '../src/index.ts';
import type { Harness } from './support/gatewayHarness.ts';
import { T0, knownTerminals, startHarness } from './support/gatewayHarness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('simulated terminal fleet', () => {
  it('registers each terminal once, keeps the issued codes, and authenticates with them when it reconnects', async () => {
    h = await startHarness();
    const fleet = knownTerminals.slice(0, 3).map((t, i) => ({ phone: t.phone, flavour: i === 1 ? ('2019' as const) : ('2013' as const), plate: t.plate }));
    const authCodes = new Map<string, string>();
    const run = () => runTerminalFleet({ host: '127.0.0.1', port: h!.port, terminals: fleet, durationMs: 300, reportIntervalMs: 100, firstFixMs: T0, authCodes });
    const first = await run();
    expect([first.connected, first.connectFailures, first.failedAcks]).toEqual([3, 0, 0]);
    expect(authCodes.size).toBe(3);
    const codes = new Map(authCodes);
    // Reconnect (a second run is a fresh set of connections): no registration this time.
    const second = await run();
    expect([second.connected, second.connectFailures, second.failedAcks]).toEqual([3, 0, 0]);
    expect(authCodes).toEqual(codes);
    expect(await h.metric('dgt_jt808_frames_total', { msg_id: '0x0100' })).toBe(3);
    expect(await h.metric('dgt_jt808_frames_total', { msg_id: '0x0102' })).toBe(6);
    expect(await h.metric('dgt_jt808_registrations_total')).toBe(3);
  });
});
