import { describe, expect, it } from 'vitest';
import { CellSet } from '../src/cellSet.ts';
import { seededRandom } from './seededRandom.ts';

describe('CellSet', () => {
  it('holds exactly the cells added, in a small extent (grid) and in a huge one (keys), and starts empty after reuse', () => {
    const rnd = seededRandom(11);
    for (const [h, w] of [[40, 60], [3000, 3000]] as const) {
      for (let round = 0; round < 2; round++) {
        const set = new CellSet(22_000, 96_000, 22_000 + h - 1, 96_000 + w - 1, 0);
        const added = new Set<string>();
        for (let i = 0; i < 500; i++) {
          const y = 22_000 + Math.floor(rnd() * h), x = 96_000 + Math.floor(rnd() * w);
          expect(set.has(y, x)).toBe(added.has(`${y},${x}`));
          set.add(y, x);
          added.add(`${y},${x}`);
          expect(set.has(y, x)).toBe(true);
        }
      }
    }
  });
});
