import { describe, expect, it } from 'vitest';
import { BoundaryTimes } from '../src/boundaryTimes.ts';
import { seededRandom } from './seededRandom.ts';

/** The least element > t of a plain list, the definition `after` must equal. */
function afterByScan(times: readonly number[], t: number): number {
  let best = Infinity;
  for (const x of times) if (x > t && x < best) best = x;
  return best;
}

describe('BoundaryTimes', () => {
  it('answers the least time after t as a scan of every time added and not removed does, across chunk splits', () => {
    const rnd = seededRandom(7);
    const times = new BoundaryTimes();
    const held: number[] = [];
    for (let step = 0; step < 20_000; step++) {
      if (held.length > 0 && rnd() < 0.4) {
        const i = Math.floor(rnd() * held.length);
        times.remove(held[i] as number);
        held.splice(i, 1);
      } else {
        // Few distinct values, so duplicates are common.
        const t = Math.floor(rnd() * 3000);
        times.add(t);
        held.push(t);
      }
      const q = Math.floor(rnd() * 3100) - 50 + (rnd() < 0.5 ? 0.5 : 0);
      expect(times.after(q)).toBe(afterByScan(held, q));
    }
    expect(held.length).toBeGreaterThan(1000);
  });

  it('keeps a duplicate until its last occurrence is removed', () => {
    const times = new BoundaryTimes();
    times.add(5);
    times.add(5);
    times.remove(5);
    expect(times.after(0)).toBe(5);
    times.remove(5);
    expect(times.after(0)).toBe(Infinity);
  });

  it('refuses to remove a time it does not hold', () => {
    const times = new BoundaryTimes();
    times.add(1);
    expect(() => times.remove(2)).toThrow(/2 is not held/);
  });
});
