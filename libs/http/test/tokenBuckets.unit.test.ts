import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../src/index.ts';

describe('token buckets per key', () => {
  it('lets a burst through, refuses the next cost with the seconds until it has accrued, and refills at the rate', () => {
    let now = 0;
    const buckets = new TokenBuckets({ ratePerS: 100, burst: 500, now: () => now });
    expect(buckets.take('k', 400)).toEqual({ ok: true });
    expect(buckets.take('k', 200)).toEqual({ ok: false, retryAfterSeconds: 1 });
    // Another key has its own bucket.
    expect(buckets.take('other', 500)).toEqual({ ok: true });
    now += 1000;
    expect(buckets.take('k', 200)).toEqual({ ok: true });
    expect(buckets.take('k', 400)).toEqual({ ok: false, retryAfterSeconds: 4 });
    now += 60_000;
    // Never more than the burst, however long the quiet spell.
    expect(buckets.take('k', 500)).toEqual({ ok: true });
    expect(buckets.check('k')).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('lets a cost above the burst through from a full bucket, leaving it in debt', () => {
    let now = 0;
    const buckets = new TokenBuckets({ ratePerS: 10, burst: 50, now: () => now });
    expect(buckets.take('k', 80)).toEqual({ ok: true });
    expect(buckets.check('k')).toEqual({ ok: false, retryAfterSeconds: 4 });
    now += 3100;
    expect(buckets.check('k')).toEqual({ ok: true });
    expect(buckets.take('k', 80)).toEqual({ ok: false, retryAfterSeconds: 5 });
  });
});
