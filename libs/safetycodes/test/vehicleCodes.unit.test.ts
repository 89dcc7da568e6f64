import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  codeStatus,
  foldVehicleCode,
  keyring,
  mintCode,
  readCode,
  type VehicleCodeRevocation,
} from '../src/index.ts';

/* A vehicle's code is revoked by VehicleCodeRevoked: its generation is the revocations so far plus one. */

const revoked = (vehicleId: string, occurredAt: string): VehicleCodeRevocation => ({
  type: 'VehicleCodeRevoked',
  occurredAt,
  data: { vehicleId, reason: '标签被复制' },
});
const keys = keyring(
  1,
  new Map([
    [
      1,
      (m: Uint8Array) =>
        new Uint8Array(
          createHmac('sha256', 'k1-0123456789abcdef0123456789abcdef').update(m).digest(),
        ),
    ],
  ]),
);

describe('a vehicle’s code generation', () => {
  it('is 1 for a vehicle whose code was never revoked', () => {
    expect(foldVehicleCode('V0022', [])).toEqual({ generation: 1, lastRevokedAt: null });
  });

  it('moves on at each revocation: the earlier codes read revoked, the new one valid, a later one unknown', () => {
    const entry = foldVehicleCode('V0022', [
      revoked('V0022', '2026-03-02T08:00:00+08:00'),
      revoked('V0022', '2026-04-01T09:30:00+08:00'),
    ]);
    expect(entry).toEqual({ generation: 3, lastRevokedAt: '2026-04-01T09:30:00+08:00' });
    expect(codeStatus(1, entry.generation)).toBe('revoked');
    expect(codeStatus(2, entry.generation)).toBe('revoked');
    expect(codeStatus(3, entry.generation)).toBe('valid');
    expect(codeStatus(4, entry.generation)).toBe('unknown');
  });

  it('does not count another vehicle’s revocation filed beside it', () => {
    expect(
      foldVehicleCode('V0022', [
        revoked('V0023', '2026-03-02T08:00:00+08:00'),
        revoked('V0022', '2026-03-03T08:00:00+08:00'),
      ]).generation,
    ).toBe(2);
  });

  it('mints a different code for the next generation, each read back with its own generation', () => {
    const first = mintCode({ kind: 'vehicle', vehicleId: 'V0022', generation: 1 }, keys);
    const second = mintCode({ kind: 'vehicle', vehicleId: 'V0022', generation: 2 }, keys);
    expect(second).not.toBe(first);
    expect(readCode(first, keys)).toMatchObject({ ok: true, subject: { generation: 1 } });
    expect(readCode(second, keys)).toMatchObject({ ok: true, subject: { generation: 2 } });
  });
});
