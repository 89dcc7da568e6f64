import { describe, expect, it } from 'vitest';
import type { FrameInput, Jt809Fix, Jt809MessageInput, VehicleDynamic } from '../src/index.ts';
import { applyBodyCipher, decodeBody, decodeHeader, encodeBody, encodeFix, encodeFrame, encodeHeader, fromHex, MessageId, SubMessageId, toHex, warnTypeNames } from '../src/index.ts';
import { decodeError, decodeOk, decodeVector, escapedAsTheStandardSays, messageOf } from './support/frames.ts';
import { ch0ice, dotNetty, guoJian, guoJianKeys, smallChi, smallChiBodies, smallChiKeys } from './vectors/vectors.ts';

/** The fix of a decoded 0x1200 frame, whatever the sub-type claims. */
function fixOf(m: VehicleDynamic): Jt809Fix {
  if (m.data.kind !== 'location') throw new Error(`expected a location, got ${m.data.kind}`);
  return m.data.fix;
}

function dynamicOf(frame: Uint8Array | string, link: Parameters<typeof messageOf>[1]): VehicleDynamic {
  return messageOf(frame, link, 'vehicle-dynamic');
}

/** Our encoder's frame for the same header fields and message, as hex. */
function reencoded(h: FrameInput, m: Jt809MessageInput): string {
  return toHex(encodeFrame(h, m));
}

/** A published sub-body placed in a 0x1200 / 0x1400 envelope of our own, so the frame decoder reads it. */
function envelope(edition: '2011' | '2019', type: 'vehicle-dynamic' | 'alarm', subType: number, hex: string): Uint8Array {
  const h = { edition, serial: 1, centreId: 1, timeSeconds: 1_600_000_000 };
  const data = { kind: 'other' as const, subType, bytes: fromHex(hex) };
  return type === 'vehicle-dynamic' ? encodeFrame(h, { type, plate: '浙J12345', plateColour: 2, data }) : encodeFrame(h, { type, plate: '浙J12345', plateColour: 2, data });
}

describe('SmallChi/JT809 published frames', () => {
  it('0x1001 2011 login: header fields, credentials and down-link address; our encoder writes the same bytes', () => {
    const v = smallChi.login2011;
    const { header, message } = decodeVector(v);
    expect(header).toEqual({ edition: '2011', length: 72, serial: 133, messageId: MessageId.loginRequest, centreId: 20180920, version: '1.0.0', encrypted: false, encryptKey: 9999, timeSeconds: undefined, size: 22 });
    expect(message).toEqual({ type: 'login-request', userId: 20180920, password: '20180920', accessCode: undefined, downLinkIp: '127.0.0.1', downLinkPort: 809 });
    expect(reencoded({ edition: '2011', serial: 133, centreId: 20180920, encryptKey: 9999 }, message as Jt809MessageInput)).toBe(v.hex);
  });

  it('0x1001 2011 with an encrypted body decrypts with the link keys to the same login, and our encryption reproduces it byte for byte', () => {
    const v = smallChi.login2011Encrypted;
    const { header, message } = decodeVector(v);
    expect(header).toMatchObject({ length: 72, serial: 133, centreId: 20180920, version: '1.0.0', encrypted: true, encryptKey: 256178 });
    expect(message).toEqual(decodeVector(smallChi.login2011).message);
    expect(reencoded({ edition: '2011', serial: 133, centreId: 20180920, keys: smallChiKeys, encryptKey: 256178 }, message as Jt809MessageInput)).toBe(v.hex);
  });

  it('0x1001 2011 encrypted: without configured keys it is a no-cipher-keys error that keeps the header', () => {
    const e = decodeError(smallChi.login2011Encrypted.hex, { edition: '2011' });
    expect(e.kind).toBe('no-cipher-keys');
    expect(e.header).toMatchObject({ messageId: MessageId.loginRequest, centreId: 20180920, encrypted: true });
  });

  it('0x1001 2011 encrypted, read with another link\'s keys, yields other credentials (the CRC covers the encrypted body), so the login fails on its password', () => {
    const m = messageOf(smallChi.login2011Encrypted.hex, { edition: '2011', keys: guoJianKeys }, 'login-request');
    expect(m.password).not.toBe('20180920');
  });

  it('0x1001 2019 encrypted under ENCRYPT_KEY 0: the key counts as 1 as in the standard\'s C code, giving user 102, password 123456, access code 102', () => {
    // Key 0 taken literally would XOR every byte with 0x13 and read user id 0x35131375; key 1 XORs the first byte with 0x26.
    const v = smallChi.login2019Encrypted;
    const { header, message } = decodeVector(v);
    expect(header).toEqual({ edition: '2019', length: 84, serial: 13, messageId: MessageId.loginRequest, centreId: 102, version: '1.2.15', encrypted: true, encryptKey: 0, timeSeconds: 0x665f4d7a, size: 30 });
    expect(message).toEqual({ type: 'login-request', userId: 102, password: '123456', accessCode: 102, downLinkIp: '127.0.0.1', downLinkPort: 10062 });
    expect(reencoded({ edition: '2019', serial: 13, centreId: 102, timeSeconds: 0x665f4d7a, keys: v.keys, encryptKey: 0 }, message as Jt809MessageInput)).toBe(v.hex);
  });

  it('0x1200/0x1201 2019 registration: GBK plate 粤A12345, blue, the 110-byte layout with IMEI; re-encodes byte for byte', () => {
    const v = smallChi.registration2019;
    const { header, message } = decodeVector(v);
    // 0x5EA507B8 is 2020-04-26 12:02:00 Beijing time, the header time the source test sets.
    expect(header).toMatchObject({ edition: '2019', length: 172, serial: 1666, messageId: MessageId.vehicleDynamic, centreId: 20190708, version: '1.0.0', encryptKey: 9999, timeSeconds: 0x5ea507b8 });
    expect(new Date(header.timeSeconds! * 1000).toISOString()).toBe('2020-04-26T04:02:00.000Z');
    expect(message).toEqual({
      type: 'vehicle-dynamic',
      plate: '粤A12345',
      plateColour: 1,
      subType: SubMessageId.vehicleRegistration,
      data: { kind: 'registration', platformCode: '1111111111', producerId: '1111111111', terminalModel: '11111111', imei: '123456789', terminalId: '11111AA', simCode: '222222222222', modelWidth: 30 },
    });
    expect(reencoded({ edition: '2019', serial: 1666, centreId: 20190708, version: [1, 0, 0], timeSeconds: 0x5ea507b8, encryptKey: 9999 }, message)).toBe(v.hex);
  });

  it('0x1200/0x1201 2011 registration (49-byte layout) with ids padded on the left by NULs: 京HEN317, platform 1011, producer 70111', () => {
    const { header, message } = decodeVector(smallChi.registration2011);
    expect(header).toMatchObject({ edition: '2011', length: 103, serial: 97, centreId: 1011, encryptKey: 0x036871 });
    expect(message).toEqual({
      type: 'vehicle-dynamic',
      plate: '京HEN317',
      plateColour: 4,
      subType: SubMessageId.vehicleRegistration,
      data: { kind: 'registration', platformCode: '1011', producerId: '70111', terminalModel: '', imei: undefined, terminalId: '', simCode: '120299553575', modelWidth: 8 },
    });
  });

  it('0x1200/0x1202 2019 whose GNSS_DATA is the 35-byte 2011 fix: 测试报警 at 34.674454 N 112.414833 E, 2025-09-29 17:54:43 Beijing time', () => {
    const { header, message } = decodeVector(smallChi.location2019LegacyFix);
    expect(header).toMatchObject({ edition: '2019', length: 147, serial: 1, centreId: 10000007, timeSeconds: 0x68da5772 });
    expect(message).toMatchObject({ plate: '测试报警', plateColour: 1, subType: SubMessageId.realtimeLocation });
    const fix = fixOf(message as VehicleDynamic);
    expect(fix).toMatchObject({ layout: '2011', coordinatesEncrypted: false, platformAlarms: [] });
    expect(fix.report).toMatchObject({
      latitude: 34.674454,
      longitude: 112.414833,
      speedKmh: 0,
      direction: 123,
      altitudeM: 176,
      time: '2025-09-29T09:54:43.000Z',
      backfilled: false,
      extras: { mileageKm: 28031, tachographSpeedKmh: 0 },
    });
    expect([fix.report.status.raw, fix.report.alarm.raw, fix.report.alarm.sos]).toEqual([0x40003, 1, true]);
    // The platform stamped the frame 15 s after the fix: the time fields are read in the right zone.
    expect(header.timeSeconds! * 1000 - fix.report.timeMs!).toBe(15_000);
  });

  it('0x1400/0x1402 2019 alarm report: JC2020PT088 reports 测A93228 parking overtime (0xA001, "超时停车"); re-encodes byte for byte', () => {
    const v = smallChi.alarm2019;
    const { header, message } = decodeVector(v);
    expect(header).toMatchObject({ edition: '2019', length: 126, serial: 2, messageId: MessageId.alarm, centreId: 0x01fec190, version: '1.2.15', encrypted: false, timeSeconds: 0x5f616c49 });
    expect(message).toEqual({
      type: 'alarm',
      plate: undefined,
      plateColour: undefined,
      subType: SubMessageId.alarmReport,
      data: {
        kind: 'alarm-report',
        edition: '2019',
        sourcePlatformId: 'JC2020PT088',
        warnType: 0xa001,
        warnTime: 0x5f5f7b3e,
        startTime: 0x5f5f7b3e,
        endTime: 0x5f5f7b3e,
        plate: '测A93228',
        plateColour: 2,
        destinationPlatformId: '',
        lineId: 0,
        info: '超时停车',
      },
    });
    expect(warnTypeNames[0xa001]).toBe('parking-timeout');
    expect(reencoded({ edition: '2019', serial: 2, centreId: 0x01fec190, timeSeconds: 0x5f616c49 }, message as Jt809MessageInput)).toBe(v.hex);
  });
});

describe('SmallChi/JT809 published bodies', () => {
  it('the 2011 fix: our encoder writes the published 36 bytes and the decoder reads its values back', () => {
    const input = {
      layout: '2011' as const,
      timeMs: Date.parse('2012-07-19T15:15:15+08:00'),
      longitude: 133.123456,
      latitude: 24.123456,
      speedKmh: 50,
      recorderSpeedKmh: 51,
      mileageKm: 150,
      direction: 45,
      altitudeM: 45,
      status: 3,
      alarm: 257,
    };
    expect(toHex(encodeFix(input, '2011'))).toBe(smallChiBodies.fix2011.hex);
    const fix = fixOf(dynamicOf(envelope('2011', 'vehicle-dynamic', 0x1202, smallChiBodies.fix2011.hex), { edition: '2011' }));
    expect(fix.report).toMatchObject({ latitude: 24.123456, longitude: 133.123456, speedKmh: 50, direction: 45, altitudeM: 45, timeMs: input.timeMs, extras: { mileageKm: 150, tachographSpeedKmh: 51 } });
    expect([fix.report.status.raw, fix.report.alarm.raw]).toEqual([3, 257]);
  });

  it('the 2019 fix: ENCRYPT, GNSS_DATA length, a JT/T 808 0x0200 body and three platform alarms, written and read back', () => {
    const location = {
      alarm: 1,
      status: 2,
      latitude: 12.222222,
      longitude: 132.444444,
      altitudeM: 40,
      speedKmh: 6,
      direction: 0,
      timeMs: Date.parse('2018-07-15T10:10:10+08:00'),
      extras: { mileageKm: 10, fuelL: 5.5 },
    };
    const platformAlarms = [
      { platformId: '11111111111', alarm: 1 },
      { platformId: '22222222222', alarm: 2 },
      { platformId: '33333333333', alarm: 3 },
    ];
    expect(toHex(encodeFix({ layout: 'jt808', coordinatesEncrypted: true, location, platformAlarms }, '2019'))).toBe(smallChiBodies.fix2019.hex);
    const fix = fixOf(dynamicOf(envelope('2019', 'vehicle-dynamic', 0x1202, smallChiBodies.fix2019.hex), { edition: '2019' }));
    expect(fix).toMatchObject({ layout: 'jt808', coordinatesEncrypted: true, platformAlarms });
    expect(fix.report).toMatchObject({ latitude: 12.222222, longitude: 132.444444, altitudeM: 40, speedKmh: 6, timeMs: location.timeMs, extras: { mileageKm: 10, fuelL: 5.5 } });
  });

  it('the 2011 alarm report (WARN_SRC, WARN_TYPE, WARN_TIME, INFO_ID, INFO) decodes and our encoder writes the same bytes', () => {
    const report = { kind: 'alarm-report' as const, edition: '2011' as const, warnSource: 1, warnType: 0x000b, warnTime: 0x5baa5b80, infoId: 3344, info: 'gfdf454553' };
    const m = messageOf(envelope('2011', 'alarm', 0x1402, smallChiBodies.alarmReport2011.hex), { edition: '2011' }, 'alarm');
    expect(m).toEqual({ type: 'alarm', plate: '浙J12345', plateColour: 2, subType: 0x1402, data: report });
    expect(toHex(encodeBody({ type: 'alarm', plate: '浙J12345', plateColour: 2, data: report }, '2011')).endsWith(smallChiBodies.alarmReport2011.hex)).toBe(true);
  });

  it('the 2019 alarm report decodes to its published values (times are UTC seconds) and re-encodes', () => {
    const m = messageOf(envelope('2019', 'alarm', 0x1402, smallChiBodies.alarmReport2019.hex), { edition: '2019' }, 'alarm');
    expect(m.data).toEqual({
      kind: 'alarm-report',
      edition: '2019',
      sourcePlatformId: '12345678900',
      warnType: 0x000b,
      warnTime: Date.parse('2020-04-23T00:00:00+08:00') / 1000,
      startTime: Date.parse('2020-04-23T00:00:00+08:00') / 1000,
      endTime: Date.parse('2020-04-24T00:00:00+08:00') / 1000,
      plate: '粤A11111',
      plateColour: 1,
      destinationPlatformId: '12345678900',
      lineId: 0,
      info: 'gfdf454553',
    });
    expect(toHex(encodeBody({ type: 'alarm', plate: undefined, plateColour: undefined, data: m.data }, '2019'))).toBe(`1402${(smallChiBodies.alarmReport2019.hex.length / 2).toString(16).padStart(8, '0')}${smallChiBodies.alarmReport2019.hex}`);
  });

  it('0x1002, 0x1003 and 0x9001 bodies decode to the published values and encode to the same bytes', () => {
    const header = (messageId: number) => decodeHeader(encodeHeader({ edition: '2011', serial: 0, messageId, centreId: 1 }, 0, false, 0), '2011', 22);
    const cases = [
      [MessageId.loginResponse, smallChiBodies.loginResponse.hex, { type: 'login-response', result: 0, verifyCode: 54456 }],
      [MessageId.logoutRequest, smallChiBodies.logout.hex, { type: 'logout-request', userId: 20180920, password: '20180920' }],
      [MessageId.downLoginRequest, smallChiBodies.downLogin.hex, { type: 'down-login-request', verifyCode: 45454 }],
    ] as const;
    for (const [id, hex, message] of cases) {
      const bytes = fromHex(hex);
      expect(decodeBody(header(id), bytes, 0, bytes.length)).toEqual(message);
      expect(toHex(encodeBody(message, '2011'))).toBe(hex);
    }
  });

  it('the standard\'s cipher turns 01..07 under key 256178 into the published D3 4C 70 78 A7 3A 41, and back', () => {
    const { plain, encrypted, key } = smallChiBodies.cipher;
    const bytes = fromHex(plain);
    applyBodyCipher(bytes, 0, bytes.length, key, smallChiKeys);
    expect(toHex(bytes)).toBe(encrypted);
    applyBodyCipher(bytes, 0, bytes.length, key, smallChiKeys);
    expect(toHex(bytes)).toBe(plain);
  });
});

describe('SmallChi/JT809DotNetty published frames', () => {
  it('0x1001, 0x1003 and 0x1005 2011 of one platform decode and re-encode byte for byte', () => {
    const login = decodeVector(dotNetty.login2011);
    expect(login.header).toMatchObject({ serial: 133, centreId: 20141013, version: '1.0.0', encryptKey: 9999 });
    expect(login.message).toEqual({ type: 'login-request', userId: 20140813, password: '20140813', accessCode: undefined, downLinkIp: '127.0.0.1', downLinkPort: 8099 });
    expect(reencoded({ edition: '2011', serial: 133, centreId: 20141013, encryptKey: 9999 }, login.message as Jt809MessageInput)).toBe(dotNetty.login2011.hex);

    const logout = decodeVector(dotNetty.logout2011);
    expect(logout.header).toMatchObject({ messageId: MessageId.logoutRequest, serial: 133, centreId: 20190222 });
    expect(logout.message).toEqual({ type: 'logout-request', userId: 123456, password: '123456' });
    expect(reencoded({ edition: '2011', serial: 133, centreId: 20190222, encryptKey: 9999 }, logout.message as Jt809MessageInput)).toBe(dotNetty.logout2011.hex);

    const beat = decodeVector(dotNetty.heartbeat2011);
    expect(beat.header).toMatchObject({ messageId: MessageId.heartbeat, length: 26, serial: 133, centreId: 20190222 });
    expect(beat.message).toEqual({ type: 'heartbeat' });
    expect(reencoded({ edition: '2011', serial: 133, centreId: 20190222, encryptKey: 9999 }, { type: 'heartbeat' })).toBe(dotNetty.heartbeat2011.hex);
  });

  it('0x1002 2011 login response: result 0 and verify code 1256; re-encodes', () => {
    const { header, message } = decodeVector(dotNetty.loginResponse2011);
    expect(header).toMatchObject({ messageId: MessageId.loginResponse, length: 31, serial: 1339, centreId: 20191013 });
    expect(message).toEqual({ type: 'login-response', result: 0, verifyCode: 1256 });
    expect(reencoded({ edition: '2011', serial: 1339, centreId: 20191013, encryptKey: 9999 }, { type: 'login-response', result: 0, verifyCode: 1256 })).toBe(dotNetty.loginResponse2011.hex);
  });

  it('0x9002 and 0x9006 2011 down-link responses decode and re-encode', () => {
    const login = decodeVector(dotNetty.downLoginResponse2011);
    expect(login.header).toMatchObject({ messageId: MessageId.downLoginResponse, serial: 2, centreId: 100210, encryptKey: 0 });
    expect(login.message).toEqual({ type: 'down-login-response', result: 0 });
    expect(reencoded({ edition: '2011', serial: 2, centreId: 100210 }, { type: 'down-login-response', result: 0 })).toBe(dotNetty.downLoginResponse2011.hex);
    const beat = decodeVector(dotNetty.downHeartbeatResponse2011);
    expect(beat.header).toMatchObject({ messageId: MessageId.downHeartbeatResponse, serial: 3, centreId: 100210 });
    expect(beat.message).toEqual({ type: 'down-heartbeat-response' });
    expect(reencoded({ edition: '2011', serial: 3, centreId: 100210 }, { type: 'down-heartbeat-response' })).toBe(dotNetty.downHeartbeatResponse2011.hex);
  });

  it('0x1200/0x1202 2011 location whose MSG_LENGTH 0x5A is escaped: 粤A123456 at 24.123456 N 133.123456 E, 2019-04-14 22:19:15 Beijing time; re-encodes', () => {
    const v = dotNetty.location2011;
    const { header, message } = decodeVector(v);
    expect(header).toMatchObject({ length: 0x5a, serial: 168, centreId: 20190414, encryptKey: 9999 });
    const m = message as VehicleDynamic;
    expect([m.plate, m.plateColour, m.subType]).toEqual(['粤A123456', 2, SubMessageId.realtimeLocation]);
    const fix = fixOf(m);
    expect(fix.report).toMatchObject({
      latitude: 24.123456,
      longitude: 133.123456,
      speedKmh: 50,
      direction: 45,
      altitudeM: 45,
      time: '2019-04-14T14:19:15.000Z',
      extras: { mileageKm: 150, tachographSpeedKmh: 51 },
    });
    expect([fix.report.status.raw, fix.report.alarm.raw]).toEqual([3, 0]);
    const again = encodeFrame(
      { edition: '2011', serial: 168, centreId: 20190414, encryptKey: 9999 },
      {
        type: 'vehicle-dynamic',
        plate: '粤A123456',
        plateColour: 2,
        data: { kind: 'location', fix: { layout: '2011', timeMs: fix.report.timeMs!, latitude: 24.123456, longitude: 133.123456, speedKmh: 50, recorderSpeedKmh: 51, mileageKm: 150, direction: 45, altitudeM: 45, status: 3, alarm: 0 } },
      },
    );
    expect(toHex(again)).toBe(v.hex);
  });
});

describe('ch0ice/jt809-tcp-server published frames', () => {
  it('0x1001 and 0x1005 2011 (version 1.0.1) decode and re-encode', () => {
    const login = decodeVector(ch0ice.login2011);
    expect(login.header).toMatchObject({ serial: 82, centreId: 123456, version: '1.0.1', encryptKey: 0 });
    expect(login.message).toEqual({ type: 'login-request', userId: 123456, password: 'test809', accessCode: undefined, downLinkIp: '1.71.129.201', downLinkPort: 20110 });
    expect(reencoded({ edition: '2011', serial: 82, centreId: 123456, version: [1, 0, 1] }, login.message as Jt809MessageInput)).toBe(ch0ice.login2011.hex);
    const beat = decodeVector(ch0ice.heartbeat2011);
    expect(beat.header).toMatchObject({ messageId: MessageId.heartbeat, serial: 9594, centreId: 123456 });
    expect(reencoded({ edition: '2011', serial: 9594, centreId: 123456, version: [1, 0, 1] }, { type: 'heartbeat' })).toBe(ch0ice.heartbeat2011.hex);
  });

  it('0x1200/0x1201 2011 registration in the 61-byte layout (20-byte model) with an escaped serial; re-encodes', () => {
    const v = ch0ice.registration2011;
    const { header, message } = decodeVector(v);
    expect(header).toMatchObject({ serial: 0x5b82, centreId: 36000037, version: '1.0.1' });
    // The terminal id is binary (3F 00 1B 3C), not text: it is kept byte for byte.
    expect(message).toEqual({
      type: 'vehicle-dynamic',
      plate: '赣GC0722',
      plateColour: 2,
      subType: SubMessageId.vehicleRegistration,
      data: { kind: 'registration', platformCode: '350102', producerId: '70504', terminalModel: '', imei: undefined, terminalId: '?\u0000\u001b<', simCode: '064836238508', modelWidth: 20 },
    });
    expect(reencoded({ edition: '2011', serial: 0x5b82, centreId: 36000037, version: [1, 0, 1] }, message)).toBe(v.hex);
  });

  it('0x1200/0x1202 2011 sent without escaping is refused as bad-escape; escaped as the standard requires it reads 辽CD7165 at 40.816623 N 121.041118 E', () => {
    const v = ch0ice.location2011Unescaped;
    expect(decodeError(v.hex, v).kind).toBe('bad-escape');
    const m = dynamicOf(escapedAsTheStandardSays(v.hex), v);
    expect([m.plate, m.plateColour]).toEqual(['辽CD7165', 2]);
    const fix = fixOf(m);
    expect(fix.report).toMatchObject({ latitude: 40.816623, longitude: 121.041118, speedKmh: 0, direction: 268, altitudeM: 14, time: '2019-07-09T10:52:35.000Z', extras: { mileageKm: 99561 } });
    expect(fix.report.status.raw).toBe(0xc0003);
  });
});

describe('a national supervision link (SmallChi/JT809 GuoJian001Test): 2019, encrypted, not escaped by its sender', () => {
  it('0x1007 main-link-broken: version 0.0.0 and encrypted; decrypts to code 0 with the link keys', () => {
    const { header, message } = decodeVector(guoJian.mainLinkBroken);
    expect(header).toEqual({ edition: '2019', length: 35, serial: 1, messageId: MessageId.mainLinkBroken, centreId: 86896940, version: '0.0.0', encrypted: true, encryptKey: 15241, timeSeconds: 0x68be43c6, size: 30 });
    expect(message).toEqual({ type: 'main-link-broken', code: 0 });
  });

  it('a 0x1202 with bare 0x5A bytes is refused as bad-escape; escaped, it decrypts to 陕CJ3819 at 34.479181 N 108.630994 E, 83 km/h, with its JT/T 808 extras', () => {
    const v = guoJian.location808;
    expect(decodeError(v.hex, v).kind).toBe('bad-escape');
    const { header, message } = decodeOk(escapedAsTheStandardSays(v.hex), v);
    const m = message as VehicleDynamic;
    expect([m.plate, m.plateColour, m.subType]).toEqual(['陕CJ3819', 2, SubMessageId.realtimeLocation]);
    const fix = fixOf(m);
    expect(fix.layout).toBe('jt808');
    expect(fix.report).toMatchObject({ latitude: 34.479181, longitude: 108.630994, altitudeM: 501, speedKmh: 83, direction: 56, time: '2025-09-28T05:28:44.000Z', extras: { tachographSpeedKmh: 83, signalStrength: 83, satellites: 20 } });
    expect(fix.report.status.raw).toBe(0x4c0003);
    expect(fix.platformAlarms[0]).toEqual({ platformId: '0', alarm: 0 });
    // Sent 3 s after the fix: a wrong key stream could not have produced a plausible time, plate and position.
    expect(header.timeSeconds! * 1000 - fix.report.timeMs!).toBe(3000);
  });

  it('a 0x1202 whose GNSS_DATA ends in a lone byte after the 808 basic fields is a typed truncated error with the header', () => {
    const v = guoJian.locationTrailingByte;
    const e = decodeError(escapedAsTheStandardSays(v.hex), v);
    expect(e.kind).toBe('truncated');
    expect(e.detail).toMatch(/GNSS_DATA/);
    expect(e.header).toMatchObject({ messageId: MessageId.vehicleDynamic, centreId: 70000001, serial: 730 });
  });

  it('a 0x1402 in a two-time millisecond layout (not the standard\'s) is a typed error with the header, not a wrong alarm', () => {
    const v = guoJian.alarmMillis;
    const e = decodeError(escapedAsTheStandardSays(v.hex), v);
    expect(e.kind).toBe('truncated');
    expect(e.header).toMatchObject({ messageId: MessageId.alarm, serial: 14624 });
  });

  it('a 0x1400 with a bare 0x5B inside is bad-escape; escaped, its 0x1401 sub-type is kept as other data', () => {
    const v = guoJian.alarmOther;
    expect(decodeError(v.hex, v).kind).toBe('bad-escape');
    const m = messageOf(escapedAsTheStandardSays(v.hex), v, 'alarm');
    expect([m.subType, m.data.kind, m.plate]).toEqual([0x1401, 'other', undefined]);
  });

  it('a 0x9400 (not decoded by this codec) is an unknown-message error that keeps its header', () => {
    const e = decodeError(guoJian.supervision.hex, guoJian.supervision);
    expect(e.kind).toBe('unknown-message');
    expect(e.header).toMatchObject({ messageId: 0x9400, serial: 16, encrypted: false, timeSeconds: 0x689eb0ff });
  });
});
