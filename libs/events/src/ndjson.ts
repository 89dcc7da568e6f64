import type { DgtEvent } from './catalog.ts';
import { type ParseResult, safeParseEvent } from './parse.ts';
import { EventValidationError } from './validationError.ts';

const envelopeOrder = ['eventId', 'type', 'schemaVersion', 'occurredAt', 'data', 'meta'] as const;

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * The canonical form of one event: envelope fields in a fixed order, keys inside `data` and
 * `meta` sorted, no whitespace. Same event → same bytes, on any machine; evidence digests
 * are computed over this form.
 */
export function canonicalJson(event: DgtEvent | Record<string, unknown>): string {
  const source = event as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of envelopeOrder) {
    const v = source[key];
    if (v !== undefined) out[key] = key === 'data' || key === 'meta' ? sortKeys(v) : v;
  }
  return JSON.stringify(out);
}

export function toNdjson(events: Iterable<DgtEvent>): string {
  let out = '';
  for (const e of events) out += canonicalJson(e) + '\n';
  return out;
}

/** Parses one NDJSON line; JSON syntax errors become validation errors on the whole line. */
export function parseNdjsonLine(line: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { ok: false, error: new EventValidationError([{ path: '', message: `not valid JSON (${(err as Error).message})` }]) };
  }
  return safeParseEvent(value);
}
