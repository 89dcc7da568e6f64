import type { DgtEvent } from './catalog.ts';
import { fastParsePositionFields } from './fastParse.ts';
import { numberJson } from './numberJson.ts';
import { type ParseResult, safeParseEvent, safeParseEventWithZod } from './parse.ts';
import { scanPositionBytes, scanPositionLine } from './positionLine.ts';
import { EventValidationError } from './validationError.ts';
import { wellFormedJson } from './wellFormedJson.ts';

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
 * `meta` sorted, no whitespace, well-formed UTF-8 (a lone surrogate, which an event recorded
 * before ingest refused them may still hold, becomes U+FFFD). Same event → same bytes, on any
 * machine; evidence digests are computed over this form.
 */
export function canonicalJson(event: DgtEvent | Record<string, unknown>): string {
  const source = event as Record<string, unknown>;
  return wellFormedJson(plainPositionJson(source) ?? sortedCanonicalJson(source));
}

/** The general form: copies `data` and `meta` with sorted keys, then stringifies. */
export function sortedCanonicalJson(source: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  for (const key of envelopeOrder) {
    const v = source[key];
    if (v !== undefined) out[key] = key === 'data' || key === 'meta' ? sortKeys(v) : v;
  }
  return JSON.stringify(out);
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Nearly every event is a plain fix, and the general form's copying costs more than the rest of
 * an append or a replay step: write its canonical form directly. Anything but exactly
 * `{eventId, type, occurredAt, data: {vehicleId, lon, lat, speedKmh, headingDeg?}}` with finite
 * numbers takes the general form (`numberJson` writes a finite number as JSON does, sooner).
 */
function plainPositionJson(e: Record<string, unknown>): string | null {
  if (e.type !== 'VehiclePositionReported' || ownKeyCount(e) !== 4) return null;
  const { eventId, occurredAt, data } = e;
  if (typeof eventId !== 'string' || typeof occurredAt !== 'string' || data === null || typeof data !== 'object') return null;
  const { vehicleId, lon, lat, speedKmh, headingDeg } = data as Record<string, unknown>;
  if (typeof vehicleId !== 'string' || !isNumber(lon) || !isNumber(lat) || !isNumber(speedKmh)) return null;
  if (headingDeg !== undefined && !isNumber(headingDeg)) return null;
  if (ownKeyCount(data) !== (headingDeg === undefined ? 4 : 5)) return null;
  const heading = headingDeg === undefined ? '' : `"headingDeg":${numberJson(headingDeg)},`;
  return `{"eventId":${JSON.stringify(eventId)},"type":"VehiclePositionReported","occurredAt":${JSON.stringify(occurredAt)},"data":{${heading}"lat":${numberJson(lat)},"lon":${numberJson(lon)},"speedKmh":${numberJson(speedKmh)},"vehicleId":${JSON.stringify(vehicleId)}}}`;
}

/**
 * `Object.keys(value).length` without the array it allocates (this runs for every event): for a
 * plain object `for…in` yields exactly its own enumerable keys; anything else is counted by
 * `Object.keys`.
 */
function ownKeyCount(value: object): number {
  if (Object.getPrototypeOf(value) !== Object.prototype) return Object.keys(value).length;
  let n = 0;
  for (const _key in value) n++;
  return n;
}

/**
 * Parses one NDJSON line; JSON syntax errors become validation errors on the whole line. A plain
 * fix is read by `scanPositionLine` (the object JSON.parse would give, at a fraction of the cost).
 */
export function parseNdjsonLine(line: string): ParseResult {
  const fix = scanPositionLine(line);
  if (fix !== undefined) return safeParseEvent(fix);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { ok: false, error: new EventValidationError([{ path: '', message: `not valid JSON (${(err as Error).message})` }]) };
  }
  return safeParseEvent(value);
}

/**
 * `parseNdjsonLine` of the line whose UTF-8 bytes are `bytes[start, end)` when it is a plain fix
 * (see positionLine.ts), read without decoding the line; undefined for any other line, which the
 * caller decodes and gives to `parseNdjsonLine`.
 */
export function parsePositionBytes(bytes: Buffer, start: number, end: number): ParseResult | undefined {
  const fix = scanPositionBytes(bytes, start, end);
  if (fix === undefined) return undefined;
  // safeParseEvent(fix), knowing the shape the scanner built.
  const event = fastParsePositionFields(fix.eventId as string, fix.occurredAt as string, fix.data as Record<string, unknown>);
  return event === undefined ? safeParseEventWithZod(fix) : { ok: true, event };
}
