import type { DriverMessageRequestedData } from '@dgt/events';
import { isoUtc } from '@dgt/events';
import type { TextMessageInput } from '@dgt/jt808';
import { describe, expect, it } from 'vitest';
import type { DriverMessageOutcome, TerminalLink } from '../src/driverMessages/dispatcher.ts';
import { DriverMessageDispatcher } from '../src/driverMessages/dispatcher.ts';

const T = Date.parse('2026-03-05T10:00:00Z');

/** A connection that records what it was asked to write; `closing` makes it refuse like a connection going away. */
function link(vehicleId = 'V1', phone = '13900000001'): TerminalLink & { written: TextMessageInput[]; closing: boolean } {
  let serial = 40;
  const written: TextMessageInput[] = [];
  const l = {
    vehicleId,
    phone,
    written,
    closing: false,
    sendText(input: TextMessageInput): number | undefined {
      if (l.closing) return undefined;
      if ([...input.text].some((c) => c === '😀')) throw new Error('"😀" has no GBK code');
      written.push(input);
      return serial++;
    },
  };
  return l;
}

function setup(connectTimeoutMs = 60_000, replyTimeoutMs = 10_000) {
  const out: DriverMessageOutcome[] = [];
  const d = new DriverMessageDispatcher({ gatewayId: 'gw-a', connectTimeoutMs, replyTimeoutMs, emit: (e) => out.push(e) });
  const summary = () => out.map((e) => [e.type, e.eventId, 'reason' in e.data ? e.data.reason : undefined]);
  return { d, out, summary };
}

const request = (messageId: string, over: Partial<DriverMessageRequestedData> = {}): DriverMessageRequestedData =>
  ({ messageId, vehicleId: 'V1', text: '请驶离', display: true, tts: true, emergency: true, by: 'k', reason: 'officer', ...over }) as DriverMessageRequestedData;
const ack = (repliedSerial: number, result = 0, repliedMessageId = 0x8300) => ({ type: 'terminal-ack' as const, repliedSerial, repliedMessageId, result });

describe('DriverMessageDispatcher', () => {
  it('sends at once to a held terminal with the requested flags, and settles on the 0x0001 naming serial and 0x8300', () => {
    const { d, out, summary } = setup();
    const l = link();
    d.onAuthenticated(l, T);
    d.onRequested(request('dm-1'), isoUtc(T), T);
    expect(l.written).toEqual([{ text: '请驶离', display: true, tts: true, emergency: true }]);
    expect(out[0]).toEqual({ eventId: 'dm:dm-1:sent', type: 'DriverMessageSent', occurredAt: isoUtc(T), data: { messageId: 'dm-1', vehicleId: 'V1', terminalPhone: '13900000001', serial: 40, gatewayId: 'gw-a' } });
    expect(d.onTerminalAck(l, ack(40, 0, 0x8103), T)).toBe(false);
    expect(d.onTerminalAck(l, ack(41), T)).toBe(false);
    expect(d.onTerminalAck(l, ack(40), T + 500)).toBe(true);
    expect(summary()).toEqual([
      ['DriverMessageSent', 'dm:dm-1:sent', undefined],
      ['DriverMessageDelivered', 'dm:dm-1:delivered', undefined],
    ]);
    expect(d.counts).toEqual({ pending: 0, awaiting: 0 });
  });

  it('matches a reply only on the connection the 0x8300 went out on', () => {
    const { d, summary } = setup();
    const first = link();
    d.onAuthenticated(first, T);
    d.onRequested(request('dm-1'), isoUtc(T), T);
    const second = link();
    d.onAuthenticated(second, T + 1);
    expect(d.onTerminalAck(second, ack(40), T + 2)).toBe(false);
    expect(summary()).toEqual([['DriverMessageSent', 'dm:dm-1:sent', undefined]]);
  });

  it('keeps a request for a terminal going away and sends it on the terminal’s next connection', () => {
    const { d, summary } = setup();
    const old = link();
    d.onAuthenticated(old, T);
    old.closing = true;
    d.onRequested(request('dm-1'), isoUtc(T), T);
    expect(d.counts.pending).toBe(1);
    const fresh = link();
    d.onAuthenticated(fresh, T + 1000);
    expect(fresh.written).toHaveLength(1);
    expect(summary()).toEqual([['DriverMessageSent', 'dm:dm-1:sent', undefined]]);
  });

  it('gives up: not-connected after the connect timeout (its own step id), no-reply after the reply timeout, not-encodable at once', () => {
    const { d, summary } = setup(60_000, 10_000);
    d.onRequested(request('dm-nobody', { vehicleId: 'V2' }), isoUtc(T), T);
    const l = link();
    d.onAuthenticated(l, T);
    d.onRequested(request('dm-silent'), isoUtc(T), T);
    d.onRequested(request('dm-emoji', { text: '😀' }), isoUtc(T), T);
    d.tick(T + 9_999);
    expect(summary()).toEqual([
      ['DriverMessageSent', 'dm:dm-silent:sent', undefined],
      ['DriverMessageUndeliverable', 'dm:dm-emoji:undeliverable', 'not-encodable'],
    ]);
    d.tick(T + 10_000);
    d.tick(T + 60_000);
    expect(summary().slice(2)).toEqual([
      ['DriverMessageUndeliverable', 'dm:dm-silent:undeliverable', 'no-reply'],
      ['DriverMessageUndeliverable', 'dm:dm-nobody:not-connected', 'not-connected'],
    ]);
  });

  it('gives a request read late (past its deadline) 5 s for another gateway’s outcome before saying not-connected', () => {
    const { d, summary } = setup(60_000);
    const readAt = T + 3_600_000;
    d.onRequested(request('dm-late'), isoUtc(T), readAt);
    d.tick(readAt + 4_999);
    expect(summary()).toEqual([]);
    d.tick(readAt + 5_000);
    expect(summary()).toEqual([['DriverMessageUndeliverable', 'dm:dm-late:not-connected', 'not-connected']]);
  });

  it('forgets a request another gateway settled, ignores its own echoes, and sends a duplicate request once', () => {
    const { d, summary } = setup();
    d.onRequested(request('dm-elsewhere'), isoUtc(T), T);
    d.onOutcome({ eventId: 'dm:dm-elsewhere:sent', type: 'DriverMessageSent', occurredAt: isoUtc(T), data: { messageId: 'dm-elsewhere', vehicleId: 'V1', terminalPhone: '1', serial: 1, gatewayId: 'gw-b' } }, T);
    const l = link();
    d.onAuthenticated(l, T);
    expect(l.written).toEqual([]);
    d.onRequested(request('dm-1'), isoUtc(T), T);
    d.onOutcome({ eventId: 'dm:dm-1:sent', type: 'DriverMessageSent', occurredAt: isoUtc(T), data: { messageId: 'dm-1', vehicleId: 'V1', terminalPhone: '1', serial: 40, gatewayId: 'gw-a' } }, T);
    d.onRequested(request('dm-1'), isoUtc(T), T);
    d.onTerminalAck(l, ack(40), T);
    d.onRequested(request('dm-1'), isoUtc(T), T + 1);
    d.tick(T + 3_600_000);
    expect(l.written).toHaveLength(1);
    expect(summary()).toEqual([
      ['DriverMessageSent', 'dm:dm-1:sent', undefined],
      ['DriverMessageDelivered', 'dm:dm-1:delivered', undefined],
    ]);
  });
});
