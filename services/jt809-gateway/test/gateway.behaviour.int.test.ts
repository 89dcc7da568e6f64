/**
 * The gateway over loopback TCP with simulated platforms (real sockets, frames from @dgt/jt809's
 * encodeFrame): logins, both editions with and without encryption, fixes, back-fills,
 * registrations, alarms, vehicles the platform may not speak for, garbage, link loss and the
 * down link.
 */
import { connect } from 'node:net';
import { LoginResult, crc16, encodeHeader, escapeFrame } from '@dgt/jt809';
import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from './harness.ts';
import { startHarness } from './harness.ts';
import { simulatedFixInput } from '../src/index.ts';
import { T0, keys, platformEntry } from './support.ts';

const vehicles = [
  { vehicleId: 'V1', plateNo: '浙J·10001', carrierId: 'C-A', terminalPhone: '13900000001' },
  { vehicleId: 'V2', plateNo: '浙J·10002', carrierId: 'C-A' },
  { vehicleId: 'V3', plateNo: '浙J·10003', carrierId: 'C-B' },
];
const credentials = { accessCode: 33010001, userId: 7001, password: 'pass1234' };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const positions = (x: Harness) => x.published.filter((p) => p.event.type === 'VehiclePositionReported');

describe('login (0x1001 → 0x1002)', () => {
  it.each([
    ['a wrong password', { password: 'wrong' }, LoginResult.badPassword, 'bad-password'],
    ['an unknown access code', { accessCode: 1 }, LoginResult.badAccessCode, 'unknown-access-code'],
    ['an unknown user id', { userId: 1 }, LoginResult.unknownUser, 'unknown-user'],
  ] as const)('is refused for %s with its result code, and the connection is closed', async (_, override, result, reason) => {
    h = await startHarness([platformEntry()], vehicles);
    const p = h.platform({ ...credentials, edition: '2019', ...override });
    await p.connect();
    expect(await p.login()).toBe(result);
    await p.closed;
    expect(await h.metric('dgt_jt809_logins_total', { result: reason })).toBe(1);
    await h.until(async () => (await h!.metric('dgt_jt809_connections_closed_total', { reason: 'login-refused' })) === 1);
  });

  it('is refused with result 1 from an address the platform may not connect from, even with the right password', async () => {
    h = await startHarness([platformEntry({ allowedIps: ['192.0.2.1'], edition: '2011' })], vehicles);
    const p = h.platform({ ...credentials, edition: '2011' });
    await p.connect();
    expect(await p.login()).toBe(LoginResult.badIp);
    await p.closed;
  });

  it('frames before a login are not taken, and a link that never logs in is closed', async () => {
    h = await startHarness([platformEntry()], vehicles, { loginTimeoutMs: 300 });
    const p = h.platform({ ...credentials, edition: '2019' });
    await p.connect();
    p.sendFix('浙J·10001', 2, simulatedFixInput('2019', 1, 1, T0));
    await p.closed;
    expect(positions(h)).toEqual([]);
    expect(await h.metric('dgt_jt809_refused_total', { reason: 'not-logged-in' })).toBe(1);
    await h.until(async () => (await h!.metric('dgt_jt809_connections_closed_total', { reason: 'login-timeout' })) === 1);
  });
});

describe.each([
  ['2011', false],
  ['2011', true],
  ['2019', false],
  ['2019', true],
] as const)('a %s platform (encryption %s)', (edition, encrypted) => {
  it('logs in, and its fixes are on the bus when its heartbeat is answered', async () => {
    h = await startHarness([platformEntry({ edition, encryption: encrypted ? keys : undefined })], vehicles);
    const p = h.platform({ ...credentials, edition, keys: encrypted ? keys : undefined });
    await p.connect();
    expect(await p.login()).toBe(LoginResult.ok);
    expect(p.verifyCode).toBeTypeOf('number');
    for (let k = 0; k < 10; k++) p.sendFix(k % 2 === 0 ? '浙J·10001' : '浙J10002', 2, simulatedFixInput(edition, k % 2, k, T0 + k * 1000));
    await p.heartbeat();
    await h!.settle();
    const events = positions(h);
    expect(events).toHaveLength(10);
    expect(new Set(events.map((e) => e.event.eventId)).size).toBe(10);
    expect(events[0]).toMatchObject({ key: 'V1', event: { data: { vehicleId: 'V1' }, meta: { source: 'jt809', platformId: 'carrier-a', edition } } });
    expect(await h.metric('dgt_jt809_fixes_published_total', { platform: 'carrier-a' })).toBe(10);
    expect(await h.metric('dgt_jt809_link_up', { platform: 'carrier-a', link: 'main' })).toBe(1);
  });
});

describe('a logged-in platform', () => {
  const login = async (config = {}, platform = {}) => {
    h = await startHarness([platformEntry(platform)], vehicles, config);
    const p = h.platform({ ...credentials, edition: '2019', ...platform });
    await p.connect();
    expect(await p.login()).toBe(LoginResult.ok);
    return p;
  };

  it('sending encrypted frames while the link has no keys gets them refused as undecodable', async () => {
    h = await startHarness([platformEntry()], vehicles);
    const p = h.platform({ ...credentials, edition: '2019' });
    await p.connect();
    expect(await p.login()).toBe(0);
    const sim = h.platform({ ...credentials, edition: '2019', keys });
    p.send(sim.frame({ type: 'vehicle-dynamic', plate: '浙J·10001', plateColour: 2, data: { kind: 'location', fix: simulatedFixInput('2019', 1, 1, T0) } }));
    await p.heartbeat();
    await h!.settle();
    expect(positions(h)).toEqual([]);
    expect(await h.metric('dgt_jt809_decode_errors_total', { kind: 'no-cipher-keys' })).toBe(1);
  });

  it('back-fills (0x1203): plausible fixes published, a fix older than the window refused, same-time fixes kept apart', async () => {
    const p = await login({ backfillWindowMs: 3_600_000 });
    const fix = (k: number, t: number) => simulatedFixInput('2019', 1, k, t);
    p.sendBackfill('浙J·10001', 2, [fix(1, T0 - 10_000), fix(2, T0 - 10_000), fix(3, T0 - 5_000), fix(4, T0 - 2 * 3_600_000), fix(5, T0)]);
    await p.heartbeat();
    await h!.settle();
    const ids = positions(h!).map((e) => e.event.eventId);
    expect(ids).toEqual([`jt809:v:V1:${T0 - 10_000}`, `jt809:v:V1:${T0 - 10_000}:2`, `jt809:v:V1:${T0 - 5_000}`, `jt809:v:V1:${T0}`]);
    expect(positions(h!).every((e) => e.event.meta?.backfilled === true)).toBe(true);
    expect(await h!.metric('dgt_jt809_refused_total', { reason: 'too-old' })).toBe(1);
  });

  it('a fix re-sent after a reconnect gets the same id (stored once)', async () => {
    const p = await login();
    p.sendFix('浙J·10001', 2, simulatedFixInput('2019', 1, 1, T0));
    await p.heartbeat();
    await h!.settle();
    p.dropMainLink();
    const again = h!.platform({ ...credentials, edition: '2019' });
    await again.connect();
    expect(await again.login()).toBe(0);
    again.sendBackfill('浙J·10001', 2, [simulatedFixInput('2019', 1, 1, T0)]);
    await again.heartbeat();
    await h!.settle();
    const ids = positions(h!).map((e) => e.event.eventId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('vehicles of a carrier it may not speak for, and unknown plates, are refused and counted, the rest published', async () => {
    const p = await login();
    p.sendFix('浙J·10003', 2, simulatedFixInput('2019', 3, 1, T0));
    p.sendFix('浙J·77777', 2, simulatedFixInput('2019', 4, 1, T0));
    p.sendFix('浙J·10001', 2, simulatedFixInput('2019', 1, 1, T0));
    await p.heartbeat();
    await h!.settle();
    expect(positions(h!).map((e) => e.event.data.vehicleId)).toEqual(['V1']);
    expect(await h!.metric('dgt_jt809_refused_total', { platform: 'carrier-a', reason: 'other-carrier' })).toBe(1);
    expect(await h!.metric('dgt_jt809_refused_total', { platform: 'carrier-a', reason: 'unknown-vehicle' })).toBe(1);
  });

  it('a registration (0x1201) that does not match the register is recorded as PlatformRegistrationMismatched; a matching one is only counted', async () => {
    const p = await login();
    const declare = (plate: string, simCode: string) =>
      p.send(
        p.frame({
          type: 'vehicle-dynamic',
          plate,
          plateColour: 2,
          data: { kind: 'registration', platformCode: 'P33', producerId: 'M1', terminalModel: 'X9', imei: '860000000000001', terminalId: 'T1', simCode },
        }),
      );
    declare('浙J·10001', '013900000001');
    declare('浙J·10001', '013911112222');
    declare('浙J·10003', '13900000003');
    // Re-declared unchanged: recorded once.
    declare('浙J·10003', '13900000003');
    await p.heartbeat();
    await h!.settle();
    const mismatches = h!.published.filter((e) => e.event.type === 'PlatformRegistrationMismatched');
    expect(mismatches.map((m) => m.event.data.reason)).toEqual(['terminal-sim', 'other-carrier']);
    expect(mismatches.every((m) => m.key === 'platform:carrier-a' && m.topic === 'dg.consignments')).toBe(true);
    expect(await h!.metric('dgt_jt809_registrations_total', { outcome: 'match' })).toBe(1);
    expect(await h!.metric('dgt_jt809_registrations_total', { outcome: 'mismatch' })).toBe(3);
  });

  it('an alarm (0x1402) of its vehicle becomes VehicleAlarmReported; another carrier\'s is refused', async () => {
    const p = await login();
    const alarm = (plate: string) =>
      p.send(
        p.frame({
          type: 'alarm',
          plate: undefined,
          plateColour: undefined,
          data: { kind: 'alarm-report', edition: '2019', sourcePlatformId: 'P33', warnType: 2, warnTime: T0 / 1000, startTime: T0 / 1000 - 600, endTime: 0, plate, plateColour: 2, destinationPlatformId: 'G', lineId: 0, info: '疲劳驾驶' },
        }),
      );
    alarm('浙J·10002');
    alarm('浙J·10003');
    // Dated a day ahead of the receipt clock: refused as any fix would be.
    p.send(
      p.frame({
        type: 'alarm',
        plate: undefined,
        plateColour: undefined,
        data: { kind: 'alarm-report', edition: '2019', sourcePlatformId: 'P33', warnType: 2, warnTime: T0 / 1000 + 86_400, startTime: 0, endTime: 0, plate: '浙J·10002', plateColour: 2, destinationPlatformId: 'G', lineId: 0, info: '' },
      }),
    );
    await p.heartbeat();
    await h!.settle();
    const alarms = h!.published.filter((e) => e.event.type === 'VehicleAlarmReported');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.event.data).toMatchObject({ vehicleId: 'V2', warnName: 'fatigue', info: '疲劳驾驶', platformId: 'carrier-a' });
    expect(await h!.metric('dgt_jt809_refused_total', { reason: 'future' })).toBe(1);
    expect(await h!.metric('dgt_jt809_alarms_published_total')).toBe(1);
  });

  it('a fix dated ahead of the receipt clock is refused', async () => {
    const p = await login();
    p.sendFix('浙J·10001', 2, simulatedFixInput('2019', 1, 1, T0 + 3_600_000));
    await p.heartbeat();
    await h!.settle();
    expect(positions(h!)).toEqual([]);
    expect(await h!.metric('dgt_jt809_refused_total', { reason: 'future' })).toBe(1);
  });

  it('frames naming another access code than its login are not taken', async () => {
    const p = await login();
    p.send(p.frame({ type: 'vehicle-dynamic', plate: '浙J·10001', plateColour: 2, data: { kind: 'location', fix: simulatedFixInput('2019', 1, 1, T0) } }, { accessCode: 5 }));
    await p.heartbeat();
    await h!.settle();
    expect(positions(h!)).toEqual([]);
    expect(await h!.metric('dgt_jt809_refused_total', { reason: 'wrong-access-code' })).toBe(1);
  });

  it('is closed as garbage after consecutive undecodable frames', async () => {
    const p = await login({ maxConsecutiveDecodeErrors: 3 });
    const good = p.frame({ type: 'heartbeat' });
    const bad = good.slice();
    bad[bad.length - 2] = bad[bad.length - 2]! ^ 0x01;
    for (let i = 0; i < 3; i++) p.send(bad);
    await p.closed;
    expect(await h!.metric('dgt_jt809_decode_errors_total', { kind: 'bad-crc' })).toBe(3);
    await h!.until(async () => (await h!.metric('dgt_jt809_connections_closed_total', { reason: 'garbage' })) === 1);
  });

  it('frames of businesses the gateway does not take (0x1600 static information) are skipped without closing the link', async () => {
    const p = await login({ maxConsecutiveDecodeErrors: 3 });
    const body = new Uint8Array(40).fill(0x31);
    const head = encodeHeader({ edition: '2019', serial: 9, messageId: 0x1600, centreId: 33010001, timeSeconds: T0 / 1000 }, body.length, false, 0);
    const raw = new Uint8Array(head.length + body.length + 2);
    raw.set(head);
    raw.set(body, head.length);
    new DataView(raw.buffer).setUint16(raw.length - 2, crc16(raw.subarray(0, raw.length - 2)));
    for (let i = 0; i < 5; i++) p.send(escapeFrame(raw));
    p.sendFix('浙J·10001', 2, simulatedFixInput('2019', 1, 1, T0));
    await p.heartbeat();
    await h!.settle();
    expect(positions(h!)).toHaveLength(1);
    expect(await h!.metric('dgt_jt809_decode_errors_total', { kind: 'unknown-message' })).toBe(5);
    expect(await h!.metric('dgt_jt809_connections_closed_total', { reason: 'garbage' })).toBe(0);
  });

  it('is closed when it sends frames faster than its limit allows', async () => {
    const p = await login({ framesPerSecond: 1, frameBurst: 5 });
    for (let i = 0; i < 10; i++) p.send(p.frame({ type: 'heartbeat' }));
    await p.closed;
    await h!.until(async () => (await h!.metric('dgt_jt809_connections_closed_total', { reason: 'rate-limit' })) === 1);
  });

  it('logs out (0x1003 → 0x1004) and the link ends', async () => {
    const p = await login();
    await p.logout();
    await p.closed;
    await h!.until(async () => (await h!.metric('dgt_jt809_connections_closed_total', { reason: 'logout' })) === 1);
    expect(h!.gateway.status()[0]).toMatchObject({ mainLink: 'down' });
  });

  it('a second login of the same platform replaces the first connection', async () => {
    const first = await login();
    const second = h!.platform({ ...credentials, edition: '2019' });
    await second.connect();
    expect(await second.login()).toBe(0);
    await first.closed;
    second.sendFix('浙J·10001', 2, simulatedFixInput('2019', 1, 1, T0));
    await second.heartbeat();
    await h!.settle();
    expect(positions(h!)).toHaveLength(1);
    await h!.until(async () => (await h!.metric('dgt_jt809_connections_closed_total', { reason: 'replaced' })) === 1);
  });
});

describe('unescaped frames', () => {
  /** A real 0x1202 whose bytes between the flags are sent as they are, escapes undone. */
  async function sendUnescaped(acceptUnescaped: boolean) {
    h = await startHarness([platformEntry({ acceptUnescaped })], vehicles);
    const p = h.platform({ ...credentials, edition: '2019' });
    await p.connect();
    expect(await p.login()).toBe(0);
    // Latitudes and times are chosen until the frame holds a 0x5A or 0x5E to escape.
    for (let k = 0; ; k++) {
      const frame = p.frame({ type: 'vehicle-dynamic', plate: '浙J·10001', plateColour: 2, data: { kind: 'location', fix: simulatedFixInput('2019', 1, k, T0 + k * 1000) } });
      const inner = frame.subarray(1, frame.length - 1);
      const escapes = inner.some((b, i) => (b === 0x5a || b === 0x5e) && (inner[i + 1] === 0x02));
      const flags = inner.some((b, i) => (b === 0x5a || b === 0x5e) && inner[i + 1] === 0x01);
      if (!escapes || flags) continue;
      const literal: number[] = [0x5b];
      for (let i = 0; i < inner.length; i++) {
        literal.push(inner[i]!);
        if ((inner[i] === 0x5a || inner[i] === 0x5e) && inner[i + 1] === 0x02) i++;
      }
      literal.push(0x5d);
      p.send(Uint8Array.from(literal));
      break;
    }
    await p.heartbeat();
    await h!.settle();
    return h;
  }

  it('are refused and counted by default', async () => {
    const x = await sendUnescaped(false);
    expect(positions(x)).toEqual([]);
    expect(await x.metric('dgt_jt809_unescaped_frames_total', { platform: 'carrier-a', outcome: 'refused' })).toBe(1);
  });

  it('are accepted and counted from a platform configured with acceptUnescaped', async () => {
    const x = await sendUnescaped(true);
    expect(positions(x)).toHaveLength(1);
    expect(await x.metric('dgt_jt809_unescaped_frames_total', { platform: 'carrier-a', outcome: 'accepted' })).toBe(1);
  });
});

describe('garbage clients', () => {
  it('a stream of random bytes without a frame is closed without disturbing a logged-in platform', async () => {
    h = await startHarness([platformEntry()], vehicles);
    const p = h.platform({ ...credentials, edition: '2019' });
    await p.connect();
    expect(await p.login()).toBe(0);
    const garbage = connect({ host: '127.0.0.1', port: h.port });
    garbage.on('error', () => undefined);
    await new Promise((r) => garbage.once('connect', r));
    garbage.write(Buffer.alloc(64 * 1024, 0x41));
    await new Promise((r) => garbage.once('close', r));
    await h.until(async () => (await h!.metric('dgt_jt809_connections_closed_total', { reason: 'garbage' })) === 1);
    p.sendFix('浙J·10001', 2, simulatedFixInput('2019', 1, 1, T0));
    await p.heartbeat();
    await h!.settle();
    expect(positions(h)).toHaveLength(1);
  });
});

describe('the down link (0x9001 / 0x9005)', () => {
  const downConfig = { downLinkHeartbeatMs: 100, downLinkRetryMinMs: 50, downLinkRetryMaxMs: 200, downLinkReplyTimeoutMs: 1_000 };

  it('opens to the advertised address with the verify code, keeps alive, and reopens after loss telling the platform (0x9007)', async () => {
    h = await startHarness([platformEntry({ downLink: 'advertised' })], vehicles, downConfig);
    const p = h.platform({ ...credentials, edition: '2019', downLink: true });
    await p.connect();
    expect(await p.login()).toBe(0);
    await h.until(() => p.downLogins.length === 1);
    expect(p.downLogins).toEqual([true]);
    await h.until(() => p.downReceived.filter((m) => m.type === 'down-heartbeat').length >= 2);
    expect(h.gateway.status()[0]).toMatchObject({ mainLink: 'up', downLink: 'up', downTarget: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
    expect(h.gateway.status()[0]!.downConnectedAtMs).toBeGreaterThanOrEqual(h.gateway.status()[0]!.mainConnectedAtMs!);
    const broken = p.next('down-link-broken');
    p.dropDownLinks();
    expect(await broken).toMatchObject({ code: 1 });
    await h.until(() => p.downLogins.length === 2);
    await h.until(async () => (await h!.metric('dgt_jt809_down_link_connects_total', { result: 'ok' })) === 2);
  });

  it('refused by the platform (0x9002 result 1), is counted, reported over the main link (0x9007) and retried', async () => {
    h = await startHarness([platformEntry({ downLink: 'advertised' })], vehicles, downConfig);
    const p = h.platform({ ...credentials, edition: '2019', downLink: true, refuseDownLogin: true });
    await p.connect();
    const broken = p.next('down-link-broken');
    expect(await p.login()).toBe(0);
    expect(await broken).toMatchObject({ code: 0 });
    await h.until(() => p.downLogins.length >= 3);
    // Told once per outage, not at every retry.
    expect(p.received.filter((m) => m.type === 'down-link-broken')).toHaveLength(1);
    expect(await h.metric('dgt_jt809_down_link_connects_total', { result: 'refused' })).toBeGreaterThanOrEqual(2);
    expect(await h.metric('dgt_jt809_down_link_connects_total', { result: 'ok' })).toBe(0);
    expect(await h.metric('dgt_jt809_link_up', { link: 'down' })).toBe(0);
  });

  it('carries the platform\'s data while its main link is down, then ends after the grace period', async () => {
    h = await startHarness([platformEntry({ downLink: 'advertised' })], vehicles, { ...downConfig, downLinkGraceMs: 1_000 });
    const p = h.platform({ ...credentials, edition: '2019', downLink: true });
    await p.connect();
    expect(await p.login()).toBe(0);
    await h.until(() => p.downLogins.length === 1 && h!.gateway.status()[0]!.downLink === 'up');
    p.dropMainLink();
    await h.until(() => h!.gateway.status()[0]!.mainLink === 'down');
    expect(p.sendOnDownLink(p.frame({ type: 'main-link-broken', code: 0 }))).toBe(true);
    p.sendOnDownLink(p.frame({ type: 'vehicle-dynamic', plate: '浙J·10001', plateColour: 2, data: { kind: 'location', fix: simulatedFixInput('2019', 1, 1, T0) } }));
    await h.until(() => positions(h!).length === 1);
    await h.until(() => h!.gateway.status()[0]!.downLink === 'off', 3_000);
  });

  it('is not opened to an advertised address outside the platform\'s allowed ones', async () => {
    h = await startHarness([platformEntry({ downLink: 'advertised', allowedIps: ['127.0.0.2', '127.0.0.1/32'] })], vehicles, downConfig);
    const p = h.platform({ ...credentials, edition: '2019', downLink: true });
    await p.connect();
    expect(await p.login()).toBe(0);
    await h.until(() => p.downLogins.length === 1);
    await h.close();
    h = await startHarness([platformEntry({ downLink: 'advertised', edition: '2011' })], vehicles, downConfig);
    const q = h.platform({ ...credentials, edition: '2011' });
    await q.connect();
    // Advertises 10.0.0.1 by hand: not an allowed address.
    q.send(q.frame({ type: 'login-request', userId: 7001, password: 'pass1234', accessCode: undefined, downLinkIp: '10.0.0.1', downLinkPort: 9000 }));
    await q.next('login-response');
    await h.until(async () => (await h!.metric('dgt_jt809_down_link_connects_total', { result: 'refused' })) === 1);
    expect(h.gateway.status()[0]).toMatchObject({ downLink: 'off' });
  });
});
