import { Jt809DecodeError } from './errors.ts';
import { HEAD_FLAG, TAIL_FLAG } from './escape.ts';

export interface FrameSplitterOptions {
  /** Largest escaped frame, flags excluded. Default 8 KiB: a 0x1203 of five 2019 fixes with every TLV is under 2 KiB. */
  readonly maxFrameBytes?: number;
}

export type SplitItem =
  /** Escaped bytes between a 0x5B and the next 0x5D (flags excluded): hand them to decodeFrame. */
  | { readonly kind: 'frame'; readonly bytes: Uint8Array }
  | { readonly kind: 'error'; readonly error: Jt809DecodeError };

export interface SplitterStats {
  frames: number;
  /** Bytes outside any frame (before a 0x5B), discarded. */
  garbageBytes: number;
  oversizedFrames: number;
  /** Frames cut short by a new 0x5B before their 0x5D. */
  cutFrames: number;
}

export const DEFAULT_MAX_FRAME_BYTES = 8192;

/**
 * Cuts a TCP byte stream into frames. Escaping keeps 0x5B and 0x5D out of frame contents, so a
 * frame is a 0x5B, bytes, a 0x5D. Bytes outside frames are counted as garbage; a 0x5B inside a
 * frame starts a new one (the cut one is reported as 'truncated'); an over-long frame is reported
 * once as 'frame-too-large' and skipped to its 0x5D. Memory is one buffer of maxFrameBytes.
 */
export class FrameSplitter {
  readonly maxFrameBytes: number;
  readonly stats: SplitterStats = { frames: 0, garbageBytes: 0, oversizedFrames: 0, cutFrames: 0 };
  private buf: Uint8Array | undefined;
  private len = 0;
  private inFrame = false;
  private overflowing = false;

  constructor(options: FrameSplitterOptions = {}) {
    const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isInteger(max) || max < 32 || max > 1 << 24) throw new RangeError(`maxFrameBytes must be an integer in 32..16777216, got ${max}`);
    this.maxFrameBytes = max;
  }

  /** Bytes held for an unfinished frame. */
  get buffered(): number {
    return this.len;
  }

  push(chunk: Uint8Array): SplitItem[] {
    const items: SplitItem[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      if (!this.inFrame) {
        const head = chunk.indexOf(HEAD_FLAG, pos);
        const until = head === -1 ? chunk.length : head;
        this.stats.garbageBytes += until - pos;
        if (head === -1) break;
        this.inFrame = true;
        this.overflowing = false;
        this.len = 0;
        pos = head + 1;
        continue;
      }
      // Inside a frame: up to the next flag of either kind.
      let i = pos;
      while (i < chunk.length && chunk[i] !== TAIL_FLAG && chunk[i] !== HEAD_FLAG) i++;
      this.take(chunk, pos, i, items);
      if (i === chunk.length) break;
      if (chunk[i] === TAIL_FLAG) {
        if (!this.overflowing) this.emit(items);
        this.inFrame = false;
        this.len = 0;
        pos = i + 1;
      } else {
        // A new frame starts before this one ended: what was held is not a frame.
        if (!this.overflowing) {
          this.stats.cutFrames++;
          items.push({ kind: 'error', error: new Jt809DecodeError('truncated', `frame of ${this.len} byte(s) cut by a new 0x5B before its 0x5D`) });
        }
        this.len = 0;
        this.overflowing = false;
        pos = i + 1;
      }
    }
    return items;
  }

  /** Forget any partial frame. */
  reset(): void {
    this.len = 0;
    this.inFrame = false;
    this.overflowing = false;
  }

  private take(chunk: Uint8Array, from: number, to: number, items: SplitItem[]): void {
    const n = to - from;
    if (n === 0 || this.overflowing) return;
    if (this.len + n > this.maxFrameBytes) {
      this.overflowing = true;
      this.stats.oversizedFrames++;
      this.len = 0;
      items.push({ kind: 'error', error: new Jt809DecodeError('frame-too-large', `frame exceeds ${this.maxFrameBytes} bytes; discarding to its 0x5D`) });
      return;
    }
    this.buf ??= new Uint8Array(this.maxFrameBytes);
    this.buf.set(chunk.subarray(from, to), this.len);
    this.len += n;
  }

  private emit(items: SplitItem[]): void {
    if (this.len === 0) return;
    this.stats.frames++;
    items.push({ kind: 'frame', bytes: this.buf!.slice(0, this.len) });
  }
}
