import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StateStoreError, openTerminalStateStore } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'jt808-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const registration = (phone: string, vehicleId: string) => ({
  phone,
  registrationId: `r-${phone}`,
  vehicleId,
  plate: vehicleId,
  plateColour: 2,
  manufacturerId: 'M',
  terminalModel: 'X',
  terminalId: 'T',
  codeSha256: '00'.repeat(32),
  registeredAt: '2025-03-01T00:00:00.000Z',
});
const event = (id: string) => ({ eventId: id, type: 'TerminalRegistered', key: `terminal:${id}`, json: '{}' });

describe('terminal state store', () => {
  it('creates the file and its -wal and -shm owner-only (0600)', () => {
    const path = join(dir, 'modes', 'state.sqlite');
    const store = openTerminalStateStore({ path, create: true });
    store.register(registration('1', 'V1'), event('e1'));
    for (const f of [path, `${path}-wal`, `${path}-shm`]) expect(statSync(f).mode & 0o777).toBe(0o600);
    store.close();
  });

  it('refuses a second registration of a phone or of a vehicle, writing nothing', () => {
    const store = openTerminalStateStore({ path: join(dir, 'twice.sqlite'), create: true });
    expect(store.register(registration('1', 'V1'), event('e1'))).toBe('registered');
    expect(store.register(registration('1', 'V2'), event('e2'))).toBe('terminal-already-registered');
    expect(store.register(registration('2', 'V1'), event('e3'))).toBe('vehicle-already-registered');
    expect(store.pendingEvents(10).map((e) => e.eventId)).toEqual(['e1']);
    store.close();
  });

  it('keeps events until they are marked published, in order', () => {
    const store = openTerminalStateStore({ path: join(dir, 'outbox.sqlite'), create: true });
    store.register(registration('1', 'V1'), event('e1'));
    store.register(registration('2', 'V2'), event('e2'));
    const [a, b] = store.pendingEvents(10);
    store.markPublished([a!.seq]);
    expect(store.pendingEvents(10)).toEqual([b]);
    expect(store.pendingEventCount).toBe(1);
    store.close();
  });

  it('notices commits made by another connection to the file (dgt terminals in another process)', () => {
    const path = join(dir, 'shared.sqlite');
    const gateway = openTerminalStateStore({ path, create: true });
    gateway.register(registration('1', 'V1'), event('e1'));
    expect(gateway.changedElsewhere()).toBe(false); // its own commit
    const cli = openTerminalStateStore({ path, create: false });
    expect(cli.reset('1', { ...event('r1'), type: 'TerminalRegistrationReset' })?.vehicleId).toBe('V1');
    expect(cli.reset('1', { ...event('r2'), type: 'TerminalRegistrationReset' })).toBeUndefined();
    cli.close();
    expect(gateway.changedElsewhere()).toBe(true);
    expect(gateway.changedElsewhere()).toBe(false);
    expect(gateway.registration('1')).toBeUndefined();
    gateway.close();
  });

  it('opens only an existing file when told not to create one', () => {
    expect(() => openTerminalStateStore({ path: join(dir, 'absent.sqlite'), create: false })).toThrow(StateStoreError);
  });
});
