import { describe, expect, it } from 'vitest';
import { isSetAsideEvent, isVehicleCodeEvent, parseEvent, safeParseEvent } from '../src/index.ts';

const revoked = (data: Record<string, unknown>) => ({
  eventId: 'vr-1',
  type: 'VehicleCodeRevoked',
  occurredAt: '2026-03-02T08:00:00+08:00',
  data,
});
const pathsOf = (r: ReturnType<typeof safeParseEvent>) =>
  r.ok ? [] : r.error.issues.map((i) => i.path);

describe('VehicleCodeRevoked (一企一品一码 on the truck)', () => {
  it('needs the vehicle and a reason', () => {
    expect(parseEvent(revoked({ vehicleId: 'V0022', reason: '标签被复制' })).type).toBe(
      'VehicleCodeRevoked',
    );
    expect(pathsOf(safeParseEvent(revoked({ vehicleId: 'V0022', reason: '' })))).toEqual([
      'data.reason',
    ]);
    expect(pathsOf(safeParseEvent(revoked({ reason: '标签遗失' })))).toEqual(['data.vehicleId']);
  });

  it('is set aside by the rules and the projection, like the product register', () => {
    const event = parseEvent(revoked({ vehicleId: 'V0022', reason: '标签遗失' }));
    expect(isSetAsideEvent(event)).toBe(true);
    expect(isVehicleCodeEvent(event)).toBe(true);
  });
});
