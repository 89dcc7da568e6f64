import { describe, expect, it } from 'vitest';
import { backfillFrames } from '../src/platformDelivery.ts';
import { simulatedFixInput } from '../src/index.ts';

const T = Date.parse('2026-03-01T00:00:00Z');
const fixAt = (second: number, tag: number) => ({ tag, fix: simulatedFixInput('2019', 1, tag, T + second * 1000) });

describe('back-fill frames of a platform delivery', () => {
  it('puts at most five fixes in a 0x1203 frame, in order', () => {
    const frames = backfillFrames(Array.from({ length: 12 }, (_, i) => fixAt(i, i)));
    expect(frames.map((f) => f.map((x) => x.tag))).toEqual([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11]]);
  });

  it('never puts two fixes of one second in a frame, so a repeated report keeps its one event id', () => {
    const frames = backfillFrames([fixAt(0, 0), fixAt(1, 1), fixAt(1, 2), fixAt(2, 3)]);
    expect(frames.map((f) => f.map((x) => x.tag))).toEqual([[0, 1], [2, 3]]);
  });
});
