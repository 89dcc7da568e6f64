import { describe, expect, it } from 'vitest';
import { waitForRecorder } from '../src/waitForRecorder.ts';

describe('waiting for the recorder on a clean stop', () => {
  it('returns 0 as soon as the backlog is recorded', async () => {
    const backlog = [3, 2, 0];
    let calls = 0;
    expect(await waitForRecorder(() => backlog[Math.min(calls++, 2)]!, 5_000, 1)).toBe(0);
    expect(calls).toBe(3);
  });

  it('gives up after the timeout and says how much is left for the next start', async () => {
    const started = performance.now();
    expect(await waitForRecorder(() => 7, 60, 5)).toBe(7);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });
});
