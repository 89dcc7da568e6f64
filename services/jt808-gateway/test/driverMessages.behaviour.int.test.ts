/**
 * Messages to drivers (0x8300) over real TCP on loopback: a `DriverMessageRequested` on the
 * consignments topic reaches the terminal this gateway holds, and the terminal's 0x0001 (or its
 * silence, or its absence) becomes the message's outcome on the same topic.
 */
import { topicNames } from '@dgt/bus';
import type { DriverMessageRequestedData } from '@dgt/events';
import { driverMessageEventId, isoUtc, parseEvent } from '@dgt/events';
import { TextFlag } from '@dgt/jt808';
import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from './support/gatewayHarness.ts';
import { eventually, startHarness } from './support/gatewayHarness.ts';

const PHONE = '013900000003';
const VEHICLE = 'V0003';
const LOT_TEXT = '您已在非指定地点停车，请驶入最近的危险货物专用停车场：椒江危险货物专用停车场，约 3.2 公里';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function request(messageId: string, overrides: Partial<DriverMessageRequestedData> = {}): DriverMessageRequestedData {
  return { messageId, vehicleId: VEHICLE, text: LOT_TEXT, display: true, tts: true, emergency: false, by: 'officer-wang', reason: 'officer', ...overrides } as DriverMessageRequestedData;
}

async function publish(harness: Harness, type: string, eventId: string, occurredAt: string, data: unknown): Promise<void> {
  const producer = harness.bus.producer();
  await producer.send(topicNames().consignments, [{ key: VEHICLE, value: JSON.stringify({ eventId, type, occurredAt, data }), headers: { 'dgt-event-type': type, 'dgt-event-id': eventId } }]);
}

async function requestMessage(harness: Harness, data: DriverMessageRequestedData, occurredAt = isoUtc(harness.now)): Promise<void> {
  await publish(harness, 'DriverMessageRequested', driverMessageEventId(data.messageId, 'requested'), occurredAt, data);
}

/** Outcomes this gateway published, each checked against the catalog. */
function outcomes(harness: Harness): { type: string; data: Record<string, unknown>; key: string }[] {
  return harness
    .sentTo('consignments')
    .filter((m) => typeof m.value.type === 'string' && ['DriverMessageSent', 'DriverMessageDelivered', 'DriverMessageUndeliverable'].includes(m.value.type))
    .map((m) => {
      const event = parseEvent(m.value);
      return { type: event.type, data: event.data as Record<string, unknown>, key: m.key };
    });
}

describe('a requested message reaches the terminal this gateway holds', () => {
  it.each(['2013', '2019'] as const)('%s: sends 0x8300 with the GBK text, display and TTS flags, and the 0x0001 reply marks it delivered', async (flavour) => {
    h = await startHarness({ gatewayId: 'gw-a' });
    const t = await h.loggedIn(PHONE, flavour);
    await requestMessage(h, request('dm-desk-1'));
    await eventually(() => outcomes(h!).some((o) => o.type === 'DriverMessageDelivered'));
    expect(t.texts).toHaveLength(1);
    const { header, message } = t.texts[0]!;
    expect(header).toMatchObject({ messageId: 0x8300, flavour });
    expect(message).toMatchObject({ text: LOT_TEXT, display: true, tts: true, emergency: false, flags: TextFlag.display | TextFlag.tts, textType: flavour === '2019' ? 1 : undefined });
    const common = { messageId: 'dm-desk-1', vehicleId: VEHICLE, terminalPhone: '13900000003', serial: header.serial, gatewayId: 'gw-a' };
    expect(outcomes(h)).toEqual([
      { type: 'DriverMessageSent', key: VEHICLE, data: common },
      { type: 'DriverMessageDelivered', key: VEHICLE, data: common },
    ]);
    const events = h.sentTo('consignments').filter((m) => m.value.type === 'DriverMessageDelivered');
    expect(events[0]!.value.eventId).toBe('dm:dm-desk-1:delivered');
    expect(await h.metric('dgt_jt808_driver_messages_total', { outcome: 'sent' })).toBe(1);
    expect(await h.metric('dgt_jt808_driver_messages_total', { outcome: 'delivered' })).toBe(1);
    // The terminal's 0x0001 needs no answer, and gets none.
    expect(t.strayReplies).toHaveLength(0);
  });

  it('sends a message requested before the terminal connected once it authenticates, within the connect timeout', async () => {
    h = await startHarness({ gatewayId: 'gw-a', messageConnectTimeoutMs: 60_000 });
    await requestMessage(h, request('dm-early'));
    await h.gateway.checkDriverMessages();
    expect(outcomes(h)).toEqual([]);
    const t = await h.loggedIn(PHONE);
    await eventually(() => outcomes(h!).some((o) => o.type === 'DriverMessageDelivered'));
    expect(t.texts.map((x) => x.message.text)).toEqual([LOT_TEXT]);
  });

  it('sends a request published twice only once', async () => {
    h = await startHarness({ gatewayId: 'gw-a' });
    const t = await h.loggedIn(PHONE);
    await requestMessage(h, request('dm-twice'));
    await requestMessage(h, request('dm-twice'));
    await eventually(() => outcomes(h!).some((o) => o.type === 'DriverMessageDelivered'));
    await requestMessage(h, request('dm-twice'));
    await requestMessage(h, request('dm-other', { text: '请注意安全' }));
    await eventually(() => t.texts.length === 2);
    expect(t.texts.map((x) => x.message.text)).toEqual([LOT_TEXT, '请注意安全']);
  });
});

describe('a message that does not arrive', () => {
  it('is undeliverable as not-connected when no terminal of the vehicle connects within the timeout', async () => {
    h = await startHarness({ gatewayId: 'gw-a', messageConnectTimeoutMs: 60_000 });
    const requestedAt = h.now;
    await requestMessage(h, request('dm-nobody'), isoUtc(requestedAt));
    await eventually(async () => {
      await h!.gateway.checkDriverMessages();
      return (await h!.metric('dgt_jt808_driver_messages_waiting', { state: 'pending' })) === 1;
    });
    h.now = requestedAt + 59_000;
    await h.gateway.checkDriverMessages();
    expect(outcomes(h)).toEqual([]);
    h.now = requestedAt + 60_001;
    await h.gateway.checkDriverMessages();
    expect(outcomes(h)).toEqual([{ type: 'DriverMessageUndeliverable', key: VEHICLE, data: { messageId: 'dm-nobody', vehicleId: VEHICLE, reason: 'not-connected', gatewayId: 'gw-a', timeoutMs: 60_000 } }]);
    expect(await h.metric('dgt_jt808_driver_messages_total', { outcome: 'not-connected' })).toBe(1);
  });

  it('is undeliverable as refused when the terminal answers 0x0001 result 3 (unsupported)', async () => {
    h = await startHarness({ gatewayId: 'gw-a' });
    const t = await h.terminal(PHONE, '2013', { textReply: 3 });
    await t.login();
    await requestMessage(h, request('dm-refused'));
    await eventually(() => outcomes(h!).some((o) => o.type === 'DriverMessageUndeliverable'));
    expect(outcomes(h).at(-1)!.data).toMatchObject({ messageId: 'dm-refused', reason: 'refused', terminalResult: 3, terminalPhone: '13900000003' });
    expect(await h.metric('dgt_jt808_driver_messages_total', { outcome: 'refused' })).toBe(1);
  });

  it('is undeliverable as no-reply when the terminal never answers within the reply timeout', async () => {
    h = await startHarness({ gatewayId: 'gw-a', messageReplyTimeoutMs: 30_000 });
    const t = await h.terminal(PHONE, '2019', { textReply: null });
    await t.login();
    await requestMessage(h, request('dm-silent'));
    await eventually(() => t.texts.length === 1);
    h.now += 30_001;
    await h.gateway.checkDriverMessages();
    expect(outcomes(h).map((o) => [o.type, o.data.reason])).toEqual([
      ['DriverMessageSent', undefined],
      ['DriverMessageUndeliverable', 'no-reply'],
    ]);
    expect(outcomes(h)[1]!.data).toMatchObject({ serial: t.texts[0]!.header.serial, timeoutMs: 30_000 });
  });
});

describe('several gateways', () => {
  it('leaves a message another gateway sent alone: no not-connected from this one', async () => {
    h = await startHarness({ gatewayId: 'gw-a', messageConnectTimeoutMs: 60_000 });
    const requestedAt = h.now;
    await requestMessage(h, request('dm-elsewhere'), isoUtc(requestedAt));
    const pending = async () => {
      await h!.gateway.checkDriverMessages();
      return h!.metric('dgt_jt808_driver_messages_waiting', { state: 'pending' });
    };
    await eventually(async () => (await pending()) === 1);
    await publish(h, 'DriverMessageSent', driverMessageEventId('dm-elsewhere', 'sent'), isoUtc(requestedAt + 10), {
      messageId: 'dm-elsewhere',
      vehicleId: VEHICLE,
      terminalPhone: '13900000003',
      serial: 4,
      gatewayId: 'gw-b',
    });
    await eventually(async () => (await pending()) === 0);
    h.now = requestedAt + 120_000;
    await h.gateway.checkDriverMessages();
    expect(outcomes(h).filter((o) => o.data.gatewayId === 'gw-a')).toEqual([]);
  });
});

describe('bad requests on the topic', () => {
  it('skips a request that is not a valid event, counts it and logs the field', async () => {
    h = await startHarness({ gatewayId: 'gw-a' });
    const t = await h.loggedIn(PHONE);
    await publish(h, 'DriverMessageRequested', 'dm:dm-bad:requested', isoUtc(h.now), { ...request('dm-bad'), text: '' });
    await eventually(async () => (await h!.metric('dgt_jt808_driver_message_events_invalid_total')) === 1);
    const line = h.logs.find((l) => l.message === 'driver message event is invalid; skipped');
    expect(String(line?.fields?.error)).toContain('data.text');
    expect(t.texts).toHaveLength(0);
    expect(outcomes(h)).toEqual([]);
  });
});
