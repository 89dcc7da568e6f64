import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerJson, type IngestAnswer } from '../src/answerJson.ts';
import { itemStatuses, rejectReasons, type ItemResult } from '../src/checkBatch.ts';

const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^[A-Za-z0-9._:@~+=#-]{1,40}$/), fc.constantFrom('', '"', '\\', '\n', '\ud800', 'a\udc00', '😀', '\u2028', '\u007f'));

/** A result as checkBatch, the authorizer and the route build them: keys in the schema's order, absent ones left out. */
const result: fc.Arbitrary<ItemResult> = fc
  .record(
    {
      index: fc.nat(),
      line: fc.nat(),
      eventId: text,
      status: fc.constantFrom(...itemStatuses),
      reason: fc.constantFrom(...rejectReasons),
      errors: fc.array(fc.record({ path: text, message: text }), { maxLength: 3 }),
    },
    { requiredKeys: ['index', 'status'] },
  )
  .map((r) => {
    const out: Record<string, unknown> = {};
    for (const key of ['index', 'line', 'eventId', 'status', 'reason', 'errors'] as const) if (key in r) out[key] = r[key];
    return out as unknown as ItemResult;
  });

const answer: fc.Arbitrary<IngestAnswer> = fc.record({
  accepted: fc.nat(),
  duplicates: fc.nat(),
  conflicts: fc.nat(),
  results: fc.array(result, { maxLength: 20 }),
  rejected: fc.nat(),
});

describe('the answer to POST /v1/events, written field by field', () => {
  it('is JSON.stringify of the answer, byte for byte (20,000 answers)', () => {
    fc.assert(
      fc.property(answer, (a) => {
        expect(answerJson(a)).toBe(JSON.stringify(a));
      }),
      { numRuns: 20_000 },
    );
  });

  it('leaves out keys present as undefined, as JSON.stringify does', () => {
    const a: IngestAnswer = { accepted: 1, duplicates: 0, conflicts: 0, results: [{ index: 0, line: undefined, eventId: 'e-1', status: 'accepted', reason: undefined, errors: undefined }], rejected: 0 };
    expect(answerJson(a)).toBe(JSON.stringify(a));
  });
});
