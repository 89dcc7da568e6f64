/**
 * Fix times checked against the receipt clock at the boundary (the engine is clock-free: one
 * fix dated 2099 made every later real fix of that vehicle "late"). Real TCP on loopback.
 */
import { GeneralAckResult } from '@dgt/jt808';
import { afterEach, describe, expect, it } from 'vitest';
import { simulatedFix } from '../src/index.ts';
import type { Harness } from './support/gatewayHarness.ts';
import { T0, startHarness } from './support/gatewayHarness.ts';

const DAY = 86_400_000;
const at = (ms: number) => simulatedFix(1, Math.floor(ms / 1000) % 600, ms);

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('fix time window', () => {
  it('does not publish a lone 0x0200 dated beyond the future skew or before the back-fill window; answers "bad message" and counts each reason', async () => {
    h = await startHarness({ maxFutureSkewMs: 300_000, backfillWindowMs: 7 * DAY });
    h.now = T0 + DAY;
    const t = await h.loggedIn('013912344329');
    // BCD times are whole seconds: one second beyond the skew.
    expect((await t.report(at(h.now + 301_000))).result).toBe(GeneralAckResult.badMessage);
    expect((await t.report(at(Date.parse('2099-01-01T00:00:00Z')))).result).toBe(GeneralAckResult.badMessage);
    expect((await t.report(at(h.now - 7 * DAY - 1_000))).result).toBe(GeneralAckResult.badMessage);
    expect(h.sentTo('positions')).toHaveLength(0);
    expect(await h.metric('dgt_jt808_fixes_refused_total', { reason: 'future' })).toBe(2);
    expect(await h.metric('dgt_jt808_fixes_refused_total', { reason: 'too-old' })).toBe(1);
    // Within the window on both sides: published.
    expect((await t.report(at(h.now + 299_000))).result).toBe(GeneralAckResult.success);
    expect((await t.report(at(h.now - 7 * DAY + 1_000))).result).toBe(GeneralAckResult.success);
    expect(h.sentTo('positions')).toHaveLength(2);
    expect(t.isClosed).toBe(false);
  });

  it('publishes the plausible fixes of a 0x0704 back-fill and acks it once, leaving the implausible ones out', async () => {
    h = await startHarness();
    h.now = T0 + DAY;
    const t = await h.loggedIn('013912344329', '2019');
    const fixes = [at(h.now - 3_600_000), at(h.now + 3_600_000), at(h.now - 30 * DAY), at(h.now - 60_000)];
    expect((await t.batch(1, fixes)).result).toBe(GeneralAckResult.success);
    const published = h.sentTo('positions').map((m) => (m.value as { occurredAt: string }).occurredAt);
    expect(published).toEqual([new Date(h.now - 3_600_000).toISOString(), new Date(h.now - 60_000).toISOString()]);
    expect(await h.metric('dgt_jt808_fixes_refused_total', { reason: 'future' })).toBe(1);
    expect(await h.metric('dgt_jt808_fixes_refused_total', { reason: 'too-old' })).toBe(1);
  });

  it('keeps publishing a vehicle\'s real fixes after one far-future fix', async () => {
    h = await startHarness();
    h.now = T0 + DAY;
    const t = await h.loggedIn('013912344329');
    expect((await t.report(at(Date.parse('2099-12-31T00:00:00Z')))).result).toBe(GeneralAckResult.badMessage);
    for (let k = 1; k <= 3; k++) expect((await t.report(at(h.now - 60_000 + k * 1000))).result).toBe(GeneralAckResult.success);
    expect(h.sentTo('positions')).toHaveLength(3);
  });
});
