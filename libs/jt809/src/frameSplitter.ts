import { Jt809DecodeError } from './errors.ts';
import { HEAD_FLAG, TAIL_FLAG } from './escape.ts';
/**
 * Frames handed out are carved from blocks of this size, one allocation per block rather than
 * per frame: a typed array over 64 bytes gets its own off-heap store, which costs more than
 * everything else the splitter does for a frame.
 */
const BLOCK_BYTES = 65_536;

export interface FrameSplitterOptions {
  /** Largest escaped frame, flags excluded. Default 8 KiB: a 0x1203 of five 2019 fixes with every TLV is under 2 KiB. */
  readonly maxFrameBytes?: number;
}

export type SplitItem =
  /**
   * Escaped bytes between a 0x5B and the next 0x5D (flags excluded): hand them to decodeFrame.
   * A copy, later chunks do not change it; it shares a 64 KiB block with neighbouring frames, so
   * `slice()` a frame kept for long rather than keep the block alive.
   */
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
 * once as 'frame-too-large' and skipped to its 0x5D. Memory is one buffer of maxFrameBytes for
 * the frame being read, and the current 64 KiB block frames are copied out to.
 */
export class FrameSplitter {
  readonly maxFrameBytes: number;
  readonly stats: SplitterStats = { frames: 0, garbageBytes: 0, oversizedFrames: 0, cutFrames: 0 };
  private buf: Uint8Array | undefined;
  private len = 0;
  private block: Uint8Array | undefined;
  private blockUsed = 0;
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
      // Inside a frame: up to the next flag of either kind. indexOf searches natively (memchr on
      // a Buffer), several times faster than comparing byte by byte here.
      const tail = chunk.indexOf(TAIL_FLAG, pos);
      const head = chunk.indexOf(HEAD_FLAG, pos);
      const i = head !== -1 && (tail === -1 || head < tail) ? head : tail === -1 ? chunk.length : tail;
      const n = i - pos;
      // A frame wholly inside this chunk is copied once, straight out; others are held until their 0x5D.
      let whole = false;
      if (n > 0 && !this.overflowing) {
        if (this.len + n > this.maxFrameBytes) this.overflow(items);
        else if (this.len === 0 && i === tail) whole = true;
        else {
          (this.buf ??= new Uint8Array(this.maxFrameBytes)).set(view(chunk, pos, n), this.len);
          this.len += n;
        }
      }
      if (i === chunk.length) break;
      if (i === tail) {
        if (whole) this.emit(chunk, pos, n, items);
        else if (!this.overflowing && this.len > 0) this.emit(this.buf!, 0, this.len, items);
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

  private overflow(items: SplitItem[]): void {
    this.overflowing = true;
    this.stats.oversizedFrames++;
    this.len = 0;
    items.push({ kind: 'error', error: new Jt809DecodeError('frame-too-large', `frame exceeds ${this.maxFrameBytes} bytes; discarding to its 0x5D`) });
  }

  private emit(from: Uint8Array, at: number, n: number, items: SplitItem[]): void {
    this.stats.frames++;
    if (this.block === undefined || this.block.length - this.blockUsed < n) {
      this.block = new Uint8Array(Math.max(BLOCK_BYTES, n));
      this.blockUsed = 0;
    }
    const to = this.blockUsed;
    this.block.set(view(from, at, n), to);
    this.blockUsed = to + n;
    items.push({ kind: 'frame', bytes: this.block.subarray(to, to + n) });
  }
}

/** bytes[at, at + n) as a plain Uint8Array view (a Buffer's own subarray builds a Buffer, which costs more). */
function view(bytes: Uint8Array, at: number, n: number): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + at, n);
}
