import { connect } from 'node:net';
import { safeParseEvent } from '@dgt/events';
import type { LocationInput } from '@dgt/jt808';
import { GeneralAckResult, RegisterAckResult, encodePacket, fromHex } from '@dgt/jt808';
import { afterEach, describe, expect, it } from 'vitest';
import { hashAuthCode, simulatedFix } from '../src/index.ts';
import type { Harness } from './support/gatewayHarness.ts';
import { T0, eventually, startHarness } from './support/gatewayHarness.ts';

const fix = (k: number, over: Partial<LocationInput> = {}): LocationInput => ({ ...simulatedFix(1, k, T0 + k * 1000), ...over });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('registration and authentication', () => {
  it('registers a terminal whose 0x0100 matches its record: result 0 with a fresh random code, stored only hashed, which then authenticates', async () => {
    h = await startHarness();
    const t = await h.terminal('013912344329', '2013');
    const reg = await t.register();
    expect(reg).toMatchObject({ result: RegisterAckResult.ok, repliedSerial: 0 });
    expect(reg.authCode).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const stored = h.state.registration('13912344329');
    expect(stored?.codeSha256).toBe(hashAuthCode(reg.authCode!));
    expect(Object.values(stored!)).not.toContain(reg.authCode);
    expect((await t.authenticate(reg.authCode!)).result).toBe(GeneralAckResult.success);
    expect((await t.heartbeat()).result).toBe(GeneralAckResult.success);
    expect(await h.metric('dgt_jt808_registrations_total')).toBe(1);
  });

  it('registers in a 2019 header (20-digit phone, 11/30/30-byte identity fields), with a code other terminals do not share', async () => {
    h = await startHarness();
    const a = await h.loggedIn('00000000013900000001', '2019');
    const b = await h.loggedIn('013900000002', '2013');
    expect(a.authCode).not.toBe(b.authCode);
    expect((await a.heartbeat()).result).toBe(GeneralAckResult.success);
  });

  it('refuses an unknown terminal with 0x8100 result 4 and closes the connection', async () => {
    h = await startHarness();
    const t = await h.terminal('013999999999');
    expect((await t.register()).result).toBe(RegisterAckResult.noSuchTerminal);
    await t.closed;
    await eventually(async () => (await h!.metric('dgt_jt808_connections_closed_total', { reason: 'unknown-terminal' })) === 1);
  });

  it('answers a wrong auth code with failure and closes the connection', async () => {
    h = await startHarness();
    const t = await h.terminal('013912344329');
    expect((await t.register()).result).toBe(RegisterAckResult.ok);
    expect((await t.authenticate('not-the-code')).result).toBe(GeneralAckResult.failure);
    await t.closed;
    await eventually(async () => (await h!.metric('dgt_jt808_connections_closed_total', { reason: 'auth-failed' })) === 1);
    expect(await h.metric('dgt_jt808_refused_total', { reason: 'auth-failed' })).toBe(1);
  });

  it('refuses authentication of a terminal that never registered, whatever code it presents', async () => {
    h = await startHarness();
    const t = await h.terminal('013912344329');
    expect((await t.authenticate('guess')).result).toBe(GeneralAckResult.failure);
    await t.closed;
    expect(await h.metric('dgt_jt808_refused_total', { reason: 'not-registered' })).toBe(1);
  });

  it('refuses location reports and heartbeats before authentication, and counts them', async () => {
    h = await startHarness();
    const t = await h.terminal('013912344329');
    expect((await t.report(fix(0))).result).toBe(GeneralAckResult.failure);
    expect((await t.heartbeat()).result).toBe(GeneralAckResult.failure);
    expect(h.sentTo('positions')).toHaveLength(0);
    expect(await h.metric('dgt_jt808_refused_total', { reason: 'unauthenticated' })).toBe(2);
  });

  it('closes a connection that does not authenticate within the auth timeout', async () => {
    h = await startHarness({ authTimeoutMs: 100 });
    const t = await h.terminal('013912344329');
    await t.closed;
    await eventually(async () => (await h!.metric('dgt_jt808_connections_closed_total', { reason: 'auth-timeout' })) === 1);
  });

  it('replaces an older connection when the terminal authenticates again with its code, and logs and counts it', async () => {
    h = await startHarness();
    const first = await h.loggedIn('013912344329');
    const second = await h.terminal('013912344329', '2013', { authCode: first.authCode! });
    expect(await second.login()).toBe(first.authCode);
    await first.closed;
    expect((await second.report(fix(1))).result).toBe(GeneralAckResult.success);
    await eventually(async () => (await h!.metric('dgt_jt808_connections_closed_total', { reason: 'replaced' })) === 1);
    expect(h.logs.filter((l) => l.message.includes('previous one'))).toEqual([
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ phone: '13912344329' }) }),
    ]);
    // It re-registered nothing: one registration, one code.
    expect(await h.metric('dgt_jt808_registrations_total')).toBe(1);
  });

  it('acks a logout and closes', async () => {
    h = await startHarness();
    const t = await h.loggedIn('013912344329');
    expect((await t.logout()).result).toBe(GeneralAckResult.success);
    await t.closed;
    await eventually(async () => (await h!.metric('dgt_jt808_connections_closed_total', { reason: 'logout' })) === 1);
  });

  it('publishes TerminalRegistered (without code or hash) on the consignments topic keyed terminal:<phone>, and empties the outbox', async () => {
    h = await startHarness();
    const t = await h.loggedIn('013900000003');
    await eventually(() => h!.sentTo('consignments').length === 1);
    const [m] = h.sentTo('consignments');
    expect(m!.key).toBe('terminal:13900000003');
    expect(m!.headers?.['dgt-event-type']).toBe('TerminalRegistered');
    const parsed = safeParseEvent(m!.value);
    if (!parsed.ok) throw parsed.error;
    expect(parsed.event.data).toEqual({ phone: '13900000003', vehicleId: 'V0003', plateNo: '浙J·D0003', plateColour: 2, manufacturerId: 'DGTSM', terminalModel: 'DGT-SIM-808', terminalId: '0000003' });
    const text = JSON.stringify(m!.value);
    expect(text).not.toContain(t.authCode!);
    expect(text).not.toContain(hashAuthCode(t.authCode!));
    expect(h.state.pendingEventCount).toBe(0);
    // Positions go under the record's vehicleId.
    expect((await t.report(fix(3))).result).toBe(GeneralAckResult.success);
    expect(h.sentTo('positions').map((p) => p.key)).toEqual(['V0003']);
  });
});

describe('location reports', () => {
  it('publishes a report as VehiclePositionReported keyed by plate, with the event headers, then acks success', async () => {
    h = await startHarness();
    const t = await h.loggedIn('00000000013912344329', '2019');
    const ack = await t.report(fix(5, { latitude: 28.7, longitude: 121.5, speedKmh: 42.5, direction: 90, alarm: 1 << 1 }));
    expect(ack).toMatchObject({ result: GeneralAckResult.success, repliedMessageId: 0x0200 });
    const positions = h.bus.sent.filter((s) => s.topic === 'dg.positions');
    expect(positions).toHaveLength(1);
    const { topic, message } = positions[0]!;
    expect(topic).toBe('dg.positions');
    expect(message.key).toBe('浙J·12345');
    const parsed = safeParseEvent(JSON.parse(message.value.toString()));
    if (!parsed.ok) throw parsed.error;
    const e = parsed.event;
    expect(e).toMatchObject({ eventId: `jt808:13912344329:${T0 + 5000}`, type: 'VehiclePositionReported', occurredAt: new Date(T0 + 5000).toISOString() });
    expect(e.data).toEqual({ vehicleId: '浙J·12345', lat: 28.7, lon: 121.5, speedKmh: 42.5, headingDeg: 90 });
    expect(e.meta).toMatchObject({ source: 'jt808', phone: '13912344329', alarms: ['overspeed'], flavour: '2019' });
    expect(message.headers?.['dgt-event-type']).toBe('VehiclePositionReported');
    expect(message.headers?.['dgt-event-id']).toBe(e.eventId);
    expect(Number.isNaN(Date.parse(String(message.headers?.['dgt-ingested-at'])))).toBe(false);
  });

  it('acks only after the bus accepted the report', async () => {
    h = await startHarness();
    const t = await h.loggedIn('013912344329');
    h.bus.mode = 'hold';
    let acked = false;
    const ack = t.report(fix(1)).then((a) => {
      acked = true;
      return a;
    });
    await eventually(() => h!.bus.heldSends === 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(acked).toBe(false);
    h.bus.mode = 'pass';
    h.bus.release();
    expect((await ack).result).toBe(GeneralAckResult.success);
    expect(h.sentTo('positions')).toHaveLength(1);
  });

  it('acks failure when the bus refuses, and the re-sent report gets the same event id', async () => {
    h = await startHarness();
    const t = await h.loggedIn('013912344329');
    h.bus.mode = 'fail';
    expect((await t.report(fix(7))).result).toBe(GeneralAckResult.failure);
    expect(await h.metric('dgt_jt808_publish_failures_total')).toBe(1);
    h.bus.mode = 'pass';
    expect((await t.report(fix(7))).result).toBe(GeneralAckResult.success);
    expect(h.sentTo('positions').map((s) => s.headers?.['dgt-event-id'])).toEqual([`jt808:13912344329:${T0 + 7000}`]);
  });

  it('publishes on a fresh producer after the bus refused a send, and closes the refused one', async () => {
    h = await startHarness();
    const t = await h.loggedIn('013912344329');
    // The registration's event went out on the same producer first.
    await eventually(() => h!.sentTo('consignments').length === 1);
    expect((await t.report(fix(1))).result).toBe(GeneralAckResult.success);
    expect(h.bus.producers).toEqual([{ sent: 2, closed: false }]);
    h.bus.mode = 'fail';
    expect((await t.report(fix(2))).result).toBe(GeneralAckResult.failure);
    h.bus.mode = 'pass';
    expect((await t.report(fix(2))).result).toBe(GeneralAckResult.success);
    expect(h.bus.producers.map((p) => p.sent)).toEqual([2, 1]);
    await eventually(() => h!.bus.producers[0]?.closed === true);
    expect(h.bus.producers[1]?.closed).toBe(false);
  });

  it('acks but does not publish a fix without GNSS positioning', async () => {
    h = await startHarness();
    const t = await h.loggedIn('013912344329');
    expect((await t.report(fix(2, { status: 0b01 }))).result).toBe(GeneralAckResult.success);
    expect(h.sentTo('positions')).toHaveLength(0);
    expect(await h.metric('dgt_jt808_reports_skipped_total', { reason: 'no-fix' })).toBe(1);
  });

  it('publishes every fix of a 0x0704 back-fill batch, marked backfilled, with one ack', async () => {
    h = await startHarness();
    const t = await h.loggedIn('013912344329', '2019');
    expect((await t.batch(1, [fix(1), fix(2), fix(3)])).result).toBe(GeneralAckResult.success);
    const events = h.sentTo('positions').map((s) => s.value as { eventId: string; meta: { backfilled?: boolean } });
    expect(events).toHaveLength(3);
    expect(events.map((e) => e.eventId)).toEqual([1, 2, 3].map((k) => `jt808:13912344329:${T0 + k * 1000}`));
    expect(events.every((e) => e.meta.backfilled === true)).toBe(true);
  });

  it('reassembles a sub-packaged message, acking each part', async () => {
    h = await startHarness();
    const t = await h.loggedIn('013912344329');
    // A 0x0200 body split in two sub-packages by hand.
    const { encodeLocationBody } = await import('@dgt/jt808');
    const body = encodeLocationBody(fix(9));
    const parts = [body.subarray(0, 10), body.subarray(10)];
    const acks = await Promise.all(
      parts.map((part, i) =>
        t.request((a) => encodePacket({ messageId: 0x0200, flavour: '2013', phone: a.phone, serial: a.serial, subpacket: { total: 2, index: i + 1 } }, part)),
      ),
    );
    expect(acks.map((a) => a.result)).toEqual([0, 0]);
    expect(h.sentTo('positions').map((s) => s.headers?.['dgt-event-id'])).toEqual([`jt808:13912344329:${T0 + 9000}`]);
    expect(await h.metric('dgt_jt808_subpackage_bytes')).toBe(0);
  });

  it('answers an unsupported message id with result 3 and keeps the connection', async () => {
    h = await startHarness();
    const t = await h.loggedIn('013912344329');
    const reply = await t.request((a) => encodePacket({ messageId: 0x0900, flavour: '2013', phone: a.phone, serial: a.serial }, Uint8Array.of(1, 2, 3)));
    expect(reply).toMatchObject({ type: 'general-ack', result: GeneralAckResult.unsupported, repliedMessageId: 0x0900 });
    expect((await t.heartbeat()).result).toBe(GeneralAckResult.success);
    expect(await h.metric('dgt_jt808_decode_errors_total', { kind: 'unknown-message' })).toBe(1);
  });

  it('replies in the flavour the terminal used', async () => {
    h = await startHarness();
    const raw = connect({ host: '127.0.0.1', port: h.port });
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    await new Promise((r) => raw.once('connect', r));
    // The domain.md 2019 test frame, sent before authentication: answered 0x8001 failure in a 2019 header.
    raw.write(fromHex('7e02004026010000000001391234432900000000006f0000001601dc9a0707456246007b004200032501292233440202006401040000000c417e'));
    await eventually(() => chunks.length > 0);
    const reply = Buffer.concat(chunks);
    expect(reply[0]).toBe(0x7e);
    expect(reply.readUInt16BE(1)).toBe(0x8001);
    expect(reply.readUInt16BE(3) & 0x4000).toBe(0x4000);
    raw.destroy();
  });
});

describe('per-connection limits', () => {
  it('closes a client sending random bytes and counts it, while another terminal keeps working', async () => {
    h = await startHarness();
    const good = await h.loggedIn('013912344329');
    const bad = await h.terminal('013900000002');
    let seed = 42;
    const random = new Uint8Array(64 * 1024).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24) & 0xff);
    bad.sendRaw(random);
    await bad.closed;
    await eventually(async () => (await h!.metric('dgt_jt808_connections_closed_total', { reason: 'garbage' })) === 1);
    expect((await good.report(fix(3))).result).toBe(GeneralAckResult.success);
  });

  it('closes a client whose stream never contains a frame flag', async () => {
    h = await startHarness({ maxFrameBytes: 256 });
    const bad = await h.terminal('013900000002');
    bad.sendRaw(new Uint8Array(1024).fill(0x41));
    await bad.closed;
    await eventually(async () => (await h!.metric('dgt_jt808_connections_closed_total', { reason: 'garbage' })) === 1);
  });

  it('rejects frames above the maximum frame size as decode errors', async () => {
    h = await startHarness({ maxFrameBytes: 128, maxConsecutiveDecodeErrors: 2 });
    const t = await h.loggedIn('013912344329');
    const huge = new Uint8Array(600).fill(0x11);
    huge[0] = 0x7e;
    huge[599] = 0x7e;
    t.sendRaw(huge);
    t.sendRaw(huge);
    await t.closed;
    expect(await h.metric('dgt_jt808_decode_errors_total', { kind: 'frame-too-large' })).toBe(2);
  });

  it('closes a connection that exceeds its frames-per-second budget', async () => {
    h = await startHarness({ framesPerSecond: 5, frameBurst: 10 });
    const t = await h.loggedIn('013912344329');
    const acks = Array.from({ length: 30 }, () => t.heartbeat().catch(() => undefined));
    await t.closed;
    await Promise.all(acks);
    await eventually(async () => (await h!.metric('dgt_jt808_connections_closed_total', { reason: 'rate-limit' })) === 1);
  });

  it('closes a connection idle for longer than the idle timeout', async () => {
    h = await startHarness({ idleTimeoutMs: 150 });
    const t = await h.loggedIn('013912344329');
    const start = performance.now();
    await t.closed;
    expect(performance.now() - start).toBeGreaterThanOrEqual(100);
    await eventually(async () => (await h!.metric('dgt_jt808_connections_closed_total', { reason: 'idle' })) === 1);
  });

  it('pauses reading while too many reports wait for the bus and resumes when they are acked', async () => {
    h = await startHarness({ maxInFlightPerConnection: 4, frameBurst: 1000, framesPerSecond: 1000 });
    const t = await h.loggedIn('013912344329');
    h.bus.mode = 'hold';
    // One report per TCP segment, so the gateway can stop reading between them.
    const acks: Promise<{ result: number }>[] = [];
    for (let k = 0; k < 20; k++) {
      acks.push(t.report(fix(100 + k)));
      await new Promise((r) => setTimeout(r, 5));
    }
    await eventually(() => h!.bus.heldSends >= 1);
    expect(await h.metric('dgt_jt808_backpressure_pauses_total')).toBeGreaterThanOrEqual(1);
    // Paused at the limit: the rest waits in the kernel's socket buffers.
    expect(await h.metric('dgt_jt808_frames_total', { msg_id: '0x0200' })).toBe(4);
    h.bus.mode = 'pass';
    while (h.bus.heldSends > 0 || (await h.metric('dgt_jt808_frames_total', { msg_id: '0x0200' })) < 20) {
      h.bus.release();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await Promise.all(acks)).every((a) => a.result === GeneralAckResult.success)).toBe(true);
    expect(h.sentTo('positions')).toHaveLength(20);
  });

  it('counts frames by message id, connections and ack latency', async () => {
    h = await startHarness();
    const t = await h.loggedIn('013912344329');
    await t.report(fix(1));
    await t.heartbeat();
    expect(await h.metric('dgt_jt808_frames_total', { msg_id: '0x0200' })).toBe(1);
    expect(await h.metric('dgt_jt808_frames_total', { msg_id: '0x0002' })).toBe(1);
    expect(await h.metric('dgt_jt808_frames_total', { msg_id: '0x0100' })).toBe(1);
    expect(await h.metric('dgt_jt808_connections')).toBe(1);
    expect(await h.metric('dgt_jt808_connections_total')).toBe(1);
    expect(await h.metric('dgt_jt808_ack_seconds')).toBe(1);
    expect(await h.metric('dgt_jt808_reports_published_total')).toBe(1);
  });
});
