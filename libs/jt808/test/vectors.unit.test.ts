import { describe, expect, it } from 'vitest';
import { encodeGeneralAck, encodeRegisterAck, encodeTerminalAck, fromHex, GeneralAckResult, MessageId, RegisterAckResult, SubpacketAssembler, decodeBody, decodeFrame, toHex } from '../src/index.ts';
import { decodeError, decodeOk, frameWith, messageOf } from './support/frames.ts';
import { domainLocation2019, smallChi, xtream, xtreamSubpackets } from './vectors/vectors.ts';

describe('domain.md 2019 location frame', () => {
  it('decodes header: 2019, version 1, phone, serial 0, 38-byte body', () => {
    const { header } = decodeOk(domainLocation2019.hex);
    expect(header).toMatchObject({ messageId: 0x0200, flavour: '2019', protocolVersion: 1, phone: '00000000013912344329', serial: 0, bodyLength: 38, subpacket: undefined });
  });

  it('decodes position, altitude, speed, direction, time (GMT+8 → UTC), fuel and mileage', () => {
    const m = messageOf(domainLocation2019.hex, 'location');
    expect(Math.abs(m.latitude)).toBe(31.234567);
    expect(m.longitude).toBe(121.987654);
    expect(m.altitudeM).toBe(123);
    expect(m.speedKmh).toBe(6.6);
    expect(m.direction).toBe(3);
    expect(m.time).toBe('2025-01-29T14:33:44.000Z');
    expect(m.timeMs).toBe(Date.parse('2025-01-29T22:33:44+08:00'));
    expect(m.extras.fuelL).toBe(10);
    expect(m.extras.mileageKm).toBe(1.2);
    expect(m.extras.other).toEqual([]);
    expect(m.backfilled).toBe(false);
  });

  it('applies the south bit its status 0x16 carries, so latitude is negative per the spec', () => {
    const m = messageOf(domainLocation2019.hex, 'location');
    expect(m.status.raw).toBe(0x16);
    expect(m.status.south).toBe(true);
    expect(m.status.west).toBe(false);
    expect(m.latitude).toBe(-31.234567);
  });

  it('decodes alarm 0x6f into SOS, overspeed, fatigue, danger warning, antenna cut and short', () => {
    const { alarm } = messageOf(domainLocation2019.hex, 'location');
    expect(alarm.raw).toBe(0x6f);
    expect([alarm.sos, alarm.overspeed, alarm.fatigue, alarm.dangerWarning, alarm.gnssFault, alarm.gnssAntennaCut, alarm.gnssAntennaShort]).toEqual([true, true, true, true, false, true, true]);
  });
});

describe('hylexus/xtream-codec published frames', () => {
  it('0x0200 sample 2: TLV extras match the values xtream-codec lists for the same bytes (0x0201 entry)', () => {
    const m = messageOf(xtream.location2019Sample2.hex, 'location');
    expect(m.alarm.raw).toBe(123);
    expect(m.status.raw).toBe(222);
    expect(Math.abs(m.latitude)).toBe(31.000562);
    expect(Math.abs(m.longitude)).toBe(121.451372);
    expect(m.altitudeM).toBe(666);
    expect(m.speedKmh).toBe(7.8);
    expect(m.time).toBe('2014-10-21T11:51:09.000Z');
    expect(m.extras).toMatchObject({ mileageKm: 11.1, fuelL: 22.2, tachographSpeedKmh: 66.6, signalStrength: 33, satellites: 55 });
    expect(m.extras.other.map((t) => t.id)).toEqual([0x04, 0x25, 0x12, 0x13, 0x64]);
    expect(m.extras.other.find((t) => t.id === 0x04)?.hex).toBe('014d');
    expect(m.extras.other.find((t) => t.id === 0x25)?.hex).toBe('00000309');
  });

  it('0x0704: two fixes of a normal (type 0) batch, not flagged as back-filled', () => {
    const m = messageOf(xtream.batch2019.hex, 'batch-upload');
    expect(m.batchType).toBe(0);
    expect(m.reports.map((r) => [r.latitude, r.longitude, r.altitudeM, r.speedKmh, r.direction, r.time, r.backfilled])).toEqual([
      [31.000562, 121.451372, 666, 3.3, 89, '2024-10-29T13:39:03.000Z', false],
      [31.000563, 121.451373, 777, 6.7, 90, '2024-10-29T13:39:03.000Z', false],
    ]);
  });

  it('0x0100 2013 register with a GBK plate', () => {
    const { header, message } = decodeOk(xtream.register2013.hex);
    expect(header).toMatchObject({ flavour: '2013', protocolVersion: undefined, phone: '013912344323' });
    expect(message).toEqual({ type: 'register', provinceId: 11, cityId: 2, manufacturerId: 'id321', terminalModel: 'type1234567890123456', terminalId: 'id12345', plateColor: 1, plate: '甘J-123459' });
  });

  it('0x0100 2019 register with the wider 11/30/30-byte fields', () => {
    expect(messageOf(xtream.register2019.hex, 'register')).toEqual({
      type: 'register',
      provinceId: 11,
      cityId: 2,
      manufacturerId: 'id123456789',
      terminalModel: 'type12345678901234567890123456',
      terminalId: 'id1234567890123456789012345678',
      plateColor: 1,
      plate: '甘J-123459',
    });
  });

  it('0x0102 2013: the whole body is the auth code', () => {
    expect(messageOf(xtream.authenticate2013.hex, 'authenticate')).toEqual({ type: 'authenticate', authCode: '这是鉴权码111', imei: undefined, softwareVersion: undefined });
  });

  it('0x0102 2019: length-prefixed auth code, IMEI, NUL-padded software version', () => {
    expect(messageOf(xtream.authenticate2019.hex, 'authenticate')).toEqual({ type: 'authenticate', authCode: '这是鉴权码111', imei: '111111111111111', softwareVersion: '1.2.3010' });
  });

  it('0x0002 heartbeat and 0x0003 logout have empty bodies', () => {
    expect(messageOf(xtream.heartbeat2019.hex, 'heartbeat')).toEqual({ type: 'heartbeat' });
    expect(messageOf(xtream.logout2019.hex, 'logout')).toEqual({ type: 'logout' });
  });

  it('our 0x8001 encoder reproduces the xtream-codec frame byte for byte', () => {
    const frame = encodeGeneralAck({ flavour: '2019', phone: '13912344329', serial: 0 }, { repliedSerial: 111, repliedMessageId: MessageId.locationReport, result: GeneralAckResult.success });
    expect(toHex(frame)).toBe(xtream.generalAck2019.hex);
  });

  it('our 0x8100 encoder reproduces the xtream-codec frame byte for byte', () => {
    const frame = encodeRegisterAck({ flavour: '2019', phone: '13912344329', serial: 0 }, { repliedSerial: 111, result: RegisterAckResult.ok, authCode: 'ok..ok..ok' });
    expect(toHex(frame)).toBe(xtream.registerAck2019.hex);
  });

  it('a valid frame with an id this codec does not decode is an unknown-message error that keeps the header', () => {
    const e = decodeError(xtream.unknownId2013.hex);
    expect(e.kind).toBe('unknown-message');
    expect(e.header?.messageId).toBe(0x0302);
    expect(e.header?.serial).toBe(0);
  });

  it('three published sub-packages reassemble to the domain.md location body', () => {
    const asm = new SubpacketAssembler();
    const outcomes = xtreamSubpackets.map((v, i) => {
      const r = decodeFrame(fromHex(v.hex));
      if (!r.ok || r.value.kind !== 'fragment') throw new Error(`sub-package ${i} did not decode as a fragment`);
      return asm.push(r.value.header, r.value.body, 1000 + i);
    });
    expect(outcomes.slice(0, 2).map((o) => o.kind)).toEqual(['pending', 'pending']);
    const done = outcomes[2]!;
    if (done.kind !== 'complete') throw new Error('expected completion');
    const whole = decodeOk(domainLocation2019.hex);
    expect(decodeBody(done.header, done.body)).toEqual(whole.message);
    expect(done.header.bodyLength).toBe(38);
  });
});

describe('SmallChi/JT808 published frames', () => {
  it('0x0001 terminal general response: reply serial, reply id and result, and our encoder writes the same bytes', () => {
    const { header, message } = decodeOk(smallChi.terminalAck2013.hex);
    expect(header).toMatchObject({ messageId: MessageId.terminalAck, flavour: '2013', phone: '012345678900', serial: 1203 });
    expect(message).toEqual({ type: 'terminal-ack', repliedSerial: 1000, repliedMessageId: 0x0002, result: 0 });
    expect(toHex(encodeTerminalAck({ flavour: '2013', phone: '012345678900', serial: 1203 }, { repliedSerial: 1000, repliedMessageId: 0x0002, result: 0 }))).toBe(smallChi.terminalAck2013.hex);
  });

  it('a 0x0001 body shorter than 5 bytes is truncated, longer is length-mismatch', () => {
    const h = { messageId: MessageId.terminalAck, flavour: '2013' as const, phone: '012345678900', serial: 1 };
    expect(decodeError(frameWith(h, Uint8Array.of(3, 0xe8, 0, 2))).kind).toBe('truncated');
    expect(decodeError(frameWith(h, Uint8Array.of(3, 0xe8, 0, 2, 0, 0))).kind).toBe('length-mismatch');
  });
});
