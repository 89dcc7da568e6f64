import { describe, expect, it } from 'vitest';
import { parseEvent, plateKey, safeParseEvent } from '../src/index.ts';

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

describe('plates: one plate however it is written', () => {
  it('gives 浙J·56613, 浙J56613, 浙J 56613 and 浙j-56613 one key', () => {
    const keys = ['浙J·56613', '浙J56613', '浙J 56613', '浙j-56613', ' 浙J•56613 '].map(plateKey);
    expect(new Set(keys)).toEqual(new Set(['浙J·56613']));
  });

  it('keeps new-energy and semi-trailer plates apart from their neighbours', () => {
    expect(plateKey('浙JD12345')).toBe('浙J·D12345');
    expect(plateKey('浙J1234挂')).toBe('浙J·1234挂');
    expect(plateKey('浙J·1234')).toBeNull();
    expect(plateKey('J12345')).toBeNull();
  });

  it('accepts every spelling plateKey accepts as a registered plate', () => {
    for (const p of ['浙J 56613', '浙j56613', '浙J-1234挂']) expect(parseEvent(vehicle(p)).type).toBe('VehicleRegistered');
  });
});

describe('transfers and terminals', () => {
  it('parses a transfer with its effective time and refuses one without', () => {
    const transfer = { eventId: 't-1', type: 'VehicleTransferred', occurredAt: '2026-03-01T08:00:00+08:00', data: { vehicleId: 'V1', fromCarrierId: 'C2', toCarrierId: 'C1', effectiveAt: '2026-03-01T00:00:00+08:00' } };
    expect(parseEvent(transfer).type).toBe('VehicleTransferred');
    const r = safeParseEvent({ ...transfer, data: { ...transfer.data, effectiveAt: undefined } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.issues[0]?.path).toBe('data.effectiveAt');
  });

  it('records a terminal registration without any auth code field being required', () => {
    const e = parseEvent({ eventId: 'tr-1', type: 'TerminalRegistered', occurredAt: '2026-03-01T08:00:00+08:00', data: { phone: '13912344329', vehicleId: 'V1', plateNo: '浙J·12345', plateColour: 2, manufacturerId: '70111', terminalModel: 'BSJ-A6', terminalId: '7654321' } });
    expect(e.type).toBe('TerminalRegistered');
  });
});
