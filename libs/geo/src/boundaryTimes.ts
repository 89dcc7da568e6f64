/**
 * The finite starts and ends of a zone index's versions, as a sorted multiset kept up to date one
 * change at a time: what `ZoneIndex.stableUntil` searches. Re-sorting every time after a change made
 * a zone change cost time in proportion to all zones (20,000 corridors: milliseconds, against a
 * designation's fraction of one); here a change costs a binary search and a splice within one chunk
 * of at most CHUNK_MAX times.
 */
export class BoundaryTimes {
  /** Sorted, non-empty chunks, in order: every time in a chunk is ≤ every time in the next. */
  private readonly chunks: number[][] = [];

  add(t: number): void {
    const chunks = this.chunks;
    if (chunks.length === 0) {
      chunks.push([t]);
      return;
    }
    // The first chunk whose last time is ≥ t (or the last chunk): t belongs there.
    const c = Math.min(this.firstChunkEndingAtOrAfter(t, false), chunks.length - 1);
    const chunk = chunks[c] as number[];
    chunk.splice(upperBound(chunk, t), 0, t);
    if (chunk.length > CHUNK_MAX) chunks.splice(c + 1, 0, chunk.splice(chunk.length >>> 1));
  }

  /** Removes one occurrence of `t` (which must be present). */
  remove(t: number): void {
    const chunks = this.chunks;
    const c = this.firstChunkEndingAtOrAfter(t, false);
    const chunk = chunks[c];
    if (chunk === undefined) throw new Error(`BoundaryTimes.remove: ${t} is not held`);
    const i = lowerBound(chunk, t);
    if (chunk[i] !== t) throw new Error(`BoundaryTimes.remove: ${t} is not held`);
    chunk.splice(i, 1);
    if (chunk.length === 0) chunks.splice(c, 1);
  }

  /** The least time > `t`, or Infinity. */
  after(t: number): number {
    const c = this.firstChunkEndingAtOrAfter(t, true);
    const chunk = this.chunks[c];
    return chunk === undefined ? Infinity : (chunk[upperBound(chunk, t)] as number);
  }

  /** Index of the first chunk whose last time is ≥ t (> t when `strict`), or the chunk count. */
  private firstChunkEndingAtOrAfter(t: number, strict: boolean): number {
    const chunks = this.chunks;
    let lo = 0, hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid] as number[];
      const last = chunk[chunk.length - 1] as number;
      if (strict ? last <= t : last < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Times a chunk holds before it is split in two. */
const CHUNK_MAX = 512;

/** Index of the first element > t. */
function upperBound(xs: readonly number[], t: number): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element ≥ t. */
function lowerBound(xs: readonly number[], t: number): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
