import { describe, expect, it } from 'vitest';
import type { Edition, Jt809FixInput, Jt809MessageInput } from '../src/index.ts';
import { CloseLinkReason, decodeFrame, DownLinkBrokenReason, encodeFrame, Jt809EncodeError, LoginResult, MainLinkBrokenCode, messageIdOf, parsePacket, SubMessageId } from '../src/index.ts';
import { decodeError, frameAround } from './support/frames.ts';

const header = (edition: Edition) => ({ edition, serial: 9, centreId: 33000001, timeSeconds: 1_750_000_000 });

function roundTrip(edition: Edition, m: Jt809MessageInput) {
  const r = decodeFrame(encodeFrame(header(edition), m), { edition });
  if (!r.ok) throw r.error;
  expect(r.value.header.messageId).toBe(messageIdOf[m.type]);
  return r.value.message;
}

const at = (iso: string) => Date.parse(iso);
const fix = (i: number): Jt809FixInput => ({ layout: '2011', timeMs: at('2026-03-01T08:00:00+08:00') + i * 30_000, latitude: 28.685 + i / 1000, longitude: 121.465, speedKmh: 60, recorderSpeedKmh: 59, mileageKm: 12_000 + i, direction: 45, altitudeM: 12, status: 3, alarm: 0 });
const fix808 = (i: number): Jt809FixInput => ({
  layout: 'jt808',
  location: { alarm: 0, status: 3, latitude: 28.72, longitude: 121.57 + i / 1000, altitudeM: 8, speedKmh: 72.5, direction: 180, timeMs: at('2026-03-01T08:00:00+08:00') + i * 30_000, extras: { mileageKm: 1234.5 } },
  platformAlarms: [{ platformId: '33000001', alarm: 0x0004 }],
});

describe('main and down link messages', () => {
  it('login carries the access code in the body in 2019 only (50 bytes against 46)', () => {
    const base = { type: 'login-request' as const, userId: 1001, password: 'pa55word', downLinkIp: '192.168.10.20', downLinkPort: 9809 };
    expect(roundTrip('2011', { ...base, accessCode: undefined })).toEqual({ ...base, accessCode: undefined });
    expect(roundTrip('2019', { ...base, accessCode: 33000001 })).toEqual({ ...base, accessCode: 33000001 });
    expect(encodeFrame(header('2011'), { ...base, accessCode: undefined }).length).toBe(1 + 22 + 46 + 2 + 1);
  });

  it('login response, logout, notices and the down-link login round-trip with their codes', () => {
    const messages: Jt809MessageInput[] = [
      { type: 'login-response', result: LoginResult.badPassword, verifyCode: 0xfeedbeef },
      { type: 'logout-request', userId: 1001, password: 'pa55word' },
      { type: 'logout-response' },
      { type: 'heartbeat' },
      { type: 'heartbeat-response' },
      { type: 'main-link-broken', code: MainLinkBrokenCode.mainLinkBroken },
      { type: 'down-login-request', verifyCode: 0xfeedbeef },
      { type: 'down-login-response', result: 0 },
      { type: 'down-heartbeat' },
      { type: 'down-heartbeat-response' },
      { type: 'down-link-broken', code: DownLinkBrokenReason.disconnected },
      { type: 'close-link', code: CloseLinkReason.gatewayRestart },
    ];
    for (const edition of ['2011', '2019'] as const) for (const m of messages) expect(roundTrip(edition, m)).toEqual(m);
  });

  it('a logout body longer than 12 bytes is read for its credentials (zboyco/jtt809 sends its 50-byte login layout)', () => {
    const login = parsePacket(encodeFrame(header('2019'), { type: 'login-request', userId: 5, password: 'abc', accessCode: 7, downLinkIp: '1.2.3.4', downLinkPort: 1 }), { edition: '2019' });
    const content = login.bytes.slice(0, login.bodyEnd);
    content[9] = 0x03; // message id 0x1001 → 0x1003, same body, fresh CRC
    expect(decodeFrame(frameAround(content), { edition: '2019' })).toMatchObject({ ok: true, value: { message: { type: 'logout-request', userId: 5, password: 'abc' } } });
  });
});

describe('0x1200 vehicle dynamic information', () => {
  it('0x1202 in 2011 is the 36-byte fix; in 2019 a JT/T 808 0x0200 body with platform alarms', () => {
    const a = roundTrip('2011', { type: 'vehicle-dynamic', plate: '浙J12345', plateColour: 2, data: { kind: 'location', fix: fix(0) } });
    expect(a).toMatchObject({ subType: SubMessageId.realtimeLocation, data: { kind: 'location', fix: { layout: '2011', report: { latitude: 28.685, longitude: 121.465, speedKmh: 60, extras: { mileageKm: 12000, tachographSpeedKmh: 59 } } } } });
    const b = roundTrip('2019', { type: 'vehicle-dynamic', plate: '浙J12345', plateColour: 2, data: { kind: 'location', fix: fix808(0) } });
    expect(b).toMatchObject({ data: { kind: 'location', fix: { layout: 'jt808', platformAlarms: [{ platformId: '33000001', alarm: 4 }], report: { speedKmh: 72.5, extras: { mileageKm: 1234.5 } } } } });
  });

  it('a 2019 frame may carry the 2011 fix layout in GNSS_DATA (as platforms in the wild do) and it reads as such', () => {
    const m = roundTrip('2019', { type: 'vehicle-dynamic', plate: '浙J12345', plateColour: 2, data: { kind: 'location', fix: fix(0) } });
    expect(m).toMatchObject({ data: { kind: 'location', fix: { layout: '2011', report: { latitude: 28.685 } } } });
  });

  it('a 2011-layout fix in a 2019 frame reads as such even when its direction, altitude and mileage bytes look like BCD digits (272°, 0 m)', () => {
    // Found by the round-trip property: a guess keyed on "no BCD time at offset 22" refused about 1 in 90 of these.
    for (const [direction, altitudeM, mileageKm] of [[272, 0, 0], [280, 823, 94277], [305, 20, 0x23]] as const) {
      const m = roundTrip('2019', { type: 'vehicle-dynamic', plate: '浙J12345', plateColour: 2, data: { kind: 'location', fix: { ...fix(0), direction, altitudeM, mileageKm } as Jt809FixInput } });
      expect(m).toMatchObject({ data: { kind: 'location', fix: { layout: '2011', report: { direction, altitudeM, extras: { mileageKm } } } } });
    }
  });

  it('south and west coordinates set the status bits and come back negative', () => {
    const m = roundTrip('2011', { type: 'vehicle-dynamic', plate: 'A', plateColour: 1, data: { kind: 'location', fix: { ...fix(0), latitude: -33.8688, longitude: -70.6693 } as Jt809FixInput } });
    expect(m).toMatchObject({ data: { fix: { report: { latitude: -33.8688, longitude: -70.6693, status: { south: true, west: true } } } } });
  });

  it('0x1203 back-fills 1–5 fixes in order, each flagged as back-filled, in both editions', () => {
    for (const [edition, make] of [['2011', fix], ['2019', fix808]] as const) {
      const fixes = [0, 1, 2, 3, 4].map(make);
      const m = roundTrip(edition, { type: 'vehicle-dynamic', plate: '浙J12345', plateColour: 2, data: { kind: 'backfill', fixes } });
      if (m.type !== 'vehicle-dynamic' || m.data.kind !== 'backfill') throw new Error('expected a backfill');
      expect(m.subType).toBe(SubMessageId.backfillLocations);
      expect(m.data.fixes.map((f) => [f.report.backfilled, f.report.timeMs])).toEqual(fixes.map((_, i) => [true, at('2026-03-01T08:00:00+08:00') + i * 30_000]));
    }
  });

  it('0x1203 refuses to encode an empty batch or more than five fixes (GNSS_CNT 1–5), and decodes GNSS_CNT 0 as bad-value', () => {
    const batch = (n: number): Jt809MessageInput => ({ type: 'vehicle-dynamic', plate: 'A', plateColour: 1, data: { kind: 'backfill', fixes: Array.from({ length: n }, (_, i) => fix(i)) } });
    expect(() => encodeFrame(header('2011'), batch(0))).toThrow(Jt809EncodeError);
    expect(() => encodeFrame(header('2011'), batch(6))).toThrow(Jt809EncodeError);
    const empty = encodeFrame(header('2011'), { type: 'vehicle-dynamic', plate: 'A', plateColour: 1, data: { kind: 'other', subType: 0x1203, bytes: Uint8Array.of(0) } });
    expect(decodeError(empty, { edition: '2011' }).kind).toBe('bad-value');
  });

  it('0x1201 registration round-trips in the 2019 layout and in both 2011 layouts (20- and 8-byte terminal model)', () => {
    const reg = { kind: 'registration' as const, platformCode: '33000000001', producerId: '70111', terminalModel: 'BD-808', imei: undefined, terminalId: 'A1B2C3D', simCode: '013900000001' };
    expect(roundTrip('2011', { type: 'vehicle-dynamic', plate: '浙J12345', plateColour: 2, data: reg })).toMatchObject({ data: { ...reg, modelWidth: 20 } });
    expect(roundTrip('2011', { type: 'vehicle-dynamic', plate: '浙J12345', plateColour: 2, data: { ...reg, modelWidth: 8 } })).toMatchObject({ data: { ...reg, modelWidth: 8 } });
    const reg2019 = { ...reg, imei: '860000000000001', terminalId: 'T-0000000000000000000000000001' };
    expect(roundTrip('2019', { type: 'vehicle-dynamic', plate: '浙J12345', plateColour: 2, data: reg2019 })).toMatchObject({ data: { ...reg2019, modelWidth: 30 } });
  });

  it('0x1201 refuses an IMEI in a 2011 body and a model longer than its field', () => {
    const reg = { kind: 'registration' as const, platformCode: '1', producerId: '2', terminalModel: 'M', imei: '860000000000001', terminalId: 'T', simCode: '1' };
    expect(() => encodeFrame(header('2011'), { type: 'vehicle-dynamic', plate: 'A', plateColour: 1, data: reg })).toThrow(Jt809EncodeError);
    expect(() => encodeFrame(header('2011'), { type: 'vehicle-dynamic', plate: 'A', plateColour: 1, data: { ...reg, imei: undefined, terminalModel: 'M'.repeat(9), modelWidth: 8 } })).toThrow(Jt809EncodeError);
  });

  it('sub-types this codec does not interpret are kept as their bytes', () => {
    const bytes = Uint8Array.of(1, 2, 3, 0x5b, 0x5d);
    expect(roundTrip('2019', { type: 'vehicle-dynamic', plate: '浙J12345', plateColour: 2, data: { kind: 'other', subType: 0x1207, bytes } })).toEqual({ type: 'vehicle-dynamic', plate: '浙J12345', plateColour: 2, subType: 0x1207, data: { kind: 'other', subType: 0x1207, bytes } });
  });
});

describe('0x1400 alarm interaction', () => {
  it('2011 puts plate and colour in the envelope; 2019 moves them into the 0x1402 body', () => {
    const r2011 = { kind: 'alarm-report' as const, edition: '2011' as const, warnSource: 1, warnType: 0x0001, warnTime: 1_750_000_000, infoId: 7, info: '超速报警' };
    expect(roundTrip('2011', { type: 'alarm', plate: '浙J12345', plateColour: 2, data: r2011 })).toEqual({ type: 'alarm', plate: '浙J12345', plateColour: 2, subType: 0x1402, data: r2011 });
    const r2019 = { kind: 'alarm-report' as const, edition: '2019' as const, sourcePlatformId: '33000001', warnType: 0xa001, warnTime: 1_750_000_000, startTime: 1_749_999_000, endTime: 1_750_000_000, plate: '浙J12345', plateColour: 2, destinationPlatformId: '33100000', lineId: 0, info: '' };
    expect(roundTrip('2019', { type: 'alarm', plate: undefined, plateColour: undefined, data: r2019 })).toEqual({ type: 'alarm', plate: undefined, plateColour: undefined, subType: 0x1402, data: r2019 });
  });

  it('a report of the other edition, or INFO text without GBK codes, is a Jt809EncodeError', () => {
    const r2011 = { kind: 'alarm-report' as const, edition: '2011' as const, warnSource: 1, warnType: 1, warnTime: 0, infoId: 0, info: '' };
    expect(() => encodeFrame(header('2019'), { type: 'alarm', plate: undefined, plateColour: undefined, data: r2011 })).toThrow(Jt809EncodeError);
    expect(() => encodeFrame(header('2011'), { type: 'alarm', plate: 'A', plateColour: 1, data: { ...r2011, info: '🚚' } })).toThrow(Jt809EncodeError);
  });

  it('an INFO_LENGTH that disagrees with the bytes that follow is a typed error', () => {
    const r2011 = { kind: 'alarm-report' as const, edition: '2011' as const, warnSource: 1, warnType: 1, warnTime: 0, infoId: 0, info: 'abc' };
    const frame = encodeFrame(header('2011'), { type: 'alarm', plate: 'A', plateColour: 1, data: r2011 });
    const raw = frame.subarray(1, -1);
    const content = Uint8Array.from(raw.subarray(0, raw.length - 2));
    content[content.length - 4] = 9; // INFO_LENGTH's low byte: 3 → 9
    expect(decodeError(frameAround(content), { edition: '2011' }).kind).toBe('truncated');
    content[content.length - 4] = 1;
    expect(decodeError(frameAround(content), { edition: '2011' }).kind).toBe('length-mismatch');
  });
});

describe('encoding errors', () => {
  it('an out-of-range JT/T 808 location inside a 2019 fix is this codec\'s Jt809EncodeError, not the 808 codec\'s', () => {
    const bad = { ...fix808(0), location: { ...(fix808(0) as Extract<Jt809FixInput, { layout: 'jt808' }>).location, latitude: 91 } } as Jt809FixInput;
    expect(() => encodeFrame(header('2019'), { type: 'vehicle-dynamic', plate: 'A', plateColour: 1, data: { kind: 'location', fix: bad } })).toThrow(Jt809EncodeError);
  });

  it('a 2011 frame carries only 2011-layout fixes; more than three platform alarms do not fit a 2019 fix', () => {
    expect(() => encodeFrame(header('2011'), { type: 'vehicle-dynamic', plate: 'A', plateColour: 1, data: { kind: 'location', fix: fix808(0) } })).toThrow(Jt809EncodeError);
    const four = { ...fix808(0), platformAlarms: [1, 2, 3, 4].map((alarm) => ({ platformId: 'P', alarm })) } as Jt809FixInput;
    expect(() => encodeFrame(header('2019'), { type: 'vehicle-dynamic', plate: 'A', plateColour: 1, data: { kind: 'location', fix: four } })).toThrow(Jt809EncodeError);
  });

  it('a 2011 fix beyond ±90° / ±180°, or with a non-finite value, is refused', () => {
    for (const f of [{ latitude: 90.5 }, { longitude: 180.5 }, { speedKmh: Number.NaN }, { direction: 1.5 }]) {
      expect(() => encodeFrame(header('2011'), { type: 'vehicle-dynamic', plate: 'A', plateColour: 1, data: { kind: 'location', fix: { ...fix(0), ...f } as Jt809FixInput } })).toThrow(Jt809EncodeError);
    }
  });
});
