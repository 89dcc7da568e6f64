/*
 * The fine clearance map of a zone kind (see zoneIndex.ts, ClearanceMaps): one byte per clearance
 * cell (≈ 125 m) of a tile the plane is folded onto (fineSlot), holding a lower bound of the cell's
 * Chebyshev distance, as a level, to every cell a zone's part reaches into, and a bit per direction
 * in which such a cell is a neighbour.
 * How it is written; zoneIndex.ts reads it.
 */

/** Address bits of the fine map (1 MiB): half for the row in its tile, half for the column. */
export const CLEAR_BITS = 20;
/**
 * The fine map's distance levels: a cell at level v is at least FINE_LEVEL_CELLS[v] cells (Chebyshev)
 * from every cell a part reaches into. Three bits give eight levels; spacing the last ones out lets
 * the map see ≈ 1.4 km instead of ≈ 0.9 km, so that a fix 1–2 km from a zone (where the coarse map
 * says "near") carries clearance for about twice as many fixes before it is looked up again. Levels
 * 0–5 are the distance itself (the neighbour bits belong to distance 1).
 */
export const FINE_LEVEL_CELLS = [0, 1, 2, 3, 4, 5, 7, 12] as const;
export const FINE_TOP_LEVEL = FINE_LEVEL_CELLS.length - 1;
/** How far around a reached cell the fine map is written: farther cells keep the top level, which they are at. */
const FINE_REACH = (FINE_LEVEL_CELLS[FINE_TOP_LEVEL] as number) - 1;
/** The level of a cell d ≤ FINE_REACH cells away: the highest whose distance is at most d (so taking the least over cells sharing a slot stays a lower bound). */
const FINE_LEVEL_OF = Uint8Array.from({ length: FINE_REACH + 1 }, (_, d) => {
  let v = 0;
  while (v < FINE_TOP_LEVEL && (FINE_LEVEL_CELLS[v + 1] as number) <= d) v++;
  return v;
});
export const DISTANCE_MASK = 0b111;
/** Bits of a clearance byte for the neighbours at (−1, 0), (1, 0), (0, −1), (0, 1), and for any corner neighbour. */
export const WEST = 1 << 3, EAST = 1 << 4, SOUTH = 1 << 5, NORTH = 1 << 6, CORNER = 1 << 7;

/** A slot of a 2^bits map for a cell key (Fibonacci hashing). */
export function hashBit(key: number, bits: number): number {
  return Math.imul(key, 0x9e3779b1) >>> (32 - bits);
}

/**
 * The fine map's slot of clearance cell (y, x): the map tiles the plane, 2^(CLEAR_BITS/2) cells
 * (1.28°) a side, so a zone's neighbourhood is written row by row into runs of adjacent bytes rather
 * than scattered over the whole map (a cache miss per cell), and cells less than a tile apart never
 * share a slot. Any slot function keeps the map a lower bound; only which cells share slots changes.
 */
export function fineSlot(y: number, x: number): number {
  return ((y & TILE_MASK) << TILE_BITS) | (x & TILE_MASK);
}
const TILE_BITS = CLEAR_BITS / 2;
const TILE_MASK = (1 << TILE_BITS) - 1;

/** The clearance byte's bit for the neighbour at (ox, oy) (not both 0). */
export function neighbourBit(ox: number, oy: number): number {
  if (ox !== 0 && oy !== 0) return CORNER;
  return ox < 0 ? WEST : ox > 0 ? EAST : oy < 0 ? SOUTH : NORTH;
}

/**
 * Writes into the fine clearance map what each reached cell (ys[i], xs[i]) tells the cells within
 * FINE_REACH of it: the level of their distance (the least over every write to a slot) and, next to
 * it, the bit of its direction. One cell at a time that is (2·FINE_REACH + 1)² writes per reached
 * cell — the bulk of designating a corridor. The same map in one pass over the zone's cells: the
 * exact Chebyshev distance to the nearest reached cell by a two-pass distance transform on a grid
 * around them, then one write per cell within reach. Writes commute (a least level, or-ed bits), so
 * the map is the one the cell-by-cell writes give (test/fineClearance.unit.test.ts); a zone whose
 * grid would be huge is written cell by cell.
 */
export function stampFineClearance(fine: Uint8Array, ys: readonly number[], xs: readonly number[]): void {
  const n = ys.length;
  if (n === 0) return;
  let y0 = Infinity, y1 = -Infinity, x0 = Infinity, x1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const y = ys[i] as number, x = xs[i] as number;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
  }
  const R = FINE_REACH;
  const oy = y0 - R, ox = x0 - R;
  const h = y1 - y0 + 1 + 2 * R, w = x1 - x0 + 1 + 2 * R;
  if (h * w > STAMP_GRID_MAX || h * w > n * (2 * R + 1) * (2 * R + 1)) {
    for (let i = 0; i < n; i++) stampFineClearanceByCell(fine, ys[i] as number, xs[i] as number);
    return;
  }
  // Distances above FINE_REACH are all alike (the top level), so a byte holds them: capped at FAR,
  // a neighbour's FAR + 1 never wins a minimum. The reached cells are those at 0.
  const FAR = 0xff;
  const dist = h * w <= scratch.length ? scratch.subarray(0, h * w) : (scratch = new Uint8Array(h * w));
  dist.fill(FAR);
  for (let i = 0; i < n; i++) dist[((ys[i] as number) - oy) * w + ((xs[i] as number) - ox)] = 0;
  // Chebyshev distance: forward over the cells before each (left, and the row below), then backward.
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const at = r * w + c;
      let v = dist[at] as number;
      if (c > 0) v = Math.min(v, (dist[at - 1] as number) + 1);
      if (r > 0) {
        v = Math.min(v, (dist[at - w] as number) + 1);
        if (c > 0) v = Math.min(v, (dist[at - w - 1] as number) + 1);
        if (c < w - 1) v = Math.min(v, (dist[at - w + 1] as number) + 1);
      }
      dist[at] = v;
    }
  }
  for (let r = h - 1; r >= 0; r--) {
    for (let c = w - 1; c >= 0; c--) {
      const at = r * w + c;
      let v = dist[at] as number;
      if (c < w - 1) v = Math.min(v, (dist[at + 1] as number) + 1);
      if (r < h - 1) {
        v = Math.min(v, (dist[at + w] as number) + 1);
        if (c < w - 1) v = Math.min(v, (dist[at + w + 1] as number) + 1);
        if (c > 0) v = Math.min(v, (dist[at + w - 1] as number) + 1);
      }
      dist[at] = v;
    }
  }
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const at = r * w + c;
      const d = dist[at] as number;
      if (d > R) continue;
      const slot = fineSlot(r + oy, c + ox);
      const level = FINE_LEVEL_OF[d] as number;
      let value = fine[slot] as number;
      if ((value & DISTANCE_MASK) > level) value = (value & ~DISTANCE_MASK) | level;
      if (d <= 1) {
        // The bit of each direction in which a reached cell is a neighbour (what a cell-by-cell
        // write from that cell gives this one); the grid's border is FINE_REACH from every reached cell.
        for (let ey = -1; ey <= 1; ey++) {
          for (let ex = -1; ex <= 1; ex++) {
            if ((ex !== 0 || ey !== 0) && dist[at + ey * w + ex] === 0) value |= neighbourBit(ex, ey);
          }
        }
      }
      fine[slot] = value;
    }
  }
}

/** The fine clearance writes of one reached cell, one neighbour at a time: the reference `stampFineClearance` equals. */
export function stampFineClearanceByCell(fine: Uint8Array, y: number, x: number): void {
  for (let dy = -FINE_REACH; dy <= FINE_REACH; dy++) {
    for (let dx = -FINE_REACH; dx <= FINE_REACH; dx++) {
      const slot = fineSlot(y + dy, x + dx);
      const d = Math.max(Math.abs(dy), Math.abs(dx));
      const level = FINE_LEVEL_OF[d] as number;
      let value = fine[slot] as number;
      if ((value & DISTANCE_MASK) > level) value = (value & ~DISTANCE_MASK) | level;
      // Seen from the neighbour, this cell is at (−dx, −dy).
      if (d === 1) value |= neighbourBit(-dx, -dy);
      fine[slot] = value;
    }
  }
}

/** Cells of the largest grid `stampFineClearance` builds (a byte each); a larger zone is written cell by cell. */
const STAMP_GRID_MAX = 1 << 22;
/** The grid, reused from zone to zone (designating is synchronous): no garbage per zone. */
let scratch = new Uint8Array(1 << 16);

/** A fresh fine clearance map (every slot at the top level: nothing near). */
export function newFineClearance(): Uint8Array {
  return new Uint8Array(1 << CLEAR_BITS).fill(FINE_TOP_LEVEL);
}
