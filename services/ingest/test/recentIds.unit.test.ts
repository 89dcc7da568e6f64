import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchText, StagingBuffers } from '../src/batchText.ts';
import { BYTES_PER_ENTRY, MAX_VERBATIM, MAX_VERBATIM_BYTES, RecentIds, type KnownStatus } from '../src/knownEvents.ts';

/**
 * What RecentIds answers, as it was written first: two Maps of id → content (compared as UTF-8
 * bytes), the old one dropped whole when the young one is full — of entries, or of the bytes a
 * generation keeps of contents (each new content's UTF-8, or its 32-byte digest over MAX_VERBATIM
 * UTF-16 units; another content for a known id takes no more room unless it is longer than the
 * one it replaces).
 */
class MapModel {
  #young = new Map<string, { content: Buffer; kept: number }>();
  #old = new Map<string, { content: Buffer; kept: number }>();
  // An empty generation has room for the longest content kept verbatim.
  #youngBytes = 0;
  readonly #generation: number;
  readonly #byteBudget: number;

  constructor(capacity: number) {
    this.#generation = Math.floor(capacity / 2);
    this.#byteBudget = this.#generation * BYTES_PER_ENTRY + MAX_VERBATIM_BYTES;
  }

  knownAs(id: string, json: string): KnownStatus | undefined {
    const entry = this.#young.get(id) ?? this.#old.get(id);
    if (entry === undefined) return undefined;
    return entry.content.equals(Buffer.from(json)) ? 'duplicate' : 'conflict';
  }

  remember(id: string, json: string): void {
    if (this.#generation === 0) return;
    const content = Buffer.from(json);
    const kept = json.length <= MAX_VERBATIM ? content.length : 32;
    const known = this.#young.get(id);
    const more = known === undefined ? kept : kept > known.kept ? kept : 0;
    if (this.#young.size >= this.#generation || this.#youngBytes + more > this.#byteBudget) {
      this.#old = this.#young;
      this.#young = new Map();
      this.#youngBytes = 0;
      this.#young.set(id, { content, kept });
      this.#youngBytes = kept;
      return;
    }
    this.#young.set(id, { content, kept });
    this.#youngBytes += more;
  }

  /**
   * A batch at once: never split across generations (the young one becomes the old one first
   * when it has no room for all of it: for as many entries as the batch has, known ids or not,
   * and for all of its bytes); one by one when a content is kept as a digest or the batch would
   * not fit an empty generation.
   */
  rememberAll(batch: readonly { id: string; json: string }[]): void {
    if (this.#generation === 0) return;
    const bytes = batch.reduce((n, e) => n + Buffer.byteLength(e.json), 0);
    if (batch.some((e) => e.json.length > MAX_VERBATIM) || batch.length > this.#generation || bytes > this.#byteBudget) {
      for (const e of batch) this.remember(e.id, e.json);
      return;
    }
    if (this.#young.size + batch.length > this.#generation || this.#youngBytes + bytes > this.#byteBudget) {
      this.#old = this.#young;
      this.#young = new Map();
      this.#youngBytes = 0;
    }
    for (const e of batch) this.#young.set(e.id, { content: Buffer.from(e.json), kept: Buffer.byteLength(e.json) });
    this.#youngBytes += bytes;
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }
}

/** What the pipeline hands RecentIds for a batch: its events' JSON written once (batchText.ts). */
function rememberAll(recent: RecentIds, batch: readonly { id: string; json: string }[], staging: StagingBuffers): void {
  const text = BatchText.of(
    batch.map((e) => e.json),
    staging,
  );
  for (let i = 0; i < batch.length; i++) expect(text.texts[i]).toBe(batch[i]!.json);
  recent.rememberAll(
    batch.map((e, i) => ({ event: { eventId: e.id }, json: text.texts[i]! })),
    text,
  );
  text.release();
}

// Ids from a small pool, so that ids come back (known, re-remembered, forgotten), of any UTF-16 text.
const ids = fc.array(fc.oneof(fc.stringMatching(/^[A-Za-z0-9._:@~+=#-]{1,40}$/), fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom('', '\ud800', '😀')), { minLength: 1, maxLength: 30 });
// Contents from a small pool too, around the length where a generation keeps a digest instead of
// the bytes (512 units): equal, different, a prefix of another, 32 bytes long (a digest's length),
// of one, two and three UTF-8 bytes a unit (a generation's room is in bytes), lone surrogates too
// (their UTF-8 is U+FFFD's, as the record's would be).
const unitsOf = (kind: number): string => ['ab', 'éa', '中a', '\ud800a'][kind] as string;
const contents = fc.array(
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.tuple(fc.constantFrom(0, 1, 31, 32, 33, 510, 511, 512, 513, 514, 2000), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })).map(([n, kind, variant]) => `${variant}`.padEnd(n, unitsOf(kind)).slice(0, n)),
  ),
  { minLength: 1, maxLength: 6 },
);
const operations = fc.tuple(ids, contents).chain(([idPool, contentPool]) =>
  fc.array(fc.record({ remember: fc.boolean(), id: fc.constantFrom(...idPool), content: fc.constantFrom(...contentPool) }), { maxLength: 200 }),
);
// Batches remembered at once (an id may come twice), each followed by asking for every id of it.
const batches = fc.tuple(ids, contents).chain(([idPool, contentPool]) =>
  fc.array(fc.array(fc.record({ id: fc.constantFrom(...idPool), json: fc.constantFrom(...contentPool) }), { minLength: 1, maxLength: 12 }), { maxLength: 30 }),
);

describe('ids accepted lately, in typed arrays', () => {
  it('answers duplicate, conflict or unknown as two Maps of the contents do, for any sequence of remembered and asked ids and contents, short, long (kept as a digest) and at the bound (2,000 sequences)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), operations, (capacity, ops) => {
        const recent = new RecentIds(capacity);
        const model = new MapModel(capacity);
        for (const op of ops) {
          if (op.remember) {
            recent.remember(op.id, op.content);
            model.remember(op.id, op.content);
          }
          expect(recent.knownAs(op.id, op.content)).toBe(model.knownAs(op.id, op.content));
          expect(recent.size).toBe(model.size);
        }
        for (const op of ops) expect(recent.knownAs(op.id, op.content)).toBe(model.knownAs(op.id, op.content));
      }),
      { numRuns: 2_000 },
    );
  });

  it('answers as the Maps do for batches remembered at once, written as one run of bytes: ASCII or not, known ids, generations that fill, digests (2,000 sequences)', () => {
    const staging = new StagingBuffers(2);
    let runs = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), batches, fc.boolean(), (capacity, sequence, oneByOne) => {
        const recent = new RecentIds(capacity);
        const model = new MapModel(capacity);
        for (const batch of sequence) {
          // Now and then a batch one by one, as the pipeline does when some of it was known before.
          if (oneByOne && batch.length === 1) {
            recent.remember(batch[0]!.id, batch[0]!.json);
            model.remember(batch[0]!.id, batch[0]!.json);
          } else {
            rememberAll(recent, batch, staging);
            model.rememberAll(batch);
            runs++;
          }
          for (const e of batch) expect(recent.knownAs(e.id, e.json)).toBe(model.knownAs(e.id, e.json));
          expect(recent.size).toBe(model.size);
        }
        for (const batch of sequence) for (const e of batch) for (const other of batch) expect(recent.knownAs(e.id, other.json)).toBe(model.knownAs(e.id, other.json));
      }),
      { numRuns: 2_000 },
    );
    expect(runs).toBeGreaterThan(5_000);
  }, 60_000);

  it('keeps an id for as long as its generation has entries to spare, however often later batches repeat another id (their units are not kept twice)', () => {
    // Generation of 11 entries; each batch repeats one 20-unit id 5 times (100 units written at
    // once): 40 of them are 4,000 units, far more than the arena's 11 × 48 + 512 — kept as one entry.
    const recent = new RecentIds(22);
    const staging = new StagingBuffers(2);
    rememberAll(recent, [{ id: 'first', json: '{"a":1}' }], staging);
    const repeated = 'r'.repeat(19) + '中';
    for (let n = 0; n < 40; n++) rememberAll(recent, Array.from({ length: 5 }, () => ({ id: repeated, json: `{"n":${n}}` })), staging);
    expect(recent.knownAs('first', '{"a":1}')).toBe('duplicate');
    expect(recent.knownAs(repeated, '{"n":39}')).toBe('duplicate');
    expect(recent.knownAs(repeated, '{"n":38}')).toBe('conflict');
    expect(recent.size).toBe(2);
  });

  it('tells content that differs in its last byte, or by a byte appended, from what was accepted', () => {
    const recent = new RecentIds(10);
    for (const size of [100, 512, 4096]) {
      const accepted = 'a'.repeat(size);
      recent.remember(`e${size}`, accepted);
      expect(recent.knownAs(`e${size}`, 'a'.repeat(size))).toBe('duplicate');
      expect(recent.knownAs(`e${size}`, `${'a'.repeat(size - 1)}b`)).toBe('conflict');
      expect(recent.knownAs(`e${size}`, `${accepted}a`)).toBe('conflict');
    }
  });

  it('holds ids of any length and large contents within its bound, dropping the old generation when the young one has no room left', () => {
    const recent = new RecentIds(4);
    const long = (n: number): string => `${n}`.padEnd(512, 'x');
    const content = (n: number): string => `${n}`.padEnd(n % 2 === 0 ? 512 : 100_000, n % 4 === 0 ? '中' : 'y');
    for (let n = 0; n < 10; n++) recent.remember(long(n), content(n));
    expect(recent.knownAs(long(9), content(9))).toBe('duplicate');
    expect(recent.knownAs(long(9), content(8))).toBe('conflict');
    expect(recent.knownAs(long(0), content(0))).toBeUndefined();
    expect(recent.size).toBeLessThanOrEqual(4);
  });
});
