/**
 * What real terminals (and go-jt808, used to test the gateway from outside) send that the
 * gateway must take in its stride: reports without a fix or time, sub-packaged uploads it has no
 * use for, and answers to its own commands. Real TCP on loopback.
 */
import { GeneralAckResult, encodeTerminalAck } from '@dgt/jt808';
import { afterEach, describe, expect, it } from 'vitest';
import { simulatedFix } from '../src/index.ts';
import type { Harness } from './support/gatewayHarness.ts';
import { T0, eventually, startHarness } from './support/gatewayHarness.ts';
import { locationWithTimeBytes, subpackage } from './support/rawFrames.ts';

const PHONE = '013912344329';
const ZERO_TIME = [0, 0, 0, 0, 0, 0];
const unfixed = { ...simulatedFix(1, 1, T0), status: 0b01 };
const positioned = { ...simulatedFix(1, 1, T0), status: 0b11 };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('reports without a usable time', () => {
  it('acks ten unfixed 0x0200 in a row whose BCD time is all zeros, publishes none, and keeps the connection', async () => {
    h = await startHarness();
    const t = await h.loggedIn(PHONE);
    for (let i = 0; i < 10; i++) {
      const ack = await t.request((a) => locationWithTimeBytes(a, unfixed, ZERO_TIME));
      expect(ack).toMatchObject({ type: 'general-ack', result: GeneralAckResult.success, repliedMessageId: 0x0200 });
    }
    expect((await t.heartbeat()).result).toBe(GeneralAckResult.success);
    expect(t.isClosed).toBe(false);
    expect(h.sentTo('positions')).toHaveLength(0);
    expect(await h.metric('dgt_jt808_reports_skipped_total', { reason: 'no-fix' })).toBe(10);
    expect(await h.metric('dgt_jt808_decode_errors_total')).toBe(0);
    expect(await h.metric('dgt_jt808_connections_closed_total', { reason: 'garbage' })).toBe(0);
  });

  it('refuses ten positioned 0x0200 with an impossible time as "bad message", without counting them as garbage', async () => {
    h = await startHarness({ maxConsecutiveDecodeErrors: 5 });
    const t = await h.loggedIn(PHONE);
    for (const time of [ZERO_TIME, [0x25, 0x02, 0x30, 0, 0, 0], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]]) {
      for (let i = 0; i < 4; i++) expect((await t.request((a) => locationWithTimeBytes(a, positioned, time))).result).toBe(GeneralAckResult.badMessage);
    }
    expect((await t.heartbeat()).result).toBe(GeneralAckResult.success);
    expect(h.sentTo('positions')).toHaveLength(0);
    expect(await h.metric('dgt_jt808_fixes_refused_total', { reason: 'bad-time' })).toBe(12);
    expect(await h.metric('dgt_jt808_connections_closed_total', { reason: 'garbage' })).toBe(0);
  });
});

describe('sub-packaged messages', () => {
  it('refuses a 0x0801 upload of more than 256 parts at part 1 with result 3 and buffers none of it', async () => {
    h = await startHarness();
    const t = await h.loggedIn(PHONE, '2019');
    for (const index of [1, 2, 3]) {
      const reply = await t.request((a) => subpackage(a, 0x0801, 300, index, 900));
      expect(reply).toMatchObject({ type: 'general-ack', result: GeneralAckResult.unsupported, repliedMessageId: 0x0801 });
      expect(await h.metric('dgt_jt808_subpackage_bytes')).toBe(0);
    }
    expect((await t.heartbeat()).result).toBe(GeneralAckResult.success);
    expect(await h.metric('dgt_jt808_connections_closed_total', { reason: 'garbage' })).toBe(0);
  });

  it('refuses an unsupported multi-part message even with few parts, at its first part', async () => {
    h = await startHarness();
    const t = await h.loggedIn(PHONE);
    expect((await t.request((a) => subpackage(a, 0x0801, 2, 1, 500))).result).toBe(GeneralAckResult.unsupported);
    expect(await h.metric('dgt_jt808_subpackage_bytes')).toBe(0);
  });

  it('refuses a 0x0704 announcing more parts than the limit at its first part, storing nothing', async () => {
    h = await startHarness();
    const t = await h.loggedIn(PHONE);
    expect((await t.request((a) => subpackage(a, 0x0704, 257, 1, 1000))).result).toBe(GeneralAckResult.unsupported);
    expect(await h.metric('dgt_jt808_subpackage_bytes')).toBe(0);
  });

  it('keeps the bytes held for one terminal within the limit, refusing the part that would exceed it', async () => {
    h = await startHarness({ maxPendingSubpackageBytes: 2_500, frameBurst: 1000, framesPerSecond: 1000 });
    const t = await h.loggedIn(PHONE);
    expect((await t.request((a) => subpackage(a, 0x0704, 10, 1, 1000))).result).toBe(GeneralAckResult.success);
    expect((await t.request((a) => subpackage(a, 0x0704, 10, 2, 1000))).result).toBe(GeneralAckResult.success);
    expect(await h.metric('dgt_jt808_subpackage_bytes')).toBe(2000);
    expect((await t.request((a) => subpackage(a, 0x0704, 10, 3, 1000))).result).toBe(GeneralAckResult.unsupported);
    expect(await h.metric('dgt_jt808_subpackage_bytes')).toBeLessThanOrEqual(2_500);
    await t.close();
    await eventually(async () => (await h!.metric('dgt_jt808_subpackage_bytes')) === 0);
  });

  it('buffers nothing for a connection that has not authenticated', async () => {
    h = await startHarness();
    const t = await h.terminal(PHONE);
    expect((await t.request((a) => subpackage(a, 0x0704, 2, 1, 800))).result).toBe(GeneralAckResult.failure);
    expect(await h.metric('dgt_jt808_subpackage_bytes')).toBe(0);
    expect(await h.metric('dgt_jt808_refused_total', { reason: 'unauthenticated' })).toBe(1);
  });
});

describe('terminal general responses (0x0001)', () => {
  it('consumes them without any reply, before and after authentication, and counts them by result', async () => {
    h = await startHarness();
    const t = await h.terminal(PHONE);
    t.sendRaw(encodeTerminalAck({ flavour: '2013', phone: PHONE, serial: 900 }, { repliedSerial: 7, repliedMessageId: 0x8300, result: 0 }));
    await t.login();
    t.sendRaw(encodeTerminalAck({ flavour: '2013', phone: PHONE, serial: 901 }, { repliedSerial: 8, repliedMessageId: 0x8300, result: 3 }));
    // Replies leave in frame order: once the heartbeat is answered, any answer to a 0x0001 would have arrived.
    expect((await t.heartbeat()).result).toBe(GeneralAckResult.success);
    expect(t.strayReplies).toEqual([]);
    expect(await h.metric('dgt_jt808_terminal_responses_total', { result: 'success' })).toBe(1);
    expect(await h.metric('dgt_jt808_terminal_responses_total', { result: 'unsupported' })).toBe(1);
    expect(await h.metric('dgt_jt808_frames_total', { msg_id: '0x0001' })).toBe(2);
  });

  it('does not answer a malformed 0x0001 either', async () => {
    h = await startHarness();
    const t = await h.loggedIn(PHONE);
    const { encodePacket } = await import('@dgt/jt808');
    t.sendRaw(encodePacket({ messageId: 0x0001, flavour: '2013', phone: PHONE, serial: 902 }, Uint8Array.of(0, 1, 0x83)));
    expect((await t.heartbeat()).result).toBe(GeneralAckResult.success);
    expect(t.strayReplies).toEqual([]);
  });
});
