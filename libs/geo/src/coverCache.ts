import type { LonLat } from './types.ts';
import type { ZoneGeometry } from './zoneGeometry.ts';
import type { ZoneCover } from './zoneCover.ts';

/**
 * Default bound of the shared cache: ~ 150 bytes a cell once no index holds the cover any more, so
 * ≤ ~ 75 MB; Taizhou's real zone set (8 parks, their lots, a few corridors) is ~ 100k cells.
 */
export const DEFAULT_COVER_CACHE_CELLS = 500_000;

function numberKey(x: number): string {
  // String(x) is the shortest round-trip form, so distinct doubles give distinct keys — except -0.
  return Object.is(x, -0) ? '-0' : String(x);
}

function pointsKey(points: readonly LonLat[]): string {
  let s = '';
  for (const p of points) s += `${numberKey(p[0])},${numberKey(p[1])};`;
  return s;
}

/**
 * What a cover depends on, and nothing else: the WGS-84 geometry as indexed (after datum conversion
 * and merging of near-duplicate path points), the buffer and the resolution. Parking lots and
 * chemical parks with the same ring share one cover; zone ids, names and times play no part.
 */
export function coverKey(geometry: ZoneGeometry, res: number): string {
  switch (geometry.shape) {
    case 'polygon':
      return `P|${res}|${pointsKey(geometry.polygon)}`;
    case 'buffer':
      return `B|${res}|${numberKey(geometry.bufferM)}|${pointsKey(geometry.path)}`;
    default: {
      const never: never = geometry;
      throw new Error(`unreachable: ${String(never)}`);
    }
  }
}

/**
 * A bounded memo of zone covers: the same geometry designated again in the same process (the next
 * audit, the next replay, a projector restart) reuses its cells instead of recomputing them. Least
 * recently used covers are evicted once the cells held exceed `maxCells`. Deterministic and pure (no
 * clock, no randomness): a hit returns exactly what a miss would compute, so answers never depend on
 * what the cache holds. Covers are read-only, so one instance is safely shared by every index.
 */
export class CoverCache {
  readonly maxCells: number;
  // A Map iterates in insertion order: re-inserting on a hit keeps the least recently used first.
  private readonly entries = new Map<string, { readonly cover: ZoneCover; readonly weight: number }>();
  private heldCells = 0;
  private hitCount = 0;
  private missCount = 0;

  constructor(options?: { maxCells?: number }) {
    const maxCells = options?.maxCells ?? DEFAULT_COVER_CACHE_CELLS;
    if (!Number.isInteger(maxCells) || maxCells < 0) throw new RangeError(`maxCells must be a non-negative integer, got ${maxCells}`);
    this.maxCells = maxCells;
  }

  /** The cover for `key`, computed by `compute` on a miss (an error it throws is not cached). */
  get(key: string, compute: () => ZoneCover): ZoneCover {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.hitCount++;
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.cover;
    }
    this.missCount++;
    const cover = compute();
    // The key (a string of every coordinate) weighs too: a many-vertex ring may have few cells.
    const weight = cover.cells.length + Math.ceil(key.length / 64);
    if (weight > this.maxCells) return cover;
    this.entries.set(key, { cover, weight });
    this.heldCells += weight;
    for (const [k, e] of this.entries) {
      if (this.heldCells <= this.maxCells) break;
      this.entries.delete(k);
      this.heldCells -= e.weight;
    }
    return cover;
  }

  stats(): { covers: number; cells: number; hits: number; misses: number } {
    return { covers: this.entries.size, cells: this.heldCells, hits: this.hitCount, misses: this.missCount };
  }

  clear(): void {
    this.entries.clear();
    this.heldCells = 0;
  }
}

/** The process-wide cache every ZoneIndex uses unless given another (or none). */
export const sharedCoverCache = new CoverCache();
