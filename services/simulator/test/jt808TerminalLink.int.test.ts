import { MessageId, encodeGbk, type LocationInput } from '@dgt/jt808';
import { simulatedIdentity } from '@dgt/jt808-gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { TerminalLink, type TerminalLinkTuning } from '../src/jt808/terminalLink.ts';
import { FakeJt808Platform } from './fakeJt808Platform.ts';

/*
 * The simulator's terminal side of JT/T 808 over loopback TCP against a minimal platform: the
 * answers a real terminal owes the platform, and its behaviour when the link drops.
 */

const PHONE = '13912345678';
const T0 = Date.parse('2026-03-02T08:00:00+08:00');
const fix = (k: number): LocationInput => ({ alarm: 0, status: 0b11, latitude: 28.6 + k / 1000, longitude: 121.4, altitudeM: 0, speedKmh: 40, direction: 90, timeMs: T0 + k * 15_000 });

let platform: FakeJt808Platform;
let link: TerminalLink | undefined;

afterEach(async () => {
  await link?.close();
  await platform.close();
});

async function startLink(flavour: '2013' | '2019' = '2019', codes: string[] = [], tuning: Partial<TerminalLinkTuning> = {}): Promise<TerminalLink> {
  platform = new FakeJt808Platform();
  const port = await platform.listen();
  link = new TerminalLink({
    host: '127.0.0.1',
    port,
    phone: PHONE,
    flavour,
    identity: simulatedIdentity(PHONE, '浙J·12345'),
    onAuthCode: (_phone, code) => codes.push(code),
    tuning: { initialBackoffMs: 50, maxBackoffMs: 200, replyTimeoutMs: 2_000, ...tuning },
  });
  await link.start();
  return link;
}

describe('a simulated JT/T 808 terminal', () => {
  it('registers once, authenticates with the issued code and reports its fixes as 0x0200, each acknowledged', async () => {
    const codes: string[] = [];
    const l = await startLink('2013', codes);
    for (let k = 0; k < 3; k++) l.send(fix(k));
    await l.settled();

    expect(codes).toEqual(['code-1']);
    expect(platform.of(MessageId.register)).toHaveLength(1);
    const auth = platform.of(MessageId.authenticate);
    expect(auth.map((r) => r.message?.type === 'authenticate' && r.message.authCode)).toEqual(['code-1']);
    const reports = platform.of(MessageId.locationReport);
    expect(reports.map((r) => r.message?.type === 'location' ? r.message.timeMs : null)).toEqual([T0, T0 + 15_000, T0 + 30_000]);
    expect(reports.every((r) => r.header.phone.endsWith(PHONE) && r.header.flavour === '2013')).toBe(true);
    expect(l.stats.fixesAcknowledged).toBe(3);
  });

  it('answers a 0x8300 text message with a 0x0001 success carrying its serial and id, and counts the text', async () => {
    const l = await startLink();
    const text = encodeGbk('前方隧道，请减速');
    platform.push(0x8300, 4242, Uint8Array.of(0b0000_1100, ...text));
    await expect.poll(() => platform.of(MessageId.terminalAck).length, { timeout: 5_000 }).toBe(1);

    const [answer] = platform.of(MessageId.terminalAck);
    expect(answer!.message).toEqual({ type: 'terminal-ack', repliedSerial: 4242, repliedMessageId: 0x8300, result: 0 });
    expect(l.stats.textMessages).toBe(1);
  });

  it('answers a platform command it does not know (0x8201 position query) with a 0x0001 as well, and never answers a reply', async () => {
    const l = await startLink();
    platform.push(0x8201, 7, new Uint8Array(0));
    await expect.poll(() => platform.of(MessageId.terminalAck).length, { timeout: 5_000 }).toBe(1);

    expect(platform.of(MessageId.terminalAck)[0]!.message).toEqual({ type: 'terminal-ack', repliedSerial: 7, repliedMessageId: 0x8201, result: 0 });
    // The register ack and the authentication's 0x8001 were replies: no 0x0001 for them.
    expect(l.stats.commandsAnswered).toBe(1);
    expect(l.stats.textMessages).toBe(0);
  });

  it('reconnects after the link drops, authenticates with the code it kept (no second registration) and sends what it held, batched', async () => {
    const l = await startLink();
    l.send(fix(0));
    await l.settled();
    platform.dropAll();
    await expect.poll(() => l.isReady, { timeout: 2_000 }).toBe(false);
    for (let k = 1; k <= 5; k++) l.send(fix(k));
    await expect.poll(() => l.stats.fixesAcknowledged, { timeout: 5_000 }).toBe(6);

    expect(platform.of(MessageId.register)).toHaveLength(1);
    expect(platform.of(MessageId.authenticate)).toHaveLength(2);
    expect(l.stats.linkLosses).toBe(1);
    // The five fixes held while the link was down went out as one 0x0704 (batch type 0), in order.
    const batches = platform.of(MessageId.batchUpload);
    expect(batches).toHaveLength(1);
    const batch = batches[0]!.message;
    expect(batch?.type === 'batch-upload' ? batch.reports.map((r) => r.timeMs) : null).toEqual([1, 2, 3, 4, 5].map((k) => T0 + k * 15_000));
  });

  it('sends heartbeats (0x0002) while it has nothing to report', async () => {
    const l = await startLink('2019', [], { heartbeatMs: 300 });
    await expect.poll(() => platform.of(MessageId.heartbeat).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    expect(l.stats.heartbeats).toBeGreaterThanOrEqual(2);
    expect(l.isReady).toBe(true);
  });

  it('drops a link whose platform stops answering and logs in again on a new one', async () => {
    const l = await startLink('2019', [], { replyTimeoutMs: 300 });
    platform.silent = true;
    l.send(fix(0));
    await expect.poll(() => l.stats.linkLosses, { timeout: 5_000 }).toBe(1);
    platform.silent = false;
    await expect.poll(() => l.stats.fixesAcknowledged, { timeout: 5_000 }).toBe(1);
    expect(platform.connections.length).toBeGreaterThanOrEqual(2);
    expect(l.stats.fixesResent).toBeGreaterThanOrEqual(1);
  });

  it('logs out (0x0003) when closed', async () => {
    const l = await startLink();
    await l.close();
    link = undefined;
    expect(platform.of(MessageId.logout)).toHaveLength(1);
  });
});
