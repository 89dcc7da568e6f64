import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { UsageError } from './io.ts';

export interface LineSource {
  lines: AsyncIterable<string>;
  /** The same lines, a read's worth at a time (one await per chunk), undecoded where possible (see ByteLines). */
  byteBatches: AsyncIterable<ByteLines>;
  /** Size in bytes when known (a file), for progress. */
  size: number | null;
  /** Bytes read so far. */
  bytesRead(): number;
}

/** Opens `path` (or stdin for `-`) as a stream of lines. */
export function openLines(path: string, stdin: Readable): LineSource {
  let stream: Readable;
  let size: number | null = null;
  if (path === '-') {
    stream = stdin;
  } else {
    try {
      const st = statSync(path);
      if (!st.isFile()) throw new UsageError(`${path}: not a file`);
      size = st.size;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
    // Large reads: a million-line file is read in ~200 chunks instead of ~3,000.
    stream = createReadStream(path, { highWaterMark: 1 << 20 });
  }
  const counter = { bytes: 0 };
  return {
    get lines() {
      return splitLines(stream, counter);
    },
    get byteBatches() {
      return path === '-' ? textByteLines(splitLineBatches(stream, counter)) : splitByteLines(stream, counter);
    },
    size,
    bytesRead: () => counter.bytes,
  };
}

/**
 * The lines of a stream as `readline` (crlfDelay: Infinity) gives them — broken at LF, CRLF and a
 * lone CR, the last line without its break, no line after a final break — at a third of its cost
 * per line (it was a third of the time of reading a fleet's NDJSON): one indexOf and one slice a
 * line, no events.
 */
export async function* splitLines(stream: Readable, counter: { bytes: number } = { bytes: 0 }): AsyncGenerator<string> {
  for await (const batch of splitLineBatches(stream, counter)) yield* batch;
}

/**
 * `splitLines`, the lines of each chunk read as one array: a caller going through millions of
 * lines (`dgt detect`) awaits once a chunk rather than once a line.
 */
export async function* splitLineBatches(stream: Readable, counter: { bytes: number } = { bytes: 0 }): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    counter.bytes += chunk.length;
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    const batch: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const line = text.slice(start, nl);
      start = nl + 1;
      if (line.includes('\r')) batch.push(...carriageReturns(line, false));
      else batch.push(line);
    }
    rest = text.slice(start);
    if (batch.length > 0) yield batch;
  }
  rest += decoder.end();
  if (rest.length > 0) yield rest.includes('\r') ? [...carriageReturns(rest, true)] : [rest];
}

/** A segment between LFs that holds a CR: a CR before the LF is part of CRLF, any other ends a line. */
function* carriageReturns(segment: string, last: boolean): Generator<string> {
  const parts = segment.split('\r');
  // "a\r" before an LF: CRLF, one line. At the end of the input "a\r" is one line too.
  if (parts[parts.length - 1] === '') parts.pop();
  else if (last && parts.length === 0) return;
  yield* parts;
}

/**
 * Lines of a chunk of bytes, left undecoded: line k is the UTF-8 of `bytes[starts[k], ends[k])`, or,
 * where `starts[k]` is -1, the text `texts[k]` (a line split at a lone CR, or a stream of text). A
 * reader that can read a line from its bytes (a fix, see parsePositionBytes) never decodes it.
 */
export class ByteLines {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  texts: (string | undefined)[] | null = null;
  constructor(readonly bytes: Buffer) {}

  get count(): number {
    return this.starts.length;
  }

  /** Line k as `splitLines` gives it. */
  text(k: number): string {
    const start = this.starts[k] as number;
    return start < 0 ? ((this.texts as (string | undefined)[])[k] as string) : this.bytes.toString('utf8', start, this.ends[k]);
  }

  addBytes(start: number, end: number): void {
    this.starts.push(start);
    this.ends.push(end);
  }

  addText(line: string): void {
    (this.texts ??= [])[this.starts.length] = line;
    this.starts.push(-1);
    this.ends.push(-1);
  }
}

const EMPTY = Buffer.alloc(0);

async function* textByteLines(batches: AsyncIterable<string[]>): AsyncGenerator<ByteLines> {
  for await (const batch of batches) {
    const out = new ByteLines(EMPTY);
    for (const line of batch) out.addText(line);
    yield out;
  }
}

/**
 * `splitLineBatches` without decoding: lines are cut at LF in the bytes (UTF-8 never has the byte
 * 0x0A inside a character, and decoding is the same line by line as for the whole text, since an
 * ASCII byte always ends a sequence, valid or not); a line holding a CR is decoded and split as
 * `splitLines` does. Each batch holds the bytes of every complete line read so far.
 */
export async function* splitByteLines(stream: Readable, counter: { bytes: number } = { bytes: 0 }): AsyncGenerator<ByteLines> {
  let rest: Buffer = EMPTY;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    counter.bytes += chunk.length;
    const bytes = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
    const batch = new ByteLines(bytes);
    let start = 0;
    // The next CR at or after `start` (-1: none in the chunk), looked for again only once passed.
    let cr = bytes.indexOf(0x0d);
    for (let nl = bytes.indexOf(0x0a); nl !== -1; nl = bytes.indexOf(0x0a, start)) {
      if (cr !== -1 && cr < start) cr = bytes.indexOf(0x0d, start);
      if (cr !== -1 && cr < nl) for (const line of carriageReturns(bytes.toString('utf8', start, nl), false)) batch.addText(line);
      else batch.addBytes(start, nl);
      start = nl + 1;
    }
    rest = bytes.subarray(start);
    if (batch.count > 0) yield batch;
  }
  if (rest.length > 0) {
    const last = rest.toString('utf8');
    const batch = new ByteLines(EMPTY);
    for (const line of last.includes('\r') ? carriageReturns(last, true) : [last]) batch.addText(line);
    if (batch.count > 0) yield batch;
  }
}
