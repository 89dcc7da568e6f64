import { parseEvent, type EventOf } from '@dgt/events';
import { decodeFrame, encodeGbk, encodeGeneralAck, encodeLocationReport, encodePacket } from '@dgt/jt808';
import { describe, expect, it } from 'vitest';
import { fixOfPosition } from '../src/jt808/fixOfPosition.ts';
import { platformFrame } from '../src/jt808/platformFrame.ts';

const to = { flavour: '2019' as const, phone: '13912345678', serial: 31 };

describe('what a simulated terminal makes of a platform frame', () => {
  it('takes a 0x8300 text message as a command to answer, with its serial and id from the header and its text', () => {
    const frame = encodePacket({ messageId: 0x8300, flavour: '2019', phone: to.phone, serial: 4242 }, Uint8Array.of(0x08, ...encodeGbk('请减速慢行')));
    const f = platformFrame(frame);
    expect(f.kind).toBe('command');
    if (f.kind !== 'command') return;
    expect([f.header.messageId, f.header.serial, f.text]).toEqual([0x8300, 4242, '请减速慢行']);
  });

  it('answers a command whose body it cannot read: the 0x0001 needs only the header', () => {
    const f = platformFrame(encodePacket({ messageId: 0x8300, flavour: '2013', phone: to.phone, serial: 9 }, new Uint8Array(0)));
    expect(f).toMatchObject({ kind: 'command', text: undefined, header: { messageId: 0x8300, serial: 9 } });
    expect(platformFrame(encodePacket({ messageId: 0x8103, flavour: '2013', phone: to.phone, serial: 10 }, Uint8Array.of(1, 2, 3)))).toMatchObject({ kind: 'command', header: { messageId: 0x8103, serial: 10 } });
  });

  it('takes a 0x8001 as the reply to a request, not as a command', () => {
    const f = platformFrame(encodeGeneralAck(to, { repliedSerial: 5, repliedMessageId: 0x0200, result: 0 }));
    expect(f).toEqual({ kind: 'reply', reply: { type: 'general-ack', repliedSerial: 5, repliedMessageId: 0x0200, result: 0 } });
  });

  it('ignores a terminal message and a frame with a wrong check code', () => {
    expect(platformFrame(encodePacket({ messageId: 0x0002, flavour: '2013', phone: to.phone, serial: 1 }, new Uint8Array(0))).kind).toBe('ignored');
    const bad = encodePacket({ messageId: 0x8300, flavour: '2013', phone: to.phone, serial: 1 }, Uint8Array.of(0x08, 0x41));
    bad[bad.length - 2] = bad[bad.length - 2]! ^ 0x01;
    expect(platformFrame(bad).kind).toBe('ignored');
  });
});

describe('a simulated fix as a 0x0200 body', () => {
  it('carries the simulated position, speed, heading and time without loss', () => {
    const event = parseEvent({
      eventId: 'demo-1-V0001-1',
      type: 'VehiclePositionReported',
      occurredAt: '2026-03-02T08:15:07+08:00',
      data: { vehicleId: 'V0001', lat: 28.656123, lon: 121.421987, speedKmh: 57.3, headingDeg: 359 },
    }) as EventOf<'VehiclePositionReported'>;
    const r = decodeFrame(encodeLocationReport({ ...to, flavour: '2013' }, fixOfPosition(event)));
    expect(r.ok).toBe(true);
    if (!r.ok || r.value.kind !== 'message' || r.value.message.type !== 'location') throw new Error('not a location report');
    const m = r.value.message;
    expect([m.latitude, m.longitude, m.speedKmh, m.direction, m.timeMs, m.status.fixed, m.status.accOn]).toEqual([28.656123, 121.421987, 57.3, 359, Date.parse('2026-03-02T08:15:07+08:00'), true, true]);
  });
});
