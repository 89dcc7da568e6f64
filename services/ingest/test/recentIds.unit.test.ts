import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestOf, RecentIds } from '../src/knownEvents.ts';

/** What RecentIds answers, as it was written first: two Maps, the old one dropped whole when the young one is full. */
class MapModel {
  #young = new Map<string, string>();
  #old = new Map<string, string>();
  readonly #generation: number;

  constructor(capacity: number) {
    this.#generation = Math.floor(capacity / 2);
  }

  get(id: string): string | undefined {
    return this.#young.get(id) ?? this.#old.get(id);
  }

  remember(id: string, digest: string): void {
    if (this.#generation === 0) return;
    if (this.#young.size >= this.#generation) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(id, digest);
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }
}

// Ids from a small pool, so that ids come back (known, re-remembered, forgotten), of any UTF-16 text.
const ids = fc.array(fc.oneof(fc.stringMatching(/^[A-Za-z0-9._:@~+=#-]{1,40}$/), fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom('', '\ud800', '😀')), { minLength: 1, maxLength: 30 });
const operations = ids.chain((pool) =>
  fc.array(fc.record({ remember: fc.boolean(), id: fc.constantFrom(...pool), content: fc.nat(3) }), { maxLength: 200 }),
);

describe('ids accepted lately, in typed arrays', () => {
  it('answers as two Maps do, for any sequence of remembered and asked ids (2,000 sequences)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), operations, (capacity, ops) => {
        const recent = new RecentIds(capacity);
        const model = new MapModel(capacity);
        for (const op of ops) {
          if (op.remember) {
            const digest = digestOf(`${op.id}#${op.content}`);
            recent.remember(op.id, digest);
            model.remember(op.id, digest);
          }
          expect(recent.get(op.id)).toBe(model.get(op.id));
          expect(recent.size).toBe(model.size);
        }
        for (const op of ops) expect(recent.get(op.id)).toBe(model.get(op.id));
      }),
      { numRuns: 2_000 },
    );
  });

  it('holds ids of any length within its bound, dropping the old generation when the young one has no room left', () => {
    const recent = new RecentIds(4);
    const long = (n: number): string => `${n}`.padEnd(512, 'x');
    for (let n = 0; n < 10; n++) recent.remember(long(n), digestOf(`${n}`));
    expect(recent.get(long(9))).toBe(digestOf('9'));
    expect(recent.get(long(0))).toBeUndefined();
    expect(recent.size).toBeLessThanOrEqual(4);
  });
});
