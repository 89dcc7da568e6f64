import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { OutgoingHeaders } from '../src/port.ts';
import { decodeHeaders, encodeHeaders } from '../src/sqlite/headerCodec.ts';

/** The codec as first written: a native call per name and value (Buffer.byteLength, write, toString). */
function referenceEncode(headers: OutgoingHeaders | undefined): Buffer | null {
  if (headers === undefined) return null;
  const entries = Object.entries(headers);
  if (entries.length === 0) return null;
  const length = (v: string | Buffer): number => (typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : v.length);
  let size = 0;
  for (const [name, value] of entries) size += 2 + Buffer.byteLength(name, 'utf8') + 4 + length(value);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const [name, value] of entries) {
    at = out.writeUInt16BE(Buffer.byteLength(name, 'utf8'), at);
    at += out.write(name, at, 'utf8');
    at = out.writeUInt32BE(length(value), at);
    at += typeof value === 'string' ? out.write(value, at, 'utf8') : value.copy(out, at);
  }
  return out;
}

function referenceDecode(blob: Buffer | null): Record<string, Buffer> {
  const headers: Record<string, Buffer> = {};
  if (blob === null) return headers;
  let at = 0;
  while (at < blob.length) {
    const nameLength = blob.readUInt16BE(at);
    at += 2;
    const name = blob.toString('utf8', at, at + nameLength);
    at += nameLength;
    const valueLength = blob.readUInt32BE(at);
    at += 4;
    headers[name] = blob.subarray(at, at + valueLength);
    at += valueLength;
  }
  return headers;
}

// The names dgt writes, and any text (lone surrogates, non-ASCII, empty) so the remembered set fills up too.
const name = fc.oneof(fc.constantFrom('dgt-event-type', 'dgt-event-id', 'dgt-ingested-at', 'dgt-source'), fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }));
const value = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('VehiclePositionReported', '2026-12-04T03:10:00.000Z', '浙J12345', '\ud800', ''),
  fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b)),
);
const headers = fc.dictionary(name, value, { maxKeys: 5 });

/** Header blobs as a log may hold them: written by either codec, or any bytes laid out as headers (names that are not UTF-8 too). */
const rawBlob = fc.array(fc.tuple(fc.uint8Array({ maxLength: 10 }), fc.uint8Array({ maxLength: 10 })), { minLength: 1, maxLength: 4 }).map((pairs) => {
  const parts: Buffer[] = [];
  for (const [n, v] of pairs) {
    const head = Buffer.alloc(2);
    head.writeUInt16BE(n.length);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(v.length);
    parts.push(head, Buffer.from(n), len, Buffer.from(v));
  }
  return Buffer.concat(parts);
});

const plain = (h: Record<string, Buffer>): [string, number[]][] => Object.entries(h).map(([k, v]) => [k, [...v]]);

describe('the embedded bus header codec', () => {
  it('writes the same bytes as the codec with a native call per name and value, for any names and values (10,000 header sets)', () => {
    fc.assert(
      fc.property(headers, (h) => {
        const mine = encodeHeaders(h);
        const reference = referenceEncode(h);
        if (mine === null || reference === null) expect(mine).toBe(reference);
        else expect(mine.equals(reference)).toBe(true);
      }),
      { numRuns: 10_000 },
    );
    expect(encodeHeaders(undefined)).toBeNull();
    expect(encodeHeaders({})).toBeNull();
  });

  it('reads back what the reference reads, names and value bytes in order, from its own blobs and from any bytes laid out as headers (10,000 blobs)', () => {
    fc.assert(
      fc.property(fc.oneof(headers.map((h) => referenceEncode(h)), rawBlob), (blob) => {
        expect(plain(decodeHeaders(blob))).toEqual(plain(referenceDecode(blob)));
      }),
      { numRuns: 10_000 },
    );
    expect(decodeHeaders(null)).toEqual({});
  });

  it('reads a name written from a lone surrogate as its bytes decode (U+FFFD), as the reference does, when the name is the first the codec sees', async () => {
    // A fresh module: names are remembered per process, and the properties above fill the set.
    vi.resetModules();
    const fresh = await import('../src/sqlite/headerCodec.ts');
    const blob = fresh.encodeHeaders({ '\ud800': 'x', 'dgt-event-id': 'e-1' });
    expect(blob?.equals(referenceEncode({ '\ud800': 'x', 'dgt-event-id': 'e-1' }) as Buffer)).toBe(true);
    expect(Object.keys(fresh.decodeHeaders(blob))).toEqual(['\ufffd', 'dgt-event-id']);
  });

  it('gives views of a fresh blob: values are the bytes written, and share nothing with another read', () => {
    const blob = encodeHeaders({ 'dgt-event-id': 'e-1', 'dgt-event-type': 'VehiclePositionReported', raw: Buffer.from([0, 255]) }) as Buffer;
    const first = decodeHeaders(Buffer.from(blob));
    const second = decodeHeaders(Buffer.from(blob));
    expect(first['dgt-event-id']?.toString()).toBe('e-1');
    expect([...(first.raw ?? [])]).toEqual([0, 255]);
    (first['dgt-event-id'] as Buffer)[0] = 0x78;
    expect(second['dgt-event-id']?.toString()).toBe('e-1');
  });
});
