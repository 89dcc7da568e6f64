import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EvidenceDigester } from '../src/digest.ts';

/** Lines of a fleet's fixes, with non-ASCII ids (~13 MB: runs past the line buffer's megabyte). */
const lines = Array.from(
  { length: 60_000 },
  (_, i) => `{"eventId":"jt808:浙J${10_000 + (i % 300)}:${i}","type":"VehiclePositionReported","occurredAt":"2026-03-01T08:00:00+08:00","data":{"lat":28.4,"lon":121.${i},"speedKmh":${i % 90},"vehicleId":"浙J${10_000 + (i % 300)}"}}${'x'.repeat(i % 7)}`,
);
const expected = createHash('sha256').update(lines.map((l) => `${l}\n`).join(''), 'utf8').digest('hex');

/** Groups of `size` lines as one page's NDJSON bytes with the end of each line, as the store hands them. */
function pagesOf(size: number): { bytes: Uint8Array; ends: Int32Array; from: number }[] {
  const out = [];
  for (let from = 0; from < lines.length; from += size) {
    const chunk = lines.slice(from, from + size).map((l) => Buffer.from(`${l}\n`, 'utf8'));
    const ends = new Int32Array(chunk.length);
    let at = 0;
    chunk.forEach((b, i) => (ends[i] = at += b.length));
    out.push({ bytes: new Uint8Array(Buffer.concat(chunk)), ends, from });
  }
  return out;
}

describe('EvidenceDigester', () => {
  it('gives the SHA-256 of the lines, however they come — strings, whole pages, runs of a page between strings', () => {
    const d = new EvidenceDigester();
    pagesOf(2_000).forEach(({ bytes, ends, from }, p) => {
      let start = 0;
      ends.forEach((end, i) => {
        const line = lines[from + i] as string;
        // Every third page whole; in the others every fifth line as a string, which splits the page into runs.
        if (p % 3 !== 0 && i % 5 === 0) d.add(line, `pos-${from + i}`);
        else d.addEncoded(bytes, start, end, `pos-${from + i}`);
        start = end;
      });
    });
    expect(d.finish()).toEqual({ sha256: expected, events: lines.length, firstPosition: 'pos-0', lastPosition: `pos-${lines.length - 1}` });
  });

  it('hashes a line longer than its buffer whole, between encoded pages', () => {
    const long = 'y'.repeat(3 << 20);
    const page = new Uint8Array(Buffer.from('a\nb\n'));
    const d = new EvidenceDigester();
    d.addEncoded(page, 0, 2, null);
    d.add(long, null);
    d.addEncoded(page, 2, 4, null);
    expect(d.finish()).toEqual({ sha256: createHash('sha256').update(`a\n${long}\nb\n`).digest('hex'), events: 3, firstPosition: null, lastPosition: null });
  });
});
