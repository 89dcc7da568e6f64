import type { FieldIssue } from '@dgt/events';

/** Deepest nesting of objects and arrays an item may have; an event needs 4 (envelope, data, goods, item). */
export const MAX_ITEM_DEPTH = 64;

export type ShapeReason = 'too_deep' | 'lone_surrogate';

export interface ShapeProblem {
  readonly reason: ShapeReason;
  readonly errors: FieldIssue[];
}

/** ES2024 (Node 20): true when no UTF-16 surrogate stands alone. Called as a method, which V8 inlines. */
export const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * Walks one parsed item before anything else touches it: schema validation, canonical JSON and
 * the engine all recurse, and an item nested 5,000 deep overflowed the stack there — turning the
 * whole batch into a 503 that a client retried forever. The walk stops at the first problem, and
 * in the same pass refuses strings (and keys) that are not well-formed UTF-16: a lone surrogate
 * has no UTF-8 form, so the record could not hold it as sent. One visit per value; a plain fix
 * costs a dozen steps and allocates nothing. It recurses, but never deeper than MAX_ITEM_DEPTH.
 */
export function shapeProblem(item: unknown): ShapeProblem | undefined {
  if (item === null || typeof item !== 'object') return typeof item === 'string' && !wellFormed(item) ? loneSurrogate(item) : undefined;
  const reason = walk(item, 1);
  if (reason === undefined) return undefined;
  if (reason === 'lone_surrogate') return loneSurrogate(item);
  return { reason, errors: [{ path: '', message: `the event is nested more than ${MAX_ITEM_DEPTH} levels deep (objects and arrays); no event needs that` }] };
}

/** The first problem of an object or array at `depth` (1 for the item itself). */
function walk(value: object, depth: number): ShapeReason | undefined {
  if (depth > MAX_ITEM_DEPTH) return 'too_deep';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'string') {
        if (!wellFormed(v)) return 'lone_surrogate';
      } else if (v !== null && typeof v === 'object') {
        const found = walk(v, depth + 1);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }
  for (const key in value) {
    if (!wellFormed(key)) return 'lone_surrogate';
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'string') {
      if (!wellFormed(v)) return 'lone_surrogate';
    } else if (v !== null && typeof v === 'object') {
      const found = walk(v, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function loneSurrogate(item: unknown): ShapeProblem {
  const path = surrogatePath(item, [], 0) ?? '';
  return { reason: 'lone_surrogate', errors: [{ path, message: 'a string holds a lone UTF-16 surrogate (half of a character, e.g. text cut inside an emoji): it has no UTF-8 form; send whole characters' }] };
}

/** Where the first lone surrogate is (a second, rare walk: only for the error message; the item is known to be shallow enough up to it). */
function surrogatePath(value: unknown, path: (string | number)[], depth: number): string | undefined {
  if (typeof value === 'string') return wellFormed(value) ? undefined : path.join('.');
  if (value === null || typeof value !== 'object' || depth >= MAX_ITEM_DEPTH) return undefined;
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, v] of entries) {
    if (typeof key === 'string' && !wellFormed(key)) return [...path, '(a key)'].join('.');
    const found = surrogatePath(v, [...path, key], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
