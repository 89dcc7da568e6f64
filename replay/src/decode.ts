import { canonicalJson, type DgtEvent, type FieldIssue, safeParseEvent, wellFormedJson } from '@dgt/events';

/** One stored envelope, as the replay uses it: its canonical line (digested) and the parsed event. */
export type Decoded =
  | { line: string; event: DgtEvent; issues: null }
  | { line: string; event: null; issues: readonly FieldIssue[] };

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1_000;
}

function two(s: string, i: number): number {
  return digit(s, i) * 10 + digit(s, i + 1);
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.f{1,3}](Z|±HH:MM)` with real calendar days: a subset of what the
 * schema's `z.iso.datetime({ offset: true })` accepts, checked by hand (a regex costs more).
 */
function plainTimestamp(s: string): boolean {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  const year = two(s, 0) * 100 + two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  if (year < 0 || month < 1 || month > 12 || day < 1 || two(s, 11) < 0 || two(s, 11) > 23 || two(s, 14) < 0 || two(s, 14) > 59 || two(s, 17) < 0 || two(s, 17) > 59) return false;
  const dim = month === 2 ? ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (day > dim) return false;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    let k = 0;
    while (k < 3 && i + 1 < n && digit(s, i + 1) >= 0) {
      i++;
      k++;
    }
    if (k === 0) return false;
    i++;
  }
  const z = s.charCodeAt(i);
  if (z === 90) return i + 1 === n;
  if ((z !== 43 && z !== 45) || i + 6 !== n || s.charCodeAt(i + 3) !== 58) return false;
  const oh = two(s, i + 1);
  const om = two(s, i + 4);
  return oh >= 0 && oh <= 23 && om >= 0 && om <= 59;
}

function inRange(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && v >= min && v <= max;
}

function okString(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

/** The last timestamp `plainTimestamp` accepted: a vehicle's fixes come in runs, most in the same hour. */
let lastPlainTimestamp = '';

/**
 * `plainTimestamp`, answered for a timestamp with the same date, hour and suffix (fraction and
 * offset) as the last one accepted by checking only its minutes and seconds: same answer, since
 * the rest of the check reads only the unchanged part.
 */
function plainTimestampMemo(s: string): boolean {
  const last = lastPlainTimestamp;
  const n = s.length;
  if (n === last.length && sameOutside(s, last, 14, 19, n)) {
    const minute = two(s, 14);
    const second = two(s, 17);
    return s.charCodeAt(16) === 58 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
  }
  if (!plainTimestamp(s)) return false;
  lastPlainTimestamp = s;
  return true;
}

/** Whether `a` and `b` (both `n` long) agree outside `[from, to)`. */
function sameOutside(a: string, b: string, from: number, to: number, n: number): boolean {
  for (let i = 0; i < from; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  for (let i = to; i < n; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}

/** Whether `s` holds no UTF-16 surrogate at all (then no `\uD…` escape wrote any of it). */
function noSurrogate(s: string): boolean {
  for (let i = 0, n = s.length; i < n; i++) if ((s.charCodeAt(i) & 0xf800) === 0xd800) return false;
  return true;
}

/** The last vehicle id `noSurrogate` cleared: a vehicle's fixes come in runs, sharing one string. */
let lastCleanVehicle = '';

/**
 * Positions are nearly every event, and zod plus key sorting would cost more than reading them.
 * This accepts only the plain shape of a fix (a strict subset of what the schema accepts, pinned
 * by a property test against `safeParseEvent` and `canonicalJson`) without zod; anything else
 * (false) takes the general path.
 */
export function isPlainFix(raw: Record<string, unknown>): boolean {
  if (raw.type !== 'VehiclePositionReported' || raw.schemaVersion !== undefined || raw.meta !== undefined) return false;
  const { eventId, occurredAt, data } = raw;
  if (!okString(eventId, 512) || typeof occurredAt !== 'string' || data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  if (Object.keys(raw).length !== 4) return false;
  const d = data as Record<string, unknown>;
  const dataKeys = Object.keys(d).length;
  const { vehicleId, lon, lat, speedKmh, headingDeg } = d;
  if (!okString(vehicleId, 128) || !inRange(lon, -180, 180) || !inRange(lat, -90, 90) || !inRange(speedKmh, 0, 400)) return false;
  if (headingDeg !== undefined && !inRange(headingDeg, 0, 360)) return false;
  return dataKeys === (headingDeg === undefined ? 4 : 5) && plainTimestampMemo(occurredAt);
}

/** A plain fix's canonical line (see `isPlainFix`), or null for any other envelope. */
export function fastPositionLine(raw: Record<string, unknown>, json: string | undefined): string | null {
  if (!isPlainFix(raw)) return null;
  // canonicalJson writes plain fixes directly, so this costs no key sorting.
  if (json === undefined) return canonicalJson(raw);
  const { eventId, data } = raw as { eventId: string; data: { vehicleId: string } };
  const vehicleId = data.vehicleId;
  // Every other part of a plain fix's text is ASCII, so with no surrogate in either id the text
  // holds no surrogate escape and wellFormedJson would return it as is: skip its scan.
  if (vehicleId === lastCleanVehicle || noSurrogate(vehicleId)) {
    lastCleanVehicle = vehicleId;
    if (noSurrogate(eventId)) return json;
  }
  return wellFormedJson(json);
}

/**
 * The stored text when the source has it, else the canonical form. Text stored by an older
 * version may hold lone-surrogate escapes; the line (digested and exported) is made well-formed
 * the way canonicalJson makes it, so a store and its export give the same digest.
 */
function canonicalLine(raw: Record<string, unknown>, json: string | undefined): string {
  return json === undefined ? canonicalJson(raw) : wellFormedJson(json);
}

/** Validates a stored envelope against the catalog (its line is had otherwise: a page's NDJSON). */
export function validateEnvelope(raw: Record<string, unknown>): { event: DgtEvent; issues: null } | { event: null; issues: readonly FieldIssue[] } {
  if (isPlainFix(raw)) return { event: raw as unknown as DgtEvent, issues: null };
  const parsed = safeParseEvent(raw);
  return parsed.ok ? { event: parsed.event, issues: null } : { event: null, issues: parsed.error.issues };
}

/**
 * Validates a stored envelope against the catalog and renders its canonical line; `json`, when
 * the source has it, is that line already (`RecordedEvent.json`: the store's own canonical text).
 */
export function decodeEnvelope(raw: Record<string, unknown>, json?: string): Decoded {
  const fast = fastPositionLine(raw, json);
  if (fast !== null) return { line: fast, event: raw as unknown as DgtEvent, issues: null };
  const line = canonicalLine(raw, json);
  const parsed = safeParseEvent(raw);
  return parsed.ok ? { line, event: parsed.event, issues: null } : { line, event: null, issues: parsed.error.issues };
}
