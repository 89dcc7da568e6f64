import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchText, StagingBuffers } from '../src/batchText.ts';

describe("a batch's JSON written once", () => {
  it('holds each text as given and its UTF-8 at its place in the one buffer, ASCII or not (1,000 batches)', () => {
    const staging = new StagingBuffers(2);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.constant('{"eventId":"e-1","data":{"vehicleId":"浙J12345"}}')), { maxLength: 40 }), (json) => {
        const text = BatchText.of(json, staging);
        expect(text.texts).toEqual(json);
        expect(text.starts.length).toBe(json.length + 1);
        for (let i = 0; i < json.length; i++) {
          expect(text.bytes.subarray(text.starts[i], text.starts[i + 1]).equals(Buffer.from(json[i]!, 'utf8'))).toBe(true);
        }
        expect(text.bytes.length).toBe(Buffer.byteLength(json.join(''), 'utf8'));
        text.release();
      }),
      { numRuns: 1_000 },
    );
  });

  it('gives its buffer back once however often it is released: two later batches never share it', () => {
    const staging = new StagingBuffers(4);
    const text = BatchText.of(['{"a":1}'], staging);
    text.release();
    text.release();
    const next = BatchText.of(['{"b":2}'], staging);
    const other = BatchText.of(['{"c":3}'], staging);
    expect(next.bytes.buffer).toBe(text.bytes.buffer);
    expect(other.bytes.buffer).not.toBe(next.bytes.buffer);
    expect(next.bytes.toString()).toBe('{"b":2}');
  });

  it('lends a buffer given back to the next batch that fits in it, and a new one to a larger batch', () => {
    const staging = new StagingBuffers(1);
    const first = BatchText.of(['a'.repeat(1000)], staging);
    const memory = first.bytes.buffer;
    first.release();
    const second = BatchText.of(['b'.repeat(2000)], staging);
    expect(second.bytes.buffer).toBe(memory);
    expect(second.bytes.toString()).toBe('b'.repeat(2000));
    const third = BatchText.of(['c'.repeat(300 * 1024)], staging);
    expect(third.bytes.buffer).not.toBe(memory);
    second.release();
    third.release();
  });
});
