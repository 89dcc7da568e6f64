import { describe, expect, it } from 'vitest';
import { newFineClearance, stampFineClearance, stampFineClearanceByCell } from '../src/fineClearance.ts';

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Distinct reached cells: a corridor-like walk, a blob, or a scatter, around (y, x). */
function reachedCells(rnd: () => number, y: number, x: number): { ys: number[]; xs: number[] } {
  const seen = new Set<string>();
  const ys: number[] = [];
  const xs: number[] = [];
  const add = (cy: number, cx: number) => {
    const k = `${cy},${cx}`;
    if (seen.has(k)) return;
    seen.add(k);
    ys.push(cy);
    xs.push(cx);
  };
  const shape = Math.floor(rnd() * 3);
  if (shape === 0) {
    let cy = y, cx = x;
    const steps = 1 + Math.floor(rnd() * 60);
    for (let i = 0; i < steps; i++) {
      add(cy, cx);
      if (rnd() < 0.5) add(cy + 1, cx);
      cy += Math.round(rnd() * 2 - 1);
      cx += 1;
    }
  } else if (shape === 1) {
    const r = 1 + Math.floor(rnd() * 6);
    for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (rnd() < 0.7) add(y + dy, x + dx);
    add(y, x);
  } else {
    const n = 1 + Math.floor(rnd() * 30);
    for (let i = 0; i < n; i++) add(y + Math.floor(rnd() * 80) - 40, x + Math.floor(rnd() * 80) - 40);
  }
  return { ys, xs };
}

describe('fine clearance map', () => {
  it('written in one pass is byte for byte the map the cell-by-cell writes give, zone after zone', () => {
    const rnd = mulberry32(19);
    const fast = newFineClearance();
    const slow = newFineClearance();
    let cells = 0;
    for (let zone = 0; zone < 400; zone++) {
      // Taizhou-like clearance cells (800 per degree), and some across the 16-bit wrap of x in the cell key.
      const y = 22_000 + Math.floor(rnd() * 2_000);
      const x = zone % 10 === 0 ? 65_536 * 1 + Math.floor(rnd() * 40) - 20 : 96_000 + Math.floor(rnd() * 2_000);
      const { ys, xs } = reachedCells(rnd, y, x);
      cells += ys.length;
      stampFineClearance(fast, ys, xs);
      for (let i = 0; i < ys.length; i++) stampFineClearanceByCell(slow, ys[i] as number, xs[i] as number);
      if (zone % 50 === 49) expect(Buffer.compare(Buffer.from(fast), Buffer.from(slow))).toBe(0);
    }
    expect(cells).toBeGreaterThan(2_000);
    expect(Buffer.compare(Buffer.from(fast), Buffer.from(slow))).toBe(0);
    // The maps are not trivially equal: the zones wrote into them.
    const blank = newFineClearance();
    expect(fast.some((b, i) => b !== blank[i])).toBe(true);
  });
});
