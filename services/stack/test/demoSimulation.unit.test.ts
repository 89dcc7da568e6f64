import { describe, expect, it } from 'vitest';
import { banner } from '../src/banner.ts';
import { addDays, firstRun } from '../src/demoSimulation.ts';
import type { DemoKeys } from '../src/demoKeys.ts';

describe('demo simulation runs', () => {
  it('start on the previous day in China time, so the first fixes are recent and never in the future', () => {
    // 2026-11-28T17:00Z is 01:00 on the 29th in Taizhou.
    expect(firstRun(Date.parse('2026-11-28T17:00:00Z'), 2)).toEqual({ seed: 'demo-1', start: '2026-11-28', days: 2, resumeAtMs: 0 });
    expect(firstRun(Date.parse('2026-11-28T15:00:00Z'), 1).start).toBe('2026-11-27');
  });

  it('fall back to the default date before the seeds exist (a machine clock in the past)', () => {
    expect(firstRun(Date.parse('2025-06-01T00:00:00Z'), 1).start).toBe('2026-03-02');
  });

  it('continue on the day after the previous run, across month ends', () => {
    expect(addDays('2026-11-29', 2)).toBe('2026-12-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});

describe('start-up banner', () => {
  it('shows the dashboard URL and every role with its key in an aligned box', () => {
    const keys = { path: '/d/demo-keys.json', keys: [{ id: 'demo-bureau', role: 'bureau', key: 'dgt_AAAA' }, { id: 'demo-carrier-C001', role: 'carrier:C001', key: 'dgt_BBBB' }] } as unknown as DemoKeys;
    const text = banner({ dashboardUrl: 'http://127.0.0.1:8080', ingestUrl: 'http://127.0.0.1:8081', bus: 'in-process bus', store: 'SQLite /d/events.sqlite', dataDir: '/d', simulation: 'off (--no-sim)', keys });
    const lines = text.split('\n');
    expect(new Set(lines.map((l) => [...l].length)).size).toBe(1);
    expect(text).toContain('Dashboard    http://127.0.0.1:8080');
    expect(text).toMatch(/bureau +dgt_AAAA/);
    expect(text).toMatch(/carrier:C001 +dgt_BBBB/);
  });
});
