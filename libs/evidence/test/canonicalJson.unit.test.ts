import { describe, expect, it } from 'vitest';
import { canonicalJson, CanonicalJsonError } from '../src/index.ts';

describe('canonicalJson', () => {
  it('writes the same bytes whatever order the keys were given in, nested objects included', () => {
    const a = canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } });
    const b = canonicalJson({ a: { c: 'x', d: [3, { y: null, z: true }] }, b: 1 });
    expect(a).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
    expect(b).toBe(a);
  });

  it('leaves out absent members and keeps array order', () => {
    expect(canonicalJson({ a: undefined, b: [2, 1] })).toBe('{"b":[2,1]}');
  });

  it('keeps non-ASCII text as UTF-8 characters', () => {
    expect(canonicalJson({ plate: '浙J·12345' })).toBe('{"plate":"浙J·12345"}');
  });

  it('refuses values JSON cannot carry exactly, naming where they are', () => {
    expect(() => canonicalJson({ meta: { size: Number.NaN } })).toThrow(new CanonicalJsonError('meta.size', 'NaN has no JSON form'));
    expect(() => canonicalJson({ files: [{ path: 'a\uD800' }] })).toThrow(/^files\.0\.path: contains a lone UTF-16 surrogate/);
    expect(() => canonicalJson({ at: new Date(0) })).toThrow(/^at: a non-plain object has no canonical JSON form/);
    expect(() => canonicalJson({ n: 1n })).toThrow(/^n: a bigint has no canonical JSON form/);
  });
});
