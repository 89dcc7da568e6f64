import fc from 'fast-check';
import secureJsonParse from 'secure-json-parse';
import { describe, expect, it } from 'vitest';
import { poisoned } from '../src/batchBody.ts';

const SEED = Number(process.env.DGT_PROPERTY_SEED ?? 20261205);
const RUNS = 20_000;

/** A key written as JSON text: each character plain or, now and then, as a `\uXXXX` escape in either case. */
const keyText = (key: string): fc.Arbitrary<string> =>
  fc.array(fc.nat(5), { minLength: key.length, maxLength: key.length }).map((coins) => {
    let out = '"';
    for (let i = 0; i < key.length; i++) {
      const hex = key.charCodeAt(i).toString(16).padStart(4, '0');
      out += coins[i] === 0 ? `\\u${hex}` : coins[i] === 1 ? `\\u${hex.toUpperCase()}` : key[i];
    }
    return `${out}"`;
  });

const keys = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'data',
  'eventId',
  '__proto',
  'Constructor',
  '_proto__',
);

/** JSON texts of nested objects and arrays whose keys are often the suspect ones, the way secure-json-parse reads them. */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string; object: string; array: string }>(
  (tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('1', 'null', '"x"', '"__proto__"', '{}', '[]'),
      tie('object'),
      tie('array'),
    ),
    object: fc
      .array(fc.tuple(keys.chain(keyText), fc.constantFrom('', ' ', '\n'), tie('value')), {
        maxLength: 4,
      })
      .map((entries) => `{${entries.map(([k, space, v]) => `${k}${space}:${v}`).join(',')}}`),
    array: fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
  }),
).value;

function refusedBySecureJsonParse(text: string): boolean {
  try {
    secureJsonParse.parse(text);
    return false;
  } catch {
    return true;
  }
}

describe('the JSON body parser', () => {
  it(`refuses exactly the bodies secure-json-parse refuses (${RUNS.toLocaleString('en')} generated texts with __proto__ and constructor keys, escaped or not, at any depth)`, () => {
    const counts = { refused: 0, kept: 0 };
    fc.assert(
      fc.property(jsonText, (text) => {
        const expected = refusedBySecureJsonParse(text);
        expect(poisoned(JSON.parse(text))).toBe(expected);
        if (expected) counts.refused++;
        else counts.kept++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // Neither side may be starved.
    expect(counts.refused).toBeGreaterThan(RUNS * 0.1);
    expect(counts.kept).toBeGreaterThan(RUNS * 0.1);
  });

  it('walks a body nested deeper than the call stack goes', () => {
    const depth = 200_000;
    const deep = JSON.parse(
      `${'['.repeat(depth)}{"constructor":{"prototype":1}}${']'.repeat(depth)}`,
    ) as unknown;
    expect(poisoned(deep)).toBe(true);
    expect(
      poisoned(JSON.parse(`${'['.repeat(depth)}{"constructor":{"name":1}}${']'.repeat(depth)}`)),
    ).toBe(false);
  });
});
