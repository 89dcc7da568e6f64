import { safeParseClientEvent } from '@dgt/events';
import type { Jt809Fix, VehicleRegistration } from '@dgt/jt809';
import { decodeFrame, encodeFrame } from '@dgt/jt809';
import { describe, expect, it } from 'vitest';
import {
  VehicleGate,
  alarmEvent,
  checkRegistration,
  createPlatformAccounts,
  createVehicleRegister,
  mismatchEvent,
  positionEventFromFix,
  positionEventId,
  simulatedFixInput,
  vehicleIdToken,
} from '../src/index.ts';
import { T0, platformEntry } from './support.ts';

const account = createPlatformAccounts([platformEntry({ carriers: ['C-A'] })]).all[0]!;
const transferAt = T0 + 3_600_000;
const register = createVehicleRegister([
  { vehicleId: 'V1', plateNo: '浙J·10001', carrierId: 'C-A', terminalPhone: '13900000001' },
  { vehicleId: 'V2', plateNo: '浙J·10002', carrierId: 'C-B' },
  {
    vehicleId: '浙J·10003',
    plateNo: '浙J·10003',
    periods: [
      { carrierId: 'C-A', fromMs: null, toMs: transferAt },
      { carrierId: 'C-B', fromMs: transferAt, toMs: null },
    ],
  },
]);
const window = { maxFutureSkewMs: 300_000, backfillWindowMs: 7 * 86_400_000 };

/** A fix as the codec hands it over, by encoding and decoding a real 0x1202. */
function fixOf(edition: '2011' | '2019', timeMs: number, coordinatesEncrypted = false): Jt809Fix {
  const input = { ...simulatedFixInput(edition, 1, 1, timeMs), coordinatesEncrypted };
  const bytes = encodeFrame({ edition, serial: 1, centreId: 1, timeSeconds: 0 }, { type: 'vehicle-dynamic', plate: '浙J·10001', plateColour: 2, data: { kind: 'location', fix: input } });
  const r = decodeFrame(bytes, { edition });
  if (!r.ok || r.value.message.type !== 'vehicle-dynamic' || r.value.message.data.kind !== 'location') throw new Error('fixture did not decode');
  return r.value.message.data.fix;
}

const origin = { platformId: 'carrier-a', edition: '2019' as const, vehicleId: 'V1', plateNo: '浙J·10001', plateColour: 2 };

describe('fixes become VehiclePositionReported', () => {
  it('with an id of the vehicle and the fix time only, valid for the recorder, in both editions', () => {
    for (const edition of ['2011', '2019'] as const) {
      const o = positionEventFromFix(fixOf(edition, T0), false, { ...origin, edition }, { publishUnfixed: false, receivedMs: T0 + 5_000, window });
      expect(o.kind).toBe('event');
      if (o.kind !== 'event') continue;
      expect(o.event.eventId).toBe('jt809:v:V1:' + T0);
      expect(o.event.occurredAt).toBe(new Date(T0).toISOString());
      expect(o.event.meta).toMatchObject({ source: 'jt809', platformId: 'carrier-a', edition, plateNo: '浙J·10001', plateColour: 2, fixed: true });
      expect(safeParseClientEvent(JSON.parse(JSON.stringify(o.event))).ok).toBe(true);
    }
  });

  it('spells a vehicle id in Chinese as hex, and a long one as a hash, keeping ids client-valid', () => {
    expect(vehicleIdToken('浙J·10003')).toBe(`x:${Buffer.from('浙J·10003').toString('hex')}`);
    expect(vehicleIdToken('浙'.repeat(100))).toMatch(/^h:[0-9a-f]{32}$/);
    expect(positionEventId('浙J·10003', T0, 2)).toMatch(/^jt809:x:[0-9a-f]+:\d+:2$/);
  });

  it('refuses a positioned fix dated beyond the skew or older than the back-fill window', () => {
    expect(positionEventFromFix(fixOf('2019', T0 + 600_000), false, origin, { publishUnfixed: false, receivedMs: T0, window })).toEqual({ kind: 'refused', reason: 'future' });
    expect(positionEventFromFix(fixOf('2019', T0), true, origin, { publishUnfixed: false, receivedMs: T0 + 8 * 86_400_000, window })).toEqual({ kind: 'refused', reason: 'too-old' });
  });

  it('converts coordinates the platform marks as GCJ-02 to WGS-84 and says so', () => {
    const plain = positionEventFromFix(fixOf('2011', T0), false, origin, { publishUnfixed: false, receivedMs: T0, window });
    const offset = positionEventFromFix(fixOf('2011', T0, true), false, origin, { publishUnfixed: false, receivedMs: T0, window });
    if (plain.kind !== 'event' || offset.kind !== 'event') throw new Error('expected events');
    expect(offset.event.meta).toMatchObject({ convertedFrom: 'GCJ02' });
    // GCJ-02 is a few hundred metres off WGS-84 around Taizhou.
    expect(Math.abs(offset.event.data.lon - plain.event.data.lon)).toBeGreaterThan(0.001);
  });
});

describe('a platform speaks only for its carriers', () => {
  const gate = new VehicleGate(register);

  it('for a registered vehicle of its carrier, whatever separator the plate is written with', () => {
    expect(gate.check(account, '浙J10001', T0)).toMatchObject({ ok: true, vehicle: { vehicleId: 'V1' } });
  });

  it('not for a plate nobody registered, nor for another carrier\'s vehicle', () => {
    expect(gate.check(account, '浙J·99999', T0)).toMatchObject({ ok: false, reason: 'unknown-vehicle' });
    expect(gate.check(account, 'not a plate', T0)).toMatchObject({ ok: false, reason: 'unknown-vehicle' });
    expect(gate.check(account, '浙J·10002', T0)).toMatchObject({ ok: false, reason: 'other-carrier', carrierId: 'C-B' });
  });

  it('for a transferred vehicle only while it was its carrier\'s, by the fix time', () => {
    expect(gate.check(account, '浙J·10003', transferAt - 1)).toMatchObject({ ok: true });
    expect(gate.check(account, '浙J·10003', transferAt)).toMatchObject({ ok: false, reason: 'other-carrier', carrierId: 'C-B' });
  });
});

describe('vehicle registrations (0x1201) against the register', () => {
  const gate = new VehicleGate(register);
  const declared = (simCode: string): VehicleRegistration => ({ kind: 'registration', platformCode: 'P1', producerId: 'M1', terminalModel: 'X9', imei: undefined, terminalId: 'T1', simCode, modelWidth: 20 });

  it('match when the plate is its carrier\'s and the SIM is the registered terminal\'s (leading zeros aside)', () => {
    expect(checkRegistration(gate.check(account, '浙J·10001', T0), declared('013900000001'))).toEqual({ ok: true });
  });

  it('mismatch for another SIM, another carrier\'s vehicle, or an unknown plate', () => {
    expect(checkRegistration(gate.check(account, '浙J·10001', T0), declared('13911111111'))).toEqual({ ok: false, reason: 'terminal-sim' });
    expect(checkRegistration(gate.check(account, '浙J·10002', T0), declared('1'))).toEqual({ ok: false, reason: 'other-carrier' });
    expect(checkRegistration(gate.check(account, '浙J·99999', T0), declared('1'))).toEqual({ ok: false, reason: 'unknown-vehicle' });
  });

  it('a mismatch event is valid, keeps the same id when re-declared later and another when the declaration changes', () => {
    const access = gate.check(account, '浙J·10002', T0);
    const a = mismatchEvent('carrier-a', '浙J·10002', 2, 'other-carrier', access, declared('1'), new Date(T0).toISOString());
    const b = mismatchEvent('carrier-a', '浙J·10002', 2, 'other-carrier', access, declared('1'), new Date(T0 + 60_000).toISOString());
    const c = mismatchEvent('carrier-a', '浙J·10002', 2, 'other-carrier', access, declared('2'), new Date(T0).toISOString());
    expect(a.eventId).toBe(b.eventId);
    expect(c.eventId).not.toBe(a.eventId);
    expect(a.data).toMatchObject({ vehicleId: 'V2', reason: 'other-carrier', registered: { carrierId: 'C-B' } });
    expect(safeParseClientEvent(JSON.parse(JSON.stringify(a))).ok).toBe(true);
  });
});

describe('alarms (0x1402)', () => {
  it('2011 and 2019 reports become valid VehicleAlarmReported dated by WARN_TIME', () => {
    const warnTime = T0 / 1000;
    const e2011 = alarmEvent('carrier-a', '浙J·10001', 2, 'V1', { kind: 'alarm-report', edition: '2011', warnSource: 1, warnType: 1, warnTime, infoId: 7, info: '超速' });
    const e2019 = alarmEvent('carrier-a', '浙J·10001', 2, 'V1', {
      kind: 'alarm-report',
      edition: '2019',
      sourcePlatformId: 'P33',
      warnType: 0xa001,
      warnTime,
      startTime: warnTime - 60,
      endTime: 0,
      plate: '浙J·10001',
      plateColour: 2,
      destinationPlatformId: 'G',
      lineId: 0,
      info: '',
    });
    expect(e2011).toMatchObject({ occurredAt: new Date(T0).toISOString(), data: { warnName: 'overspeed', source: 'terminal', info: '超速' } });
    expect(e2019).toMatchObject({ data: { warnName: 'parking-timeout', source: 'P33', startedAt: new Date(T0 - 60_000).toISOString() } });
    expect(e2019!.data.endedAt).toBeUndefined();
    for (const e of [e2011, e2019]) expect(safeParseClientEvent(JSON.parse(JSON.stringify(e))).ok).toBe(true);
  });
});
