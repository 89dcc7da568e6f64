import { describe, expect, it } from 'vitest';
import type { LocationInput } from '../src/index.ts';
import { decodeLocationBody, encodeBatchUpload, encodeLocationBody, encodeLocationReport, Jt808EncodeError } from '../src/index.ts';
import { messageOf } from './support/frames.ts';

const base: LocationInput = {
  alarm: 0,
  status: 0b11,
  latitude: 28.656,
  longitude: 121.421,
  altitudeM: 12,
  speedKmh: 54.3,
  direction: 270,
  timeMs: Date.parse('2025-03-01T10:00:00Z'),
};
const terminal = { flavour: '2013' as const, phone: '13912344323', serial: 1 };

function roundTrip(input: LocationInput) {
  const body = encodeLocationBody(input);
  return decodeLocationBody(body, 0, body.length, false);
}

describe('location signs', () => {
  it('status bit 2 makes latitude south (negative), bit 3 makes longitude west (negative)', () => {
    const r = roundTrip({ ...base, latitude: -33.8688, longitude: -70.6693 });
    expect(r.status.south).toBe(true);
    expect(r.status.west).toBe(true);
    expect(r.status.raw & 0b1100).toBe(0b1100);
    expect(r.latitude).toBe(-33.8688);
    expect(r.longitude).toBe(-70.6693);
  });

  it('north-east coordinates clear both bits even if the input status had them set', () => {
    const r = roundTrip({ ...base, status: 0b1111 });
    expect([r.status.south, r.status.west, r.latitude, r.longitude]).toEqual([false, false, 28.656, 121.421]);
  });

  it('a zero coordinate with the south bit set is +0, never -0', () => {
    const body = encodeLocationBody({ ...base, latitude: 0 });
    body[7] = body[7]! | 0b0100;
    expect(Object.is(decodeLocationBody(body, 0, body.length, false).latitude, 0)).toBe(true);
  });
});

describe('location status and alarm bits', () => {
  it('decodes ACC, fixed and the load state bits 8–9', () => {
    const load = (bits: number) => roundTrip({ ...base, status: 0b11 | (bits << 8) }).status;
    expect(load(0).load).toBe('empty');
    expect(load(1).load).toBe('half');
    expect(load(2).load).toBe('reserved');
    expect(load(3).load).toBe('full');
    expect(load(0).accOn).toBe(true);
    expect(load(0).fixed).toBe(true);
  });

  it('names the domain alarm bits: 0 SOS, 1 overspeed, 2 fatigue, 4 GNSS fault, 5 antenna cut, 19 parking, 20 area, 21 route, 23 deviation', () => {
    const a = roundTrip({ ...base, alarm: (1 << 0) | (1 << 1) | (1 << 2) | (1 << 4) | (1 << 5) | (1 << 19) | (1 << 20) | (1 << 21) | (1 << 23) }).alarm;
    expect([a.sos, a.overspeed, a.fatigue, a.gnssFault, a.gnssAntennaCut, a.parkingTimeout, a.areaInOut, a.routeInOut, a.routeDeviation]).toEqual(Array(9).fill(true));
    expect([a.dangerWarning, a.powerCut, a.routeDrivingTime, a.illegalDoorOpen]).toEqual([false, false, false, false]);
  });

  it('keeps bit 31 of the alarm as an unsigned raw value', () => {
    const a = roundTrip({ ...base, alarm: 0x80000000 }).alarm;
    expect(a.raw).toBe(0x80000000);
    expect(a.illegalDoorOpen).toBe(true);
  });
});

describe('location time', () => {
  it('converts GMT+8 to UTC across midnight, month, year and leap-day boundaries', () => {
    for (const iso of ['2025-01-01T00:00:00Z', '2024-12-31T16:00:00Z', '2024-02-29T20:30:00Z', '2024-03-01T07:59:59Z', '2000-01-01T00:00:00Z', '2099-12-31T15:59:59Z']) {
      const r = roundTrip({ ...base, timeMs: Date.parse(iso) });
      expect(r.time).toBe(new Date(iso).toISOString());
      expect(r.timeMs).toBe(Date.parse(iso));
    }
  });

  it('the BCD time written is GMT+8 wall-clock time', () => {
    const body = encodeLocationBody({ ...base, timeMs: Date.parse('2024-12-31T16:00:00Z') });
    expect(Array.from(body.subarray(22, 28), (b) => b.toString(16).padStart(2, '0')).join('')).toBe('250101000000');
  });

  it('refuses to encode a year outside 2000–2099', () => {
    expect(() => encodeLocationBody({ ...base, timeMs: Date.parse('1999-12-31T15:59:59Z') })).toThrow(Jt808EncodeError);
  });

  it('decodes an impossible calendar time (Feb 30, month 13, hour 24, all zeros, non-BCD) as no time, keeping the raw bytes', () => {
    const bcds = [[0x25, 0x02, 0x30, 0, 0, 0], [0x25, 0x13, 0x01, 0, 0, 0], [0x25, 0x01, 0x01, 0x24, 0, 0], [0x23, 0x02, 0x29, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x25, 0x01, 0x01, 0x00, 0x5a, 0]];
    for (const bcd of bcds) {
      const body = encodeLocationBody(base);
      body.set(bcd, 22);
      const r = decodeLocationBody(body, 0, body.length, false);
      expect(r.time).toBeUndefined();
      expect(r.timeMs).toBeUndefined();
      expect(r.rawTime).toBe(bcd.map((b) => b.toString(16).padStart(2, '0')).join(''));
      // Everything else of the report is still read.
      expect([r.latitude, r.longitude, r.status.raw]).toEqual([base.latitude, base.longitude, base.status]);
    }
  });

  it('a valid time carries no raw time', () => {
    expect(roundTrip(base).rawTime).toBeUndefined();
  });
});

describe('location extras', () => {
  it('decodes mileage 0.1 km, fuel 0.1 L, tachograph speed 0.1 km/h, signal and satellites', () => {
    const r = roundTrip({ ...base, extras: { mileageKm: 123456.7, fuelL: 250.5, tachographSpeedKmh: 55.5, signalStrength: 28, satellites: 14 } });
    expect(r.extras).toEqual({ mileageKm: 123456.7, fuelL: 250.5, tachographSpeedKmh: 55.5, signalStrength: 28, satellites: 14, other: [] });
  });

  it('keeps unknown TLVs raw as hex, in order', () => {
    const r = roundTrip({ ...base, extras: { other: [{ id: 0x25, hex: '00000309' }, { id: 0xe1, hex: '' }, { id: 0x64, hex: 'deadbeef' }] } });
    expect(r.extras.other).toEqual([{ id: 0x25, hex: '00000309' }, { id: 0xe1, hex: '' }, { id: 0x64, hex: 'deadbeef' }]);
    expect(r.extras.mileageKm).toBeUndefined();
  });

  it('keeps a known id with an unexpected length raw instead of misreading it', () => {
    const r = roundTrip({ ...base, extras: { other: [{ id: 0x01, hex: '0102' }] } });
    expect(r.extras.mileageKm).toBeUndefined();
    expect(r.extras.other).toEqual([{ id: 0x01, hex: '0102' }]);
  });

  it('a TLV whose length runs past the body is truncated', () => {
    const body = encodeLocationBody({ ...base, extras: { other: [{ id: 0x25, hex: '00000309' }] } });
    body[29] = 5;
    expect(() => decodeLocationBody(body, 0, body.length, false)).toThrow(expect.objectContaining({ kind: 'truncated' }));
    expect(() => decodeLocationBody(body, 0, 29, false)).toThrow(expect.objectContaining({ kind: 'truncated' }));
  });
});

describe('location ranges', () => {
  it('latitude above 90° or longitude above 180° is bad-value', () => {
    const body = encodeLocationBody(base);
    body.set([0x05, 0x5d, 0x4a, 0x81], 8); // 90_000_001 µ°
    expect(() => decodeLocationBody(body, 0, body.length, false)).toThrow(expect.objectContaining({ kind: 'bad-value' }));
    const body2 = encodeLocationBody(base);
    body2.set([0x0a, 0xba, 0x95, 0x01], 12); // 180_000_001 µ°
    expect(() => decodeLocationBody(body2, 0, body2.length, false)).toThrow(expect.objectContaining({ kind: 'bad-value' }));
  });

  it('a body shorter than 28 bytes is truncated', () => {
    const body = encodeLocationBody(base);
    expect(() => decodeLocationBody(body, 0, 27, false)).toThrow(expect.objectContaining({ kind: 'truncated' }));
  });
});

describe('0x0200 and 0x0704 frames', () => {
  it('a location report frame decodes back to its input in both header flavours', () => {
    for (const flavour of ['2013', '2019'] as const) {
      const m = messageOf(encodeLocationReport({ ...terminal, flavour }, base), 'location');
      expect([m.latitude, m.longitude, m.altitudeM, m.speedKmh, m.direction, m.timeMs, m.backfilled]).toEqual([28.656, 121.421, 12, 54.3, 270, base.timeMs, false]);
    }
  });

  it('every fix of a type-1 (blind-area) batch is flagged back-filled, type 0 is not', () => {
    const fixes = [base, { ...base, latitude: 28.7, timeMs: base.timeMs + 30_000 }, { ...base, latitude: 28.8, timeMs: base.timeMs + 60_000 }];
    const blind = messageOf(encodeBatchUpload(terminal, 1, fixes), 'batch-upload');
    expect(blind.batchType).toBe(1);
    expect(blind.reports.map((r) => [r.latitude, r.backfilled])).toEqual([[28.656, true], [28.7, true], [28.8, true]]);
    const normal = messageOf(encodeBatchUpload(terminal, 0, fixes), 'batch-upload');
    expect(normal.reports.every((r) => !r.backfilled)).toBe(true);
  });

  it('an empty batch decodes to no reports', () => {
    expect(messageOf(encodeBatchUpload(terminal, 1, []), 'batch-upload').reports).toEqual([]);
  });
});
