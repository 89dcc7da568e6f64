import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Jt808Header, Jt808Message } from '@dgt/jt808';
import { GeneralAckResult, Jt808DecodeError, RegisterAckResult, decodeFrame, fromHex } from '@dgt/jt808';
import { afterAll, describe, expect, it } from 'vitest';
import { Session, TerminalRegistrar, createTerminalRecords, openTerminalStateStore, simulatedTerminalEntry } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'jt808-session-'));
const stores: { close(): void }[] = [];
afterAll(() => {
  for (const s of stores) s.close();
  rmSync(dir, { recursive: true, force: true });
});

const RECEIVED = Date.parse('2025-01-29T14:35:00Z');
const window = { maxFutureSkewMs: 300_000, backfillWindowMs: 7 * 86_400_000 };
let n = 0;
/** A session over a fresh state store; `registered` pre-registers the terminal and returns its code. */
function setup() {
  const store = openTerminalStateStore({ path: join(dir, `s${n++}.sqlite`), create: true });
  stores.push(store);
  const registrar = new TerminalRegistrar({ records: createTerminalRecords([simulatedTerminalEntry('013912344329', '浙J·12345')]), store });
  const session = () => new Session({ registrar, publishUnfixed: false, maxConsecutiveDecodeErrors: 3, window });
  return { store, registrar, session };
}
const header = (phone = '013912344329', messageId = 0x0200): Jt808Header => ({ messageId, flavour: '2013', protocolVersion: undefined, bodyLength: 0, encryption: 0, phone, serial: 7, subpacket: undefined, size: 12 });
const register: Jt808Message = { type: 'register', provinceId: 33, cityId: 1001, manufacturerId: 'DGTSM', terminalModel: 'DGT-SIM-808', terminalId: '2344329', plateColor: 2, plate: '浙J12345' };
const auth = (authCode: string): Jt808Message => ({ type: 'authenticate', authCode, imei: undefined, softwareVersion: undefined });
const domainFrame = decodeFrame(fromHex('7e02004026010000000001391234432900000000006f0000001601dc9a0707456246007b004200032501292233440202006401040000000c417e'));
if (!domainFrame.ok || domainFrame.value.kind !== 'message') throw new Error('domain test frame must decode');
const location = domainFrame.value;

function registered(s: Session): string {
  const d = s.onMessage(header(), register, RECEIVED);
  if (d.kind !== 'register-ack' || d.authCode === undefined) throw new Error(`registration refused: ${JSON.stringify(d)}`);
  return d.authCode;
}

describe('Session', () => {
  it('registers a matching body with a fresh code and stays unauthenticated until that code is presented', () => {
    const { session } = setup();
    const s = session();
    const code = registered(s);
    expect(s.state.kind).toBe('registered');
    expect(s.onMessage(header(), auth(code), RECEIVED)).toEqual({ kind: 'general-ack', result: GeneralAckResult.success });
    expect(s.authenticatedPhone).toBe('13912344329');
  });

  it('refuses an unknown phone with register result 4 and asks to close', () => {
    const { session } = setup();
    expect(session().onMessage(header('013000000000'), register, RECEIVED)).toEqual({ kind: 'register-ack', result: RegisterAckResult.noSuchTerminal, refused: 'unknown-terminal', close: 'unknown-terminal' });
  });

  it('refuses a second registration with result 3 but leaves the connection of the terminal already authenticated on it', () => {
    const { session } = setup();
    const s = session();
    const code = registered(s);
    expect(session().onMessage(header(), register, RECEIVED)).toEqual({ kind: 'register-ack', result: RegisterAckResult.terminalAlreadyRegistered, refused: 'terminal-already-registered', close: 'register-refused' });
    s.onMessage(header(), auth(code), RECEIVED);
    expect(s.onMessage(header(), register, RECEIVED)).toEqual({ kind: 'register-ack', result: RegisterAckResult.terminalAlreadyRegistered, refused: 'terminal-already-registered' });
  });

  it('refuses a wrong auth code and an unknown phone on authentication, asking to close', () => {
    const { session } = setup();
    registered(session());
    expect(session().onMessage(header(), auth('abd'), RECEIVED)).toMatchObject({ result: GeneralAckResult.failure, close: 'auth-failed', refused: 'auth-failed' });
    expect(session().onMessage(header('013000000000'), auth('abc'), RECEIVED)).toMatchObject({ result: GeneralAckResult.failure, close: 'unknown-terminal' });
  });

  it('turns a location report into a publish decision only after authentication, for the same terminal', () => {
    const { session } = setup();
    const s = session();
    expect(s.onMessage(location.header, location.message, RECEIVED)).toMatchObject({ kind: 'general-ack', result: GeneralAckResult.failure, refused: 'unauthenticated' });
    const code = registered(s);
    s.onMessage(location.header, auth(code), RECEIVED);
    const d = s.onMessage(location.header, location.message, RECEIVED);
    if (d.kind !== 'publish') throw new Error(d.kind);
    expect(d.outcomes).toHaveLength(1);
    const o = d.outcomes[0]!;
    if (o.kind !== 'event') throw new Error(o.kind);
    // The domain.md frame: status has the south bit set, so the latitude is negative.
    expect(o.event.data).toEqual({ vehicleId: '浙J·12345', lat: -31.234567, lon: 121.987654, speedKmh: 6.6, headingDeg: 3 });
    expect(o.event.occurredAt).toBe('2025-01-29T14:33:44.000Z');
    // Another phone on the same connection is not authenticated.
    expect(s.onMessage(header('013900000001'), location.message, RECEIVED)).toMatchObject({ refused: 'unauthenticated' });
  });

  it('answers a lone positioned fix far from the receipt time "bad message", naming the reason', () => {
    const { session } = setup();
    const s = session();
    s.onMessage(location.header, auth(registered(s)), RECEIVED);
    expect(s.onMessage(location.header, location.message, RECEIVED - 301_000 - 76_000)).toEqual({ kind: 'general-ack', result: GeneralAckResult.badMessage, fixRefused: 'future' });
    expect(s.onMessage(location.header, location.message, RECEIVED + 8 * 86_400_000)).toEqual({ kind: 'general-ack', result: GeneralAckResult.badMessage, fixRefused: 'too-old' });
  });

  it('acks heartbeats after authentication, and logout with a close', () => {
    const { session } = setup();
    const s = session();
    expect(s.onMessage(header(), { type: 'heartbeat' }, RECEIVED)).toMatchObject({ result: GeneralAckResult.failure });
    s.onMessage(header(), auth(registered(s)), RECEIVED);
    expect(s.onMessage(header(), { type: 'heartbeat' }, RECEIVED)).toEqual({ kind: 'general-ack', result: GeneralAckResult.success });
    expect(s.onMessage(header(), { type: 'logout' }, RECEIVED)).toEqual({ kind: 'general-ack', result: GeneralAckResult.success, close: 'logout' });
  });

  it('consumes a terminal general response without a reply', () => {
    const { session } = setup();
    expect(session().onMessage(header(), { type: 'terminal-ack', repliedSerial: 1, repliedMessageId: 0x8300, result: 0 }, RECEIVED)).toEqual({ kind: 'consume', terminalResult: 0 });
  });

  it('answers platform messages sent by a terminal as unsupported', () => {
    const { session } = setup();
    expect(session().onMessage(header(), { type: 'general-ack', repliedSerial: 1, repliedMessageId: 2, result: 0 }, RECEIVED)).toEqual({ kind: 'general-ack', result: GeneralAckResult.unsupported });
  });

  it('answers unknown message ids and sub-packages it will not reassemble "unsupported" without counting them as garbage', () => {
    const { session } = setup();
    const s = session();
    for (let i = 0; i < 5; i++) expect(s.onDecodeError(new Jt808DecodeError('unknown-message', 'x', header()))).toEqual({ reply: GeneralAckResult.unsupported, close: false });
    for (let i = 0; i < 5; i++) expect(s.onDecodeError(new Jt808DecodeError('subpackage-limit', 'x', header(undefined, 0x0801)))).toEqual({ reply: GeneralAckResult.unsupported, close: false });
  });

  it('asks to close after the configured number of consecutive undecodable frames; a good frame resets the count', () => {
    const { session } = setup();
    const s = session();
    const bad = new Jt808DecodeError('bad-checksum', 'x');
    expect(s.onDecodeError(bad).close).toBe(false);
    expect(s.onDecodeError(bad).close).toBe(false);
    s.onMessage(header(), { type: 'heartbeat' }, RECEIVED);
    expect(s.onDecodeError(bad).close).toBe(false);
    expect(s.onDecodeError(new Jt808DecodeError('truncated', 'x', header()))).toEqual({ reply: GeneralAckResult.badMessage, close: false });
    expect(s.onDecodeError(bad).close).toBe(true);
  });

  it('never answers an undecodable terminal general response', () => {
    const { session } = setup();
    expect(session().onDecodeError(new Jt808DecodeError('truncated', 'x', header(undefined, 0x0001)))).toEqual({ reply: undefined, close: false });
  });

  it('numbers its own frames and wraps the serial after 0xFFFF', () => {
    const { session } = setup();
    const s = session();
    const serials = Array.from({ length: 65_538 }, () => s.takeSerial());
    expect(serials.slice(0, 2)).toEqual([0, 1]);
    expect(serials.slice(-3)).toEqual([65_535, 0, 1]);
  });
});
