/**
 * `dgt terminals` as an operator runs it: the real executable, against the gateway's state file,
 * with and without a gateway running. Real TCP on loopback for the terminals.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GeneralAckResult, RegisterAckResult } from '@dgt/jt808';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { hashAuthCode, openTerminalStateStore, simulatedFix } from '../src/index.ts';
import type { Harness } from './support/gatewayHarness.ts';
import { T0, eventually, startHarness } from './support/gatewayHarness.ts';

const dgt = fileURLToPath(new URL('../../cli/bin/dgt.mjs', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'jt808-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [dgt, ...args], { cwd: root }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

const PHONE = '013912344329';

describe('dgt terminals', () => {
  it('resets a registration while the gateway is stopped: exit codes, the event waits in the outbox, then a fresh registration works and the old code does not', { timeout: 120_000 }, async () => {
    const statePath = join(dir, 'stopped.sqlite');
    h = await startHarness({}, { statePath });
    const first = await h.loggedIn(PHONE);
    const oldCode = first.authCode!;
    await h.close();
    h = undefined;

    expect((await run(['terminals', 'reset', PHONE, '--state', statePath])).code).toBe(2); // no --by
    expect((await run(['terminals', 'reset', PHONE, '--by', 'ops'])).code).toBe(2); // no --state
    const missing = await run(['terminals', 'list', '--state', join(dir, 'no-such.sqlite')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no JT\/T 808 gateway state at/);

    const list = await run(['terminals', 'list', '--state', statePath, '--json']);
    expect(list.code, list.stderr).toBe(0);
    const rows = list.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toEqual([expect.objectContaining({ phone: '13912344329', vehicleId: '浙J·12345', plate: '浙J·12345', plateColour: 2, terminalId: '2344329' })]);
    expect(list.stdout).not.toContain(hashAuthCode(oldCode));
    expect(list.stdout).not.toContain(oldCode);

    const reset = await run(['terminals', 'reset', PHONE, '--state', statePath, '--by', 'ops-on-duty', '--reason', 'terminal replaced']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toMatch(/reset terminal 13912344329 \(vehicle 浙J·12345/);
    // Nothing left to reset.
    const again = await run(['terminals', 'reset', PHONE, '--state', statePath, '--by', 'ops-on-duty']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is not registered: nothing to reset/);

    // The event is in the outbox, recorded in the same transaction as the reset, no bus needed.
    const store = openTerminalStateStore({ path: statePath, create: false });
    const waiting = store.pendingEvents(10);
    store.close();
    expect(waiting.map((e) => [e.type, e.key])).toEqual([['TerminalRegistrationReset', 'terminal:13912344329']]);
    expect(JSON.parse(waiting[0]!.json)).toMatchObject({ type: 'TerminalRegistrationReset', data: { phone: '13912344329', by: 'ops-on-duty', reason: 'terminal replaced' } });

    // The gateway starts again: it publishes the reset, refuses the old code, registers afresh.
    h = await startHarness({}, { statePath });
    await eventually(() => h!.sentTo('consignments').some((m) => m.headers?.['dgt-event-type'] === 'TerminalRegistrationReset'));
    const stale = await h.terminal(PHONE, '2013', { authCode: oldCode });
    expect((await stale.authenticate(oldCode)).result).toBe(GeneralAckResult.failure);
    const fresh = await h.terminal(PHONE);
    expect((await fresh.register()).result).toBe(RegisterAckResult.ok);
    expect((await fresh.authenticate(fresh.authCode!)).result).toBe(GeneralAckResult.success);
    expect((await fresh.report(simulatedFix(1, 1, T0 + 1000))).result).toBe(GeneralAckResult.success);
  });

  it('resets a registration while the gateway runs: the connection using the old code is closed', async () => {
    const statePath = join(dir, 'running.sqlite');
    h = await startHarness({}, { statePath });
    const t = await h.loggedIn(PHONE);
    const reset = await run(['terminals', 'reset', '13912344329', '--state', statePath, '--by', 'ops-on-duty']);
    expect(reset.code, reset.stderr).toBe(0);
    await t.closed;
    await eventually(async () => (await h!.metric('dgt_jt808_connections_closed_total', { reason: 'reset' })) === 1);
    await eventually(() => h!.sentTo('consignments').map((m) => m.headers?.['dgt-event-type']).join() === 'TerminalRegistered,TerminalRegistrationReset');
  });

  it('is listed in dgt --help', async () => {
    const help = await run(['--help']);
    expect(help.stdout).toMatch(/^ {2}terminals +JT\/T 808 terminal registrations/m);
  });
});
