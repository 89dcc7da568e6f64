import { bucketIndex } from './bucketGrid.ts';

/**
 * The H3 cells of one zone geometry at one resolution, in a compact, version-independent form, so the
 * same geometry designated again (next audit, replay, projector restart) reuses it from the cover cache.
 * Read-only once built: the cache shares one instance between every index that designates it.
 */
export interface ZoneCover {
  /** Sorted ascending, so equal designations give equal indexes whatever the traversal did. */
  readonly cells: readonly string[];
  /** 1 where every point of the cell is in the zone (no exact test needed), else 0. */
  readonly interior: Uint8Array;
  /** Per cell: for boundary cells of a buffer zone, the only path segments that can decide membership. */
  readonly segments: readonly (Int32Array | null)[];
  readonly boundaryCells: number;
  /**
   * The zone's footprint in each prefilter bucket it touches (union of the enlarged lon/lat boxes of
   * its cells there), in first-touch order: `bucketYX` holds y, x per bucket; `footprintBoxes` holds
   * minLon, minLat, maxLon, maxLat per bucket.
   */
  readonly bucketYX: Int32Array;
  readonly footprintBoxes: Float64Array;
}

/**
 * Builds the cover from cells in any order; `boxes` holds each cell's enlarged lon/lat box (minLon,
 * minLat, maxLon, maxLat), in the same order as `cells`.
 */
export function buildZoneCover(cells: readonly string[], interior: readonly boolean[], segments: readonly (Int32Array | null)[], boxes: Float64Array): ZoneCover {
  const n = cells.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    const ca = cells[a] as string;
    const cb = cells[b] as string;
    return ca < cb ? -1 : ca > cb ? 1 : 0;
  });
  const sortedCells: string[] = new Array<string>(n);
  const sortedInterior = new Uint8Array(n);
  const sortedSegments: (Int32Array | null)[] = new Array<Int32Array | null>(n);
  let boundaryCells = 0;
  // y · 2^20 + x is unique for every bucket on Earth (|x| ≤ 180,000 < 2^19) and exact in a double.
  const footprintOf = new Map<number, number>();
  const yx: number[] = [];
  const fb: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    sortedCells[k] = cells[i] as string;
    sortedInterior[k] = interior[i] ? 1 : 0;
    sortedSegments[k] = segments[i] ?? null;
    if (!interior[i]) boundaryCells++;
    const minLon = boxes[4 * i] as number, minLat = boxes[4 * i + 1] as number;
    const maxLon = boxes[4 * i + 2] as number, maxLat = boxes[4 * i + 3] as number;
    const y1 = bucketIndex(maxLat), x1 = bucketIndex(maxLon);
    for (let y = bucketIndex(minLat); y <= y1; y++) {
      for (let x = bucketIndex(minLon); x <= x1; x++) {
        const key = y * 1_048_576 + x;
        const f = footprintOf.get(key);
        if (f === undefined) {
          footprintOf.set(key, yx.length / 2);
          yx.push(y, x);
          fb.push(minLon, minLat, maxLon, maxLat);
        } else {
          fb[4 * f] = Math.min(fb[4 * f] as number, minLon);
          fb[4 * f + 1] = Math.min(fb[4 * f + 1] as number, minLat);
          fb[4 * f + 2] = Math.max(fb[4 * f + 2] as number, maxLon);
          fb[4 * f + 3] = Math.max(fb[4 * f + 3] as number, maxLat);
        }
      }
    }
  }
  return Object.freeze({
    cells: Object.freeze(sortedCells),
    interior: sortedInterior,
    segments: Object.freeze(sortedSegments),
    boundaryCells,
    bucketYX: Int32Array.from(yx),
    footprintBoxes: Float64Array.from(fb),
  });
}
