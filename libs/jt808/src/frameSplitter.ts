import { Jt808DecodeError } from './errors.ts';
import { FLAG } from './escape.ts';

export interface FrameSplitterOptions {
  /** Largest escaped frame (bytes between the flags). A 2019 frame with a full 1023-byte body, every byte escaped, is ≈ 2.1 KB. */
  readonly maxFrameBytes?: number;
}

export type SplitItem =
  /** Escaped bytes between two 0x7E flags (flags excluded): hand them to decodeFrame. */
  | { readonly kind: 'frame'; readonly bytes: Uint8Array }
  | { readonly kind: 'error'; readonly error: Jt808DecodeError };

export interface SplitterStats {
  frames: number;
  /** Bytes before the first flag of the stream, discarded. */
  garbageBytes: number;
  oversizedFrames: number;
  /** Bytes of over-long frames, discarded up to the next flag. */
  discardedBytes: number;
}

export const DEFAULT_MAX_FRAME_BYTES = 4096;

/**
 * Cuts a TCP byte stream into frames. Every 0x7E is a delimiter and empty segments are skipped,
 * so both `7E…7E7E…7E` and shared-flag `7E…7E…7E` streams split correctly. Memory is one buffer
 * of maxFrameBytes; an over-long frame yields a 'frame-too-large' error and the splitter resyncs
 * at the next flag.
 */
export class FrameSplitter {
  readonly maxFrameBytes: number;
  readonly stats: SplitterStats = { frames: 0, garbageBytes: 0, oversizedFrames: 0, discardedBytes: 0 };
  private buf: Uint8Array | undefined;
  private len = 0;
  private synced = false;
  private overflowing = false;

  constructor(options: FrameSplitterOptions = {}) {
    const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isInteger(max) || max < 16 || max > 1 << 20) throw new RangeError(`maxFrameBytes must be an integer in 16..1048576, got ${max}`);
    this.maxFrameBytes = max;
  }

  /** Bytes held for an unfinished frame. */
  get buffered(): number {
    return this.len;
  }

  push(chunk: Uint8Array): SplitItem[] {
    const items: SplitItem[] = [];
    let pos = 0;
    if (!this.synced) {
      const first = chunk.indexOf(FLAG);
      if (first === -1) {
        this.stats.garbageBytes += chunk.length;
        return items;
      }
      this.stats.garbageBytes += first;
      this.synced = true;
      pos = first + 1;
    }
    while (pos < chunk.length) {
      const flagAt = chunk.indexOf(FLAG, pos);
      const end = flagAt === -1 ? chunk.length : flagAt;
      const segment = end - pos;
      if (this.overflowing) {
        this.stats.discardedBytes += segment;
      } else if (this.len + segment > this.maxFrameBytes) {
        this.overflowing = true;
        this.stats.oversizedFrames++;
        this.stats.discardedBytes += this.len + segment;
        this.len = 0;
        items.push({
          kind: 'error',
          error: new Jt808DecodeError('frame-too-large', `frame exceeds ${this.maxFrameBytes} bytes; discarding to the next 0x7E`),
        });
      } else if (flagAt !== -1 && this.len === 0) {
        // Whole frame inside this chunk: one copy, no staging.
        if (segment > 0) this.emit(items, chunk.slice(pos, end));
      } else {
        this.buf ??= new Uint8Array(this.maxFrameBytes);
        this.buf.set(chunk.subarray(pos, end), this.len);
        this.len += segment;
        if (flagAt !== -1) {
          this.emit(items, this.buf.slice(0, this.len));
          this.len = 0;
        }
      }
      if (flagAt === -1) break;
      this.overflowing = false;
      pos = flagAt + 1;
    }
    return items;
  }

  /** Forget any partial frame (e.g. after the connection's decoder gave up on it). */
  reset(): void {
    this.len = 0;
    this.synced = false;
    this.overflowing = false;
  }

  private emit(items: SplitItem[], bytes: Uint8Array): void {
    this.stats.frames++;
    items.push({ kind: 'frame', bytes });
  }
}
