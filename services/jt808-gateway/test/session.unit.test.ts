import type { Jt808Header, Jt808Message } from '@dgt/jt808';
import { GeneralAckResult, Jt808DecodeError, RegisterAckResult, decodeFrame, fromHex } from '@dgt/jt808';
import { describe, expect, it } from 'vitest';
import { Session, createTerminalRegistry } from '../src/index.ts';

const registry = createTerminalRegistry({ terminals: [{ phone: '013912344329', plate: '浙J·12345', authCode: 'abc' }] });
const session = () => new Session({ registry, publishUnfixed: false, maxConsecutiveDecodeErrors: 3 });
const header = (phone = '013912344329', messageId = 0x0200): Jt808Header => ({ messageId, flavour: '2013', protocolVersion: undefined, bodyLength: 0, encryption: 0, phone, serial: 7, subpacket: undefined, size: 12 });
const register: Jt808Message = { type: 'register', provinceId: 33, cityId: 1001, manufacturerId: 'M', terminalModel: 'X', terminalId: 'T', plateColor: 2, plate: 'P' };
const auth = (authCode: string): Jt808Message => ({ type: 'authenticate', authCode, imei: undefined, softwareVersion: undefined });
const domainFrame = decodeFrame(fromHex('7e02004026010000000001391234432900000000006f0000001601dc9a0707456246007b004200032501292233440202006401040000000c417e'));
if (!domainFrame.ok || domainFrame.value.kind !== 'message') throw new Error('domain test frame must decode');
const location = domainFrame.value;

describe('Session', () => {
  it('registers a known phone with its auth code and stays unauthenticated until it is presented', () => {
    const s = session();
    expect(s.onMessage(header(), register)).toEqual({ kind: 'register-ack', result: RegisterAckResult.ok, authCode: 'abc' });
    expect(s.state.kind).toBe('registered');
    expect(s.onMessage(header(), auth('abc'))).toEqual({ kind: 'general-ack', result: GeneralAckResult.success });
    expect(s.authenticatedPhone).toBe('13912344329');
  });

  it('refuses an unknown phone with register result 4 and asks to close', () => {
    expect(session().onMessage(header('013000000000'), register)).toEqual({ kind: 'register-ack', result: RegisterAckResult.noSuchTerminal, close: 'unknown-terminal' });
  });

  it('refuses a wrong auth code and an unknown phone on authentication, asking to close', () => {
    expect(session().onMessage(header(), auth('abd'))).toMatchObject({ result: GeneralAckResult.failure, close: 'auth-failed', refused: 'auth-failed' });
    expect(session().onMessage(header('013000000000'), auth('abc'))).toMatchObject({ result: GeneralAckResult.failure, close: 'unknown-terminal' });
  });

  it('turns a location report into a publish decision only after authentication, for the same terminal', () => {
    const s = session();
    expect(s.onMessage(location.header, location.message)).toMatchObject({ kind: 'general-ack', result: GeneralAckResult.failure, refused: 'unauthenticated' });
    s.onMessage(location.header, auth('abc'));
    const d = s.onMessage(location.header, location.message);
    expect(d.kind).toBe('publish');
    if (d.kind !== 'publish') return;
    expect(d.outcomes).toHaveLength(1);
    const o = d.outcomes[0]!;
    if (!o.ok) throw new Error('expected an event');
    // The domain.md frame: status has the south bit set, so the latitude is negative.
    expect(o.event.data).toEqual({ vehicleId: '浙J·12345', lat: -31.234567, lon: 121.987654, speedKmh: 6.6, headingDeg: 3 });
    expect(o.event.occurredAt).toBe('2025-01-29T14:33:44.000Z');
    // Another phone on the same connection is not authenticated.
    expect(s.onMessage(header('013900000001'), location.message)).toMatchObject({ refused: 'unauthenticated' });
  });

  it('acks heartbeats after authentication, and logout with a close', () => {
    const s = session();
    expect(s.onMessage(header(), { type: 'heartbeat' })).toMatchObject({ result: GeneralAckResult.failure });
    s.onMessage(header(), auth('abc'));
    expect(s.onMessage(header(), { type: 'heartbeat' })).toEqual({ kind: 'general-ack', result: GeneralAckResult.success });
    expect(s.onMessage(header(), { type: 'logout' })).toEqual({ kind: 'general-ack', result: GeneralAckResult.success, close: 'logout' });
  });

  it('answers platform messages sent by a terminal as unsupported', () => {
    expect(session().onMessage(header(), { type: 'general-ack', repliedSerial: 1, repliedMessageId: 2, result: 0 })).toEqual({ kind: 'general-ack', result: GeneralAckResult.unsupported });
  });

  it('answers unknown message ids "unsupported" without counting them as garbage', () => {
    const s = session();
    for (let i = 0; i < 5; i++) expect(s.onDecodeError(new Jt808DecodeError('unknown-message', 'x', header()))).toEqual({ reply: GeneralAckResult.unsupported, close: false });
  });

  it('asks to close after the configured number of consecutive undecodable frames; a good frame resets the count', () => {
    const s = session();
    const bad = new Jt808DecodeError('bad-checksum', 'x');
    expect(s.onDecodeError(bad).close).toBe(false);
    expect(s.onDecodeError(bad).close).toBe(false);
    s.onMessage(header(), { type: 'heartbeat' });
    expect(s.onDecodeError(bad).close).toBe(false);
    expect(s.onDecodeError(new Jt808DecodeError('truncated', 'x', header()))).toEqual({ reply: GeneralAckResult.badMessage, close: false });
    expect(s.onDecodeError(bad).close).toBe(true);
  });

  it('numbers its own frames and wraps the serial after 0xFFFF', () => {
    const s = session();
    const serials = Array.from({ length: 65_538 }, () => s.takeSerial());
    expect(serials.slice(0, 2)).toEqual([0, 1]);
    expect(serials.slice(-3)).toEqual([65_535, 0, 1]);
  });
});
