import type { ContentRun } from './knownEvents.ts';

/**
 * A batch's canonical JSON, written once: the events' texts joined and encoded as UTF-8 in one
 * call, into a buffer lent by a `StagingBuffers`. Each event's JSON is built from a dozen pieces
 * (a rope, in V8), and the first to read it flattened it: once per event, then a UTF-8 write
 * per event to remember it (RecentIds). Joined, the batch is flattened and written in one piece,
 * each event's text is a flat slice of it (what the bus encodes, with nothing left to flatten),
 * and RecentIds copies the whole run of bytes at once — 5–8 % of the gateway's CPU per fix.
 */
export class BatchText implements ContentRun {
  private constructor(
    /** Per event, its canonical JSON: a slice of the batch's one flat string. */
    readonly texts: string[],
    /** The batch's UTF-8; event i is `bytes[starts[i], starts[i + 1])`. */
    readonly bytes: Buffer,
    readonly starts: Int32Array,
    private readonly staging: StagingBuffers,
  ) {}

  static of(json: readonly string[], staging: StagingBuffers): BatchText {
    let all = '';
    for (let i = 0; i < json.length; i++) all += json[i] as string;
    // Flattens the joined text once; every slice below then shares its characters.
    const size = Buffer.byteLength(all, 'utf8');
    const bytes = staging.take(size);
    bytes.write(all, 0, size, 'utf8');
    const texts = new Array<string>(json.length);
    const starts = new Int32Array(json.length + 1);
    let at = 0;
    let byte = 0;
    for (let i = 0; i < json.length; i++) {
      const length = (json[i] as string).length;
      const text = all.slice(at, at + length);
      texts[i] = text;
      starts[i] = byte;
      at += length;
      // All ASCII (nearly every batch: ids, times and numbers are): a character is a byte.
      byte += size === all.length ? length : Buffer.byteLength(text, 'utf8');
    }
    starts[json.length] = byte;
    return new BatchText(texts, bytes, starts, staging);
  }

  /** A batch's text written elsewhere (the fix scanner): the texts, their UTF-8 in a buffer of `staging`'s, and where each starts. */
  static written(texts: string[], bytes: Buffer, starts: Int32Array, staging: StagingBuffers): BatchText {
    return new BatchText(texts, bytes, starts, staging);
  }

  #released = false;

  /** Gives the buffer back: the texts stay, `bytes` must not be read again. Once: a buffer given twice would be lent to two batches. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.staging.give(this.bytes);
  }
}

/** The most bytes a kept buffer may have (a batch of fixes is ~110 KB): larger ones are left to the GC. */
const MAX_KEPT_BYTES = 4 * 1024 * 1024;

/**
 * Buffers lent to batches in flight and taken back once their bytes are remembered: a fresh
 * buffer per batch is memory outside the JavaScript heap, whose growth V8 answers with
 * collections of the old generation.
 */
export class StagingBuffers {
  readonly #free: Buffer[] = [];

  /** @param kept How many free buffers to keep (about the requests in flight at once). */
  constructor(private readonly kept = 16) {}

  /** A buffer of exactly `size` bytes (a view of a kept one when one is large enough). */
  take(size: number): Buffer {
    for (let i = this.#free.length - 1; i >= 0; i--) {
      const free = this.#free[i] as Buffer;
      if (free.buffer.byteLength >= size) {
        this.#free.splice(i, 1);
        return free.subarray(0, size);
      }
    }
    return Buffer.allocUnsafeSlow(Math.max(size, 256 * 1024)).subarray(0, size);
  }

  give(bytes: Buffer): void {
    const whole = Buffer.from(bytes.buffer, 0, bytes.buffer.byteLength);
    if (this.#free.length < this.kept && whole.length <= MAX_KEPT_BYTES) this.#free.push(whole);
  }
}
