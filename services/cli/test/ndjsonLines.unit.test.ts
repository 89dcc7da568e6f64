import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitByteLines, splitLineBatches, splitLines } from '../src/ndjsonLines.ts';

function chunks(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text);
  if (size === 0 || bytes.length === 0) return [bytes];
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

async function byteLines(stream: Readable): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of splitByteLines(stream)) {
    expect(batch.count).toBeGreaterThan(0);
    for (let k = 0; k < batch.count; k++) out.push(batch.text(k));
  }
  return out;
}

describe('splitLines', () => {
  it('breaks lines exactly where readline does (LF, CRLF, lone CR, last line), however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom('a', '{', 'é', '😀', '\r', '\n', ' '), maxLength: 40 }), fc.nat(5), async (text, size) => {
        const reference = await collect(createInterface({ input: Readable.from(chunks(text, size)), crlfDelay: Infinity }));
        expect(await collect(splitLines(Readable.from(chunks(text, size))))).toEqual(reference);
        const batches: string[][] = [];
        for await (const batch of splitLineBatches(Readable.from(chunks(text, size)))) batches.push(batch);
        expect(batches.flat()).toEqual(reference);
        expect(batches.every((b) => b.length > 0)).toBe(true);
        expect(await byteLines(Readable.from(chunks(text, size)))).toEqual(reference);
      }),
      { numRuns: 2_000 },
    );
  });

  it('gives splitLines\' lines from undecoded bytes, invalid UTF-8 included, however the bytes are chunked', async () => {
    const unit = fc.oneof(fc.constantFrom(0x61, 0x7b, 0x0d, 0x0a, 0x20, 0x22), fc.integer({ min: 0x80, max: 0xff }), fc.constantFrom(...Buffer.from('é😀浙')));
    await fc.assert(
      fc.asyncProperty(fc.array(unit, { maxLength: 40 }), fc.nat(5), async (units, size) => {
        const bytes = Buffer.from(units);
        const parts = (): Buffer[] => (size === 0 || bytes.length === 0 ? [bytes] : Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, i * size + size)));
        // splitLines, not readline: at the end of the input an incomplete character is U+FFFD, which readline drops.
        const reference = await collect(splitLines(Readable.from(parts())));
        expect(await byteLines(Readable.from(parts()))).toEqual(reference);
      }),
      { numRuns: 3_000 },
    );
  });

  it('counts the bytes it has read, for progress', async () => {
    const counter = { bytes: 0 };
    await collect(splitLines(Readable.from(chunks('é\n😀\n', 3)), counter));
    expect(counter.bytes).toBe(Buffer.byteLength('é\n😀\n'));
  });
});
