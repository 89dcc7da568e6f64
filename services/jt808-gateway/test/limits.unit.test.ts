import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../src/index.ts';

describe('TokenBucket', () => {
  it('allows the burst at once, then the sustained rate', () => {
    const b = new TokenBucket(10, 5, 0);
    expect(Array.from({ length: 6 }, () => b.take(0))).toEqual([true, true, true, true, true, false]);
    expect(b.take(50)).toBe(false);
    expect(b.take(100)).toBe(true);
    expect(b.take(100)).toBe(false);
    // Refill never exceeds the burst.
    expect(Array.from({ length: 6 }, () => b.take(60_000)).filter(Boolean)).toHaveLength(5);
  });
});
