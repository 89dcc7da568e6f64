import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTerminalStateStore, simulatedTerminalEntry, type TerminalEntry, type TerminalStateStore } from '@dgt/jt808-gateway';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_TERMINAL_CODES_FILE, DemoTerminalCodes, resetStrandedTerminals } from '../src/demoTerminalCodes.ts';

/*
 * The gateway registers a terminal once and keeps only its code's hash: a simulated terminal
 * that lost its code (or whose record was edited) could never log in again. The demo keeps the
 * codes in its data directory and, before the gateway accepts terminals, resets the ones stranded.
 */

let dir: string;
let state: TerminalStateStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dgt-demo-codes-'));
  state = openTerminalStateStore({ path: join(dir, 'jt808-state.sqlite'), create: true });
});

afterEach(() => {
  state.close();
  rmSync(dir, { recursive: true, force: true });
});

const entry = (phone: string, plate: string, vehicleId: string): TerminalEntry => ({ ...simulatedTerminalEntry(phone, plate), vehicleId });

function registered(t: TerminalEntry): void {
  const result = state.register(
    { phone: t.phone, registrationId: `r-${t.phone}`, vehicleId: t.vehicleId!, plate: t.plate, plateColour: t.plateColour, manufacturerId: t.manufacturerId, terminalModel: t.terminalModel, terminalId: t.terminalId, codeSha256: '00', registeredAt: '2026-03-02T00:00:00.000Z' },
    { eventId: `jt808:${t.phone}:registered:r`, type: 'TerminalRegistered', key: `terminal:${t.phone}`, json: '{}' },
  );
  expect(result).toBe('registered');
}

describe('the demo\'s simulated terminal codes', () => {
  it('keeps each issued code in a 0600 file that a new start reads back', () => {
    const codes = new DemoTerminalCodes(dir);
    codes.keep('13900000001', 'code-a');
    const path = join(dir, DEMO_TERMINAL_CODES_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(new DemoTerminalCodes(dir).byPhone).toEqual(new Map([['13900000001', 'code-a']]));
  });

  it('starts without codes from a torn file instead of failing', () => {
    writeFileSync(join(dir, DEMO_TERMINAL_CODES_FILE), '{"codes":{"139');
    expect(new DemoTerminalCodes(dir).byPhone.size).toBe(0);
  });

  it('resets a registered terminal whose code it lost or whose record changed, and leaves one that can log in', () => {
    const kept = entry('13900000001', '浙J·10001', 'V1');
    const lost = entry('13900000002', '浙J·10002', 'V2');
    const edited = entry('13900000003', '浙J·10003', 'V3');
    const unregistered = entry('13900000004', '浙J·10004', 'V4');
    for (const t of [kept, lost, edited]) registered(t);
    const codes = new DemoTerminalCodes(dir);
    codes.keep(kept.phone, 'code-1');
    codes.keep(edited.phone, 'code-3');

    const reset = resetStrandedTerminals(state, [kept, lost, { ...edited, terminalId: 'REAL-A6' }, unregistered], codes, '2026-03-03T00:00:00.000Z');

    expect(reset).toEqual([lost.phone, edited.phone]);
    expect(state.registration(kept.phone)).toBeDefined();
    expect(state.registration(lost.phone)).toBeUndefined();
    expect(state.registration(edited.phone)).toBeUndefined();
    // The edited terminal's old code is useless now: it must register afresh.
    expect([...codes.byPhone.keys()]).toEqual([kept.phone]);
    const events = state.pendingEvents(10).filter((e) => e.type === 'TerminalRegistrationReset');
    expect(events.map((e) => e.key)).toEqual([`terminal:${lost.phone}`, `terminal:${edited.phone}`]);
    expect(JSON.parse(readFileSync(join(dir, DEMO_TERMINAL_CODES_FILE), 'utf8')).codes).toEqual({ [kept.phone]: 'code-1' });
  });
});
