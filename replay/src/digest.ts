import { createHash, type Hash } from 'node:crypto';
import type { EvidenceDigest } from '@dgt/events';

/** Encoded runs shorter than this are copied into the buffer; longer ones are hashed in place. */
const SHORT_RUN = 64 * 1024;

/**
 * SHA-256 over the canonical NDJSON of the events fed, in order (each line ends with "\n"), with
 * the count and the store positions of the first and last event. Lines are encoded into one
 * buffer hashed per megabyte: a hash `update` per line costs more than the hashing itself. Lines
 * the store already holds as UTF-8 (`addEncoded`, a page's NDJSON) are hashed as they are.
 */
export class EvidenceDigester {
  private readonly hash: Hash = createHash('sha256');
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private count = 0;
  private first: string | null = null;
  private last: string | null = null;

  add(line: string, position: string | null): void {
    this.flushEncoded();
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const room = line.length * 3 + 1;
    if (this.used + room > this.buffer.length) this.drain();
    if (room > this.buffer.length) this.hash.update(line + '\n', 'utf8');
    else {
      this.used += this.buffer.write(line, this.used, 'utf8');
      this.buffer[this.used++] = 10;
    }
    if (this.count === 0) this.first = position;
    this.last = position;
    this.count++;
  }

  /** A run of lines already encoded, pending: `bytes[encodedFrom, encodedTo)`. */
  private encoded: Uint8Array | null = null;
  private encodedFrom = 0;
  private encodedTo = 0;

  /**
   * One line already encoded, ending in "\n": `bytes[start, end)` (a page's NDJSON as the store
   * holds it, `pageNdjson`). Consecutive lines of one buffer are hashed as one run, as they are.
   */
  addEncoded(bytes: Uint8Array, start: number, end: number, position: string | null): void {
    if (this.encoded !== bytes || this.encodedTo !== start) {
      this.flushEncoded();
      this.encoded = bytes;
      this.encodedFrom = start;
    }
    this.encodedTo = end;
    if (this.count === 0) this.first = position;
    this.last = position;
    this.count++;
  }

  private flushEncoded(): void {
    const bytes = this.encoded;
    if (bytes === null) return;
    this.encoded = null;
    const run = bytes.subarray(this.encodedFrom, this.encodedTo);
    // A page's worth goes to the hash as it is; only short runs are worth gathering first.
    if (run.length < SHORT_RUN && this.used + run.length <= this.buffer.length) {
      this.buffer.set(run, this.used);
      this.used += run.length;
    } else {
      this.drain();
      this.hash.update(run);
    }
  }

  private drain(): void {
    if (this.used > 0) this.hash.update(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  get events(): number {
    return this.count;
  }

  finish(): EvidenceDigest {
    this.flushEncoded();
    this.drain();
    return { sha256: this.hash.digest('hex'), events: this.count, firstPosition: this.first, lastPosition: this.last };
  }
}

/** SHA-256 hex of a text (used for the report file itself). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
