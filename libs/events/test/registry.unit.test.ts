import { describe, expect, it } from 'vitest';
import { parseEvent, safeParseEvent } from '../src/index.ts';

const vehicle = (plateNo: string) => ({
  eventId: 'reg-1',
  type: 'VehicleRegistered',
  occurredAt: '2026-03-01T08:00:00+08:00',
  data: { vehicleId: 'V1', carrierId: 'C1', plateNo },
});

describe('carrier and vehicle register', () => {
  it('accepts a Taizhou plate with or without the middle dot', () => {
    expect(parseEvent(vehicle('浙J·12345')).type).toBe('VehicleRegistered');
    expect(parseEvent(vehicle('浙JD12345')).type).toBe('VehicleRegistered');
  });

  it('refuses a plate without a province character, naming data.plateNo', () => {
    const r = safeParseEvent(vehicle('J12345'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.issues.map((i) => i.path)).toEqual(['data.plateNo']);
  });

  it('requires a carrier name', () => {
    const r = safeParseEvent({ eventId: 'c', type: 'CarrierRegistered', occurredAt: '2026-03-01T08:00:00Z', data: { carrierId: 'C1', name: '' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.issues[0]?.path).toBe('data.name');
  });
});
