import type { RegisterMessage } from '@dgt/jt808';
import { describe, expect, it } from 'vitest';
import type { TerminalEntry } from '../src/index.ts';
import { TerminalRecordError, authCodeMatches, createTerminalRecords, hashAuthCode, issueAuthCode, matchRegistration, normalizePhone } from '../src/index.ts';

const entry: TerminalEntry = { phone: '013912344329', plate: '浙J·12345', plateColour: 2, manufacturerId: '70111', terminalModel: 'BSJ-A6', terminalId: 'A123456' };
const body = (over: Partial<RegisterMessage> = {}): RegisterMessage => ({
  type: 'register',
  provinceId: 33,
  cityId: 1001,
  manufacturerId: '70111',
  terminalModel: 'BSJ-A6',
  terminalId: 'A123456',
  plateColor: 2,
  plate: '浙J12345',
  ...over,
});

describe('terminal records', () => {
  it('treats 2013 and 2019 header phones of one terminal as the same terminal', () => {
    const r = createTerminalRecords([entry]);
    expect(normalizePhone('00000000013912344329')).toBe('13912344329');
    expect(r.lookup('00000000013912344329')?.vehicleId).toBe('浙J·12345');
    expect(r.lookup('013912344329')?.phone).toBe('13912344329');
    expect(r.lookup('013912344320')).toBeUndefined();
  });

  it('publishes under the configured vehicleId, else the plate as written', () => {
    expect(createTerminalRecords([{ ...entry, vehicleId: 'V0022' }]).lookup('13912344329')?.vehicleId).toBe('V0022');
  });

  it('refuses configurations it cannot serve, by code', () => {
    const err = (entries: TerminalEntry[]) => {
      try {
        createTerminalRecords(entries);
      } catch (e) {
        return e instanceof TerminalRecordError ? e.code : 'other';
      }
      return 'none';
    };
    expect(err([{ ...entry, phone: '139x' }])).toBe('BAD_PHONE');
    expect(err([entry, { ...entry, phone: '13912344329', plate: '浙J·54321' }])).toBe('DUPLICATE_PHONE');
    expect(err([{ ...entry, plate: 'SIM' }])).toBe('BAD_PLATE');
    // One plate spelled two ways is one vehicle.
    expect(err([entry, { ...entry, phone: '13900000001', plate: '浙J 12345' }])).toBe('DUPLICATE_VEHICLE');
    expect(err([{ ...entry, vehicleId: 'V1' }, { ...entry, phone: '13900000001', plate: '浙J·54321', vehicleId: 'V1' }])).toBe('DUPLICATE_VEHICLE');
    expect(err([{ ...entry, authCode: 'fixed' } as TerminalEntry])).toBe('LEGACY_AUTH_CODE');
    // A VIN stands in for the plate with colour 0.
    expect(err([{ ...entry, plateColour: 0, plate: 'LSVAU2180N2183294' }])).toBe('none');
  });
});

describe('matchRegistration', () => {
  const record = createTerminalRecords([entry]).lookup('13912344329')!;

  it('matches a body stating the record, with the plate in any spelling and fields padded', () => {
    expect(matchRegistration(record, body())).toBe('match');
    expect(matchRegistration(record, body({ plate: '浙j·12345', terminalModel: 'BSJ-A6  ' }))).toBe('match');
  });

  it('reports another terminal identity before another vehicle', () => {
    expect(matchRegistration(record, body({ terminalId: 'A123457' }))).toBe('terminal-mismatch');
    expect(matchRegistration(record, body({ manufacturerId: '70112', plate: '浙J·99999' }))).toBe('terminal-mismatch');
    expect(matchRegistration(record, body({ terminalModel: 'bsj-a6' }))).toBe('terminal-mismatch');
    expect(matchRegistration(record, body({ plate: '浙J·12346' }))).toBe('vehicle-mismatch');
    expect(matchRegistration(record, body({ plateColor: 1 }))).toBe('vehicle-mismatch');
    expect(matchRegistration(record, body({ plate: '' }))).toBe('vehicle-mismatch');
  });
});

describe('auth codes', () => {
  it('issues a different random printable code each time, kept only as its SHA-256, checked in constant time', () => {
    const codes = new Set(Array.from({ length: 100 }, issueAuthCode));
    expect(codes.size).toBe(100);
    const code = [...codes][0]!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const stored = hashAuthCode(code);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(code);
    expect(authCodeMatches(stored, code)).toBe(true);
    expect(authCodeMatches(stored, code.slice(1))).toBe(false);
    expect(authCodeMatches(stored, `${code}x`)).toBe(false);
  });
});
