import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppendResult, ExpectedRevision } from '../src/port.ts';
import {
  packBatches,
  packResults,
  unpackBatches,
  unpackResults,
} from '../src/sqlite/appendWire.ts';
import type { PreparedStreamBatch } from '../src/sqlite/sqliteAppender.ts';
import { positionOf } from '../src/sequencePosition.ts';

// Any UTF-16 string, lone surrogates included: the wire slices by code units.
const text = fc.string({ unit: 'binary', maxLength: 40 });
const expected: fc.Arbitrary<ExpectedRevision> = fc.oneof(
  fc.constantFrom<ExpectedRevision>('any', 'no-stream', 'stream-exists'),
  fc.nat({ max: Number.MAX_SAFE_INTEGER }),
);
// Plain objects, as the store prepares them (fc.record's have no prototype).
const event = fc
  .record({
    eventId: text,
    type: text,
    occurredMs: fc.integer({ min: -8.64e15, max: 8.64e15 }),
    json: fc.string({ unit: 'binary', maxLength: 300 }),
  })
  .map(({ eventId, type, occurredMs, json }) => ({ eventId, type, occurredMs, json }));
const batches: fc.Arbitrary<PreparedStreamBatch[]> = fc.array(
  fc
    .record({ streamId: text, events: fc.array(event, { maxLength: 6 }), expected })
    .map(({ streamId, events, expected }) => ({ streamId, events, expected })),
  { maxLength: 12 },
);

// As the appender builds them: `conflicts` absent or non-empty, key order fixed.
const result: fc.Arbitrary<AppendResult> = fc
  .record({
    revision: fc.option(fc.nat({ max: Number.MAX_SAFE_INTEGER }), { nil: null }),
    seq: fc.option(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { nil: null }),
    written: fc.nat(10_000),
    skipped: fc.nat(10_000),
    conflicts: fc.option(fc.array(text, { minLength: 1, maxLength: 4 }), { nil: undefined }),
  })
  .map(({ revision, seq, written, skipped, conflicts }) => {
    const r: AppendResult = {
      nextExpectedRevision: revision ?? 'no-stream',
      position: seq === null ? null : positionOf(seq),
      written,
      skipped,
    };
    if (conflicts !== undefined) r.conflicts = conflicts;
    return r;
  });

/** Equal values and the same key order: what crosses must be what the inline path returns. */
function same<T>(actual: T, wanted: T): void {
  expect(actual).toStrictEqual(wanted);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(wanted));
}

describe('append worker wire', () => {
  it('gives back exactly the batches it packed: ids, types and JSON of any UTF-16 text, every expected revision, empty streams', () => {
    fc.assert(
      fc.property(batches, (bs) => {
        const packed = packBatches(bs);
        // What crosses the thread boundary: a clone of the text, a copy of the numbers.
        same(unpackBatches({ text: `${packed.text}`, nums: new Float64Array(packed.nums) }), bs);
      }),
      { numRuns: 5_000 },
    );
  });

  it('gives back exactly the results it packed, with conflicts only where the appender set them', () => {
    fc.assert(
      fc.property(fc.array(result, { maxLength: 20 }), (rs) => {
        same(unpackResults(packResults(rs)), rs);
      }),
      { numRuns: 5_000 },
    );
  });

  it('refuses packed batches whose text does not match their lengths', () => {
    const packed = packBatches([
      {
        streamId: 'vehicle-A',
        expected: 'any',
        events: [{ eventId: 'e1', type: 'T', occurredMs: 1, json: '{}' }],
      },
    ]);
    expect(() => unpackBatches({ text: `${packed.text}x`, nums: packed.nums })).toThrow(
      /1 characters left over/,
    );
    expect(() =>
      unpackBatches({
        text: packed.text,
        nums: Float64Array.from([...packed.nums.slice(0, 1), -9, ...packed.nums.slice(2)]),
      }),
    ).toThrow(/unknown expected revision code -9/);
  });
});
