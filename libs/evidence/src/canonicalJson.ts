/**
 * The one byte form of a manifest, so that the same manifest always signs to the same bytes on any
 * machine: object keys sorted (UTF-16 code unit order, as `Array.prototype.sort`), no whitespace,
 * absent (`undefined`) members left out, and only values JSON carries exactly. A lone surrogate is
 * refused rather than replaced: a manifest is built from paths and identifiers, and silently
 * changing one would sign something other than what the caller gave.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '');
}

/** Thrown for a value that has no canonical JSON form; `path` names where (`meta.operator.keyId`). */
export class CanonicalJsonError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path === '' ? 'value' : path}: ${reason}`);
    this.name = 'CanonicalJsonError';
  }
}

const loneSurrogate = /\p{Cs}/u;

function write(value: unknown, path: string): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CanonicalJsonError(path, `${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    if (loneSurrogate.test(value)) throw new CanonicalJsonError(path, 'contains a lone UTF-16 surrogate (not well-formed Unicode)');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item, i) => write(item, join(path, String(i)))).join(',')}]`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const members: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member === undefined) continue;
      members.push(`${write(key, join(path, key))}:${write(member, join(path, key))}`);
    }
    return `{${members.join(',')}}`;
  }
  throw new CanonicalJsonError(path, `a ${typeof value === 'object' ? 'non-plain object' : typeof value} has no canonical JSON form`);
}

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);
