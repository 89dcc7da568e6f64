/**
 * Registration spoofing, as tried from outside: a phone number is public (the vehicle registry
 * prints it), a terminal's identity and its issued code are not. Real TCP on loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GeneralAckResult, RegisterAckResult } from '@dgt/jt808';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SimulatedTerminal, TerminalIdentity } from '../src/index.ts';
import { openTerminalStateStore, resetTerminal, simulatedFix, simulatedTerminalEntry } from '../src/index.ts';
import type { Harness } from './support/gatewayHarness.ts';
import { T0, eventually, startHarness } from './support/gatewayHarness.ts';

const REAL = '013912344329';
const fix = (k: number) => simulatedFix(1, k, T0 + k * 1000);

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
const dir = mkdtempSync(join(tmpdir(), 'jt808-reg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An impostor on its own connection: right phone, body as given. */
async function impostorRegisters(overrides: Partial<TerminalIdentity>): Promise<{ t: SimulatedTerminal; result: number; authCode: string | undefined }> {
  const t = await h!.terminal(REAL, '2013');
  const reply = await t.register(overrides);
  return { t, result: reply.result, authCode: reply.authCode };
}

describe('registration must match the terminal record', () => {
  it.each([
    ['another terminal id', RegisterAckResult.noSuchTerminal, 'terminal-mismatch', { terminalId: '9999999' }],
    ['another terminal model', RegisterAckResult.noSuchTerminal, 'terminal-mismatch', { terminalModel: 'GO-JT808' }],
    ['another manufacturer', RegisterAckResult.noSuchTerminal, 'terminal-mismatch', { manufacturerId: 'EVIL' }],
    ['another plate', RegisterAckResult.noSuchVehicle, 'vehicle-mismatch', { plate: '浙J·99999' }],
    ['another plate colour', RegisterAckResult.noSuchVehicle, 'vehicle-mismatch', { plateColour: 1 }],
  ] as const)('refuses the right phone with %s: result %i (%s), no code handed out, connection closed', async (_what, result, reason, overrides) => {
    h = await startHarness();
    const { t, result: got, authCode } = await impostorRegisters(overrides);
    expect(got).toBe(result);
    expect(authCode).toBeUndefined();
    await t.closed;
    expect(await h.metric('dgt_jt808_refused_total', { reason })).toBe(1);
    await eventually(async () => (await h!.metric('dgt_jt808_connections_closed_total', { reason: 'register-refused' })) === 1);
    expect(h.state.registration('13912344329')).toBeUndefined();
    expect(h.state.pendingEventCount).toBe(0);
    expect(h.sentTo('consignments')).toHaveLength(0);
  });

  it('accepts the record\'s plate however it is spelled (浙J12345, 浙j 12345)', async () => {
    h = await startHarness();
    const a = await h.terminal(REAL);
    expect((await a.register({ plate: '浙J12345' })).result).toBe(RegisterAckResult.ok);
    const b = await h.terminal('013900000001');
    expect((await b.register({ plate: '浙j D0001' })).result).toBe(RegisterAckResult.ok);
  });

  it('a spoofed fix cannot be published under the real plate: without the issued code, reports are refused and a guess closes the connection', async () => {
    h = await startHarness();
    const real = await h.loggedIn(REAL);
    const spoof = await h.terminal(REAL);
    expect((await spoof.report(fix(1))).result).toBe(GeneralAckResult.failure);
    expect((await spoof.authenticate('0123456789abcdefghijkl')).result).toBe(GeneralAckResult.failure);
    await spoof.closed;
    expect(h.sentTo('positions')).toHaveLength(0);
    // The real terminal was not replaced and keeps publishing.
    expect(real.isClosed).toBe(false);
    expect((await real.report(fix(2))).result).toBe(GeneralAckResult.success);
    expect(await h.metric('dgt_jt808_connections_closed_total', { reason: 'replaced' })).toBe(0);
  });
});

describe('one registration per terminal', () => {
  it('refuses a second registration without a reset (result 3, no code), and the registered terminal\'s connection and code are untouched', async () => {
    h = await startHarness();
    const real = await h.loggedIn(REAL);
    const before = h.state.registration('13912344329');
    // The impostor knows everything the body carries.
    const { t, result, authCode } = await impostorRegisters({});
    expect(result).toBe(RegisterAckResult.terminalAlreadyRegistered);
    expect(authCode).toBeUndefined();
    await t.closed;
    expect(h.state.registration('13912344329')).toEqual(before);
    expect(real.isClosed).toBe(false);
    expect((await real.report(fix(3))).result).toBe(GeneralAckResult.success);
    expect(await h.metric('dgt_jt808_refused_total', { reason: 'terminal-already-registered' })).toBe(1);
    expect(await h.metric('dgt_jt808_connections_closed_total', { reason: 'replaced' })).toBe(0);
    // A fresh connection with the real code still authenticates (and replaces the old one).
    const again = await h.terminal(REAL, '2019', { authCode: real.authCode! });
    await again.login();
    await real.closed;
  });

  it('after a reset by another process the old code no longer authenticates, its live connection is closed, and the terminal registers afresh', async () => {
    h = await startHarness();
    const real = await h.loggedIn(REAL);
    const oldCode = real.authCode!;
    // `dgt terminals reset` is another process with its own connection to the file.
    const cli = openTerminalStateStore({ path: h.statePath, create: false });
    expect(resetTerminal(cli, { phone: REAL, by: 'ops-on-duty', reason: 'terminal replaced', atIso: new Date(h.now).toISOString() })?.phone).toBe('13912344329');
    cli.close();
    await real.closed;
    await eventually(async () => (await h!.metric('dgt_jt808_connections_closed_total', { reason: 'reset' })) === 1);
    await eventually(() => h!.sentTo('consignments').some((m) => m.headers?.['dgt-event-type'] === 'TerminalRegistrationReset'));
    const stale = await h.terminal(REAL, '2013', { authCode: oldCode });
    await expect(stale.login()).rejects.toMatchObject({ code: 'REFUSED' });
    const fresh = await h.terminal(REAL);
    const code = await fresh.login();
    expect(code).not.toBe(oldCode);
    expect((await fresh.report(fix(4))).result).toBe(GeneralAckResult.success);
    expect(h.sentTo('consignments').map((m) => m.headers?.['dgt-event-type'])).toEqual(['TerminalRegistered', 'TerminalRegistrationReset', 'TerminalRegistered']);
  });

  it('answers result 1 while the vehicle is still registered by another phone, and refuses a code registered under an older record', async () => {
    const statePath = join(dir, 'moved.sqlite');
    const old = simulatedTerminalEntry('013900000007', '浙J·M0007');
    h = await startHarness({}, { statePath, terminals: [old] });
    const before = await h.loggedIn(old.phone);
    const code = before.authCode!;
    await h.close();
    // The operator moved the vehicle to a new terminal (new phone) and gave the old phone another vehicle.
    const moved = simulatedTerminalEntry('013900000008', '浙J·M0007');
    h = await startHarness({}, { statePath, terminals: [moved, { ...old, plate: '浙J·M0009' }] });
    const t = await h.terminal(moved.phone);
    expect((await t.register()).result).toBe(RegisterAckResult.vehicleAlreadyRegistered);
    const stale = await h.terminal(old.phone, '2013', { authCode: code });
    await expect(stale.login()).rejects.toMatchObject({ code: 'REFUSED' });
    expect(await h.metric('dgt_jt808_refused_total', { reason: 'record-changed' })).toBe(1);
  });
});
