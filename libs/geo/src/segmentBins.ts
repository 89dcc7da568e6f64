import type { Box } from './degreeMargins.ts';

/** Most bins along one axis; keeps keys unique (iy * KEY_STRIDE + ix) and the map small. */
const MAX_BINS_PER_AXIS = 4096;
const KEY_STRIDE = 1 << 20;

/**
 * A uniform lon/lat grid over one zone that maps each bin to the segments (path segments or ring
 * edges) whose registered box touches it, so classifying a cell looks at a handful of segments
 * instead of all of them. Floor of a monotone map is monotone, so a point inside a registered box
 * always lands in one of the box's bins.
 */
export class SegmentBins {
  private readonly bins = new Map<number, number[]>();
  private readonly originLon: number;
  private readonly originLat: number;
  private readonly step: number;
  private readonly seen: Int32Array;
  private stamp = 0;

  constructor(extent: Box, step: number, segments: number) {
    this.originLon = extent.minLon;
    this.originLat = extent.minLat;
    const span = Math.max(extent.maxLon - extent.minLon, extent.maxLat - extent.minLat);
    this.step = Math.max(step, span / MAX_BINS_PER_AXIS);
    this.seen = new Int32Array(segments);
  }

  private ix(lon: number): number {
    return Math.min(MAX_BINS_PER_AXIS, Math.max(-1, Math.floor((lon - this.originLon) / this.step)));
  }

  private iy(lat: number): number {
    return Math.min(MAX_BINS_PER_AXIS, Math.max(-1, Math.floor((lat - this.originLat) / this.step)));
  }

  add(segment: number, box: Box): void {
    for (let y = this.iy(box.minLat); y <= this.iy(box.maxLat); y++) {
      for (let x = this.ix(box.minLon); x <= this.ix(box.maxLon); x++) {
        const key = y * KEY_STRIDE + x;
        const bin = this.bins.get(key);
        if (bin) bin.push(segment);
        else this.bins.set(key, [segment]);
      }
    }
  }

  /** Segments registered in the bin of a point. */
  at(lon: number, lat: number): readonly number[] {
    return this.bins.get(this.iy(lat) * KEY_STRIDE + this.ix(lon)) ?? [];
  }

  /** Segments registered in any bin a box touches, each once, ascending. */
  overlapping(box: Box): number[] {
    this.stamp++;
    const out: number[] = [];
    for (let y = this.iy(box.minLat); y <= this.iy(box.maxLat); y++) {
      for (let x = this.ix(box.minLon); x <= this.ix(box.maxLon); x++) {
        for (const s of this.bins.get(y * KEY_STRIDE + x) ?? []) {
          if (this.seen[s] !== this.stamp) {
            this.seen[s] = this.stamp;
            out.push(s);
          }
        }
      }
    }
    return out.sort((a, b) => a - b);
  }
}
