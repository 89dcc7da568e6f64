import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitLines } from '../src/ndjsonLines.ts';

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

describe('splitLines', () => {
  it('breaks lines exactly where readline does (LF, CRLF, lone CR, last line), however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom('a', '{', 'é', '😀', '\r', '\n', ' '), maxLength: 40 }), fc.nat(5), async (text, size) => {
        const reference = await collect(createInterface({ input: Readable.from(chunks(text, size)), crlfDelay: Infinity }));
        expect(await collect(splitLines(Readable.from(chunks(text, size))))).toEqual(reference);
      }),
      { numRuns: 2_000 },
    );
  });

  it('counts the bytes it has read, for progress', async () => {
    const counter = { bytes: 0 };
    await collect(splitLines(Readable.from(chunks('é\n😀\n', 3)), counter));
    expect(counter.bytes).toBe(Buffer.byteLength('é\n😀\n'));
  });
});
