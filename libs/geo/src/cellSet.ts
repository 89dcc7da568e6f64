import { keyOf } from './bucketGrid.ts';

/**
 * A set of cells (y, x) within a known extent: a byte per cell of the extent, or a Set of keys when
 * the extent is huge (a corridor hundreds of km long). Many per designation, so no Set in the common case.
 */
export class CellSet {
  private readonly grid: Uint8Array | null;
  private readonly keys: Set<number> | null;
  private readonly columns: number;

  /** `scratch`: which of the two reused grids (designating is synchronous, and uses at most two sets at a time). */
  constructor(private readonly y0: number, private readonly x0: number, y1: number, x1: number, scratch: 0 | 1) {
    this.columns = x1 - x0 + 1;
    const cells = (y1 - y0 + 1) * this.columns;
    if (cells > CELL_SET_GRID_MAX) {
      this.grid = null;
      this.keys = new Set();
      return;
    }
    if (cells > (cellSetScratch[scratch] as Uint8Array).length) cellSetScratch[scratch] = new Uint8Array(cells);
    this.grid = (cellSetScratch[scratch] as Uint8Array).subarray(0, cells).fill(0);
    this.keys = null;
  }

  has(y: number, x: number): boolean {
    return this.grid !== null ? this.grid[(y - this.y0) * this.columns + (x - this.x0)] === 1 : (this.keys as Set<number>).has(keyOf(y, x));
  }

  add(y: number, x: number): void {
    if (this.grid !== null) this.grid[(y - this.y0) * this.columns + (x - this.x0)] = 1;
    else (this.keys as Set<number>).add(keyOf(y, x));
  }
}

const CELL_SET_GRID_MAX = 1 << 22;
const cellSetScratch = [new Uint8Array(1 << 14), new Uint8Array(1 << 14)];
