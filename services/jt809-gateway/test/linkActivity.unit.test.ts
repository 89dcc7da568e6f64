import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PlatformActivity, metricsRecordingActivity } from '../src/linkActivity.ts';
import { createGatewayMetrics } from '../src/metrics.ts';

describe('PlatformActivity', () => {
  it('counts the fixes of the last 60 seconds, forgetting older seconds as the clock moves on', () => {
    let now = 1_000_000_000_000;
    const a = new PlatformActivity(() => now);
    a.addFixes(5);
    now += 30_000;
    a.addFixes(3);
    expect(a.fixesLastMinute(now)).toBe(8);
    now += 30_000; // the first second is now 60 s old
    expect(a.fixesLastMinute(now)).toBe(3);
    now += 60_000; // a bucket reused a minute later starts from zero
    a.addFixes(2);
    expect(a.fixesLastMinute(now)).toBe(2);
    expect(a.fixesTotal).toBe(10);
  });

  it('says when each link came up, and nothing once it is down', () => {
    let now = 5_000;
    const a = new PlatformActivity(() => now);
    a.linkUp('main', true);
    now = 7_000;
    a.linkUp('down', true);
    expect([a.mainConnectedAtMs, a.downConnectedAtMs]).toEqual([5_000, 7_000]);
    a.linkUp('main', false);
    expect(a.mainConnectedAtMs).toBeNull();
    expect(a.downConnectedAtMs).toBe(7_000);
  });
});

describe('metricsRecordingActivity', () => {
  it('records in the platform’s activity exactly what it counts in Prometheus, and only the metric for unknown platforms', async () => {
    const registry = new Registry();
    const now = 1_700_000_000_000;
    const activity = new PlatformActivity(() => now);
    const metrics = metricsRecordingActivity(createGatewayMetrics(registry), (id) => (id === 'p1' ? activity : undefined));
    metrics.fixesPublished('p1').inc(4);
    metrics.refused('p1', 'other-carrier').inc();
    metrics.refused('p1', 'other-carrier').inc();
    metrics.refused('p1', 'unknown-vehicle').inc();
    metrics.refused('unknown', 'not-logged-in').inc();
    metrics.lastMessage('p1').set(1_700_000_000);
    metrics.linkUp('p1', 'main').set(1);
    expect(activity).toMatchObject({ fixesTotal: 4, refusals: { 'other-carrier': 2, 'unknown-vehicle': 1 }, lastMessageAtMs: 1_700_000_000_000, mainConnectedAtMs: now });
    const refused = (await registry.getSingleMetric('dgt_jt809_refused_total')!.get()).values.map((v) => [v.labels.platform, v.labels.reason, v.value]);
    expect(refused).toEqual(expect.arrayContaining([['p1', 'other-carrier', 2], ['p1', 'unknown-vehicle', 1], ['unknown', 'not-logged-in', 1]]));
    expect((await registry.getSingleMetric('dgt_jt809_link_up')!.get()).values).toEqual([{ labels: { platform: 'p1', link: 'main' }, value: 1 }]);
  });
});
