import { describe, expect, it } from 'vitest';
import type { Edition, Jt809FixInput, VehicleDynamic } from '../src/index.ts';
import { decodeFrame, encodeFix, encodeFrame, fromHex, Jt809EncodeError, parsePacket, toHex, utcSecondsIso } from '../src/index.ts';
import { frameAround } from './support/frames.ts';

function roundTrip(edition: Edition, plate: string, fix?: Jt809FixInput): VehicleDynamic {
  const data = fix === undefined ? { kind: 'other' as const, subType: 0x1299, bytes: new Uint8Array(0) } : { kind: 'location' as const, fix };
  const r = decodeFrame(encodeFrame({ edition, serial: 1, centreId: 1, timeSeconds: 1_700_000_000 }, { type: 'vehicle-dynamic', plate, plateColour: 2, data }), { edition });
  if (!r.ok) throw r.error;
  if (r.value.message.type !== 'vehicle-dynamic') throw new Error('not a 0x1200');
  return r.value.message;
}

const fix2011 = (timeMs: number): Jt809FixInput => ({ layout: '2011', timeMs, latitude: 28.656, longitude: 121.421, speedKmh: 40, direction: 90, altitudeM: 5, status: 3, alarm: 0 });

describe('GBK plate text', () => {
  it('writes a plate as GBK, NUL-padded to 21 bytes: 浙J12345 is D5E3 then ASCII', () => {
    const body = parsePacket(encodeFrame({ edition: '2011', serial: 1, centreId: 1 }, { type: 'vehicle-dynamic', plate: '浙J12345', plateColour: 2, data: { kind: 'other', subType: 0x1299, bytes: new Uint8Array(0) } }), { edition: '2011' });
    expect(toHex(body.bytes.subarray(body.bodyStart, body.bodyStart + 22))).toBe('d5e34a3132333435' + '00'.repeat(13) + '02');
  });

  it('reads back plates of every province prefix and both editions, including one that fills all 21 bytes', () => {
    const plates = ['浙J12345', '粤A12345', '京HEN317', '陕CJ3819', '新A·12345', '使014578', '苏E12345挂', '测试报警', '一二三四五六七八九十A'];
    for (const edition of ['2011', '2019'] as const) for (const plate of plates) expect(roundTrip(edition, plate).plate).toBe(plate);
  });

  it('a plate longer than 21 GBK bytes, or with a character GBK lacks, is a Jt809EncodeError, never cut', () => {
    expect(() => roundTrip('2011', '一二三四五六七八九十AB')).toThrow(Jt809EncodeError);
    expect(() => roundTrip('2011', '浙J😀')).toThrow(Jt809EncodeError);
  });

  it('the plate cache never changes the answer: 20,000 distinct plates in a row all read back as sent', () => {
    const frame = encodeFrame({ edition: '2011', serial: 1, centreId: 1 }, { type: 'vehicle-dynamic', plate: '浙J00000', plateColour: 2, data: { kind: 'other', subType: 0x1299, bytes: new Uint8Array(0) } });
    const raw = parsePacket(frame, { edition: '2011' });
    const content = raw.bytes.slice(0, raw.bodyEnd);
    for (let i = 0; i < 20_000; i++) {
      const plate = `浙J${String(i).padStart(5, '0')}`;
      content.set(Uint8Array.from(plate.slice(2), (c) => c.charCodeAt(0)), raw.bodyStart + 3);
      const r = decodeFrame(frameAround(content), { edition: '2011' });
      if (!r.ok || r.value.message.type !== 'vehicle-dynamic' || r.value.message.plate !== plate) throw new Error(`plate ${plate} read back wrong`);
    }
  });

  it('bytes that are not GBK decode to replacement characters instead of failing the frame', () => {
    const frame = encodeFrame({ edition: '2011', serial: 1, centreId: 1 }, { type: 'vehicle-dynamic', plate: 'AB', plateColour: 2, data: { kind: 'other', subType: 0x1299, bytes: new Uint8Array(0) } });
    const raw = parsePacket(frame, { edition: '2011' });
    const content = raw.bytes.slice(0, raw.bodyEnd);
    content[raw.bodyStart] = 0xff;
    content[raw.bodyStart + 1] = 0xff;
    const r = decodeFrame(frameAround(content), { edition: '2011' });
    expect(r.ok && r.value.message.type === 'vehicle-dynamic' && r.value.message.plate).toMatch(/\uFFFD/);
  });
});

describe('time fields', () => {
  it('a 2011 fix time (day, month, year WORD, hour, minute, second) is Beijing time: 2012-07-19 15:15:15 is 07:15:15Z', () => {
    const t = Date.parse('2012-07-19T07:15:15Z');
    expect(toHex(encodeFix(fix2011(t), '2011').subarray(1, 8))).toBe('130707dc0f0f0f');
    const m = roundTrip('2011', '浙J12345', fix2011(t));
    expect(m.data.kind === 'location' && m.data.fix.report.time).toBe('2012-07-19T07:15:15.000Z');
  });

  it('a fix just after midnight Beijing time carries the Beijing date, the day after the UTC date', () => {
    const t = Date.parse('2024-02-28T16:30:00Z');
    expect(toHex(encodeFix(fix2011(t), '2011').subarray(1, 8))).toBe('1d0207e8001e00');
  });

  it('decoded 2011 fix times equal what Date makes of them, on every day of 2000–2099 Beijing time and across the hours where the UTC date is the day before', () => {
    const first = Date.parse('1999-12-31T16:00:00Z');
    const days = 36_525;
    for (let i = 0; i < days; i++) {
      // Any second of the day; every fourth day in the eight hours whose UTC date is the previous day.
      const second = i % 4 === 0 ? (i * 7_919) % 28_800 : (i * 7_919) % 86_400;
      const t = first + i * 86_400_000 + second * 1_000;
      const m = roundTrip('2011', '浙J12345', fix2011(t));
      if (m.data.kind !== 'location' || m.data.fix.report.timeMs !== t || m.data.fix.report.time !== new Date(t).toISOString()) {
        throw new Error(`fix at ${new Date(t).toISOString()} decoded as ${m.data.kind === 'location' ? m.data.fix.report.time : m.data.kind}`);
      }
    }
    const edges = ['1999-12-31T16:00:00Z', '2000-02-28T16:00:00Z', '2024-02-29T15:59:59Z', '2099-12-31T15:59:59Z'].map((iso) => Date.parse(iso));
    for (const t of edges) expect(roundTrip('2011', '浙J12345', fix2011(t)).data).toMatchObject({ fix: { report: { timeMs: t, time: new Date(t).toISOString() } } });
  });

  it('sub-second parts are dropped on the wire (whole seconds)', () => {
    const m = roundTrip('2011', '浙J12345', fix2011(Date.parse('2024-05-01T00:00:00.999Z')));
    expect(m.data.kind === 'location' && m.data.fix.report.timeMs).toBe(Date.parse('2024-05-01T00:00:00Z'));
  });

  it('a fix whose time bytes are no calendar time (zeros, 30 February, hour 24) still decodes, with time undefined and the raw bytes kept', () => {
    for (const bad of ['00000000000000', '1e0207e80a0000', '0101 07e8 180000'.replace(/ /g, '')]) {
      const bytes = encodeFix(fix2011(Date.parse('2024-01-01T00:00:00Z')), '2011');
      bytes.set(fromHex(bad), 1);
      const frame = encodeFrame({ edition: '2011', serial: 1, centreId: 1 }, { type: 'vehicle-dynamic', plate: '浙J12345', plateColour: 2, data: { kind: 'other', subType: 0x1202, bytes } });
      const r = decodeFrame(frame, { edition: '2011' });
      if (!r.ok || r.value.message.type !== 'vehicle-dynamic' || r.value.message.data.kind !== 'location') throw new Error('expected a location');
      expect(r.value.message.data.fix.report).toMatchObject({ time: undefined, timeMs: undefined, rawTime: bad, latitude: 28.656 });
    }
  });

  it('fix times outside 2000–2099 Beijing time cannot be encoded', () => {
    expect(() => encodeFix(fix2011(Date.parse('1999-12-31T15:59:59Z')), '2011')).toThrow(Jt809EncodeError);
    expect(() => encodeFix(fix2011(Date.parse('2099-12-31T16:00:00Z')), '2011')).toThrow(Jt809EncodeError);
    expect(() => encodeFix(fix2011(Number.NaN), '2011')).toThrow(Jt809EncodeError);
    expect(toHex(encodeFix(fix2011(Date.parse('1999-12-31T16:00:00Z')), '2011').subarray(1, 8))).toBe('010107d0000000');
  });

  it('2019 header and alarm times are UTC seconds; the ISO helper gives undefined beyond year 9999', () => {
    expect(utcSecondsIso(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(utcSecondsIso(1263085674)).toBe('2010-01-10T01:07:54.000Z');
    expect(utcSecondsIso(253_402_300_799)).toBe('9999-12-31T23:59:59.000Z');
    expect(utcSecondsIso(253_402_300_800)).toBeUndefined();
  });
});
