/*
 * Nearly every line of a fleet's NDJSON is one fix, written in one of two ways: fields in schema
 * order (JSON.stringify of an event as the simulator and gateways build it) or in canonical order
 * (`canonicalJson`, what dgt writes). For those lines, `JSON.parse` is most of the cost of reading a
 * file, and most of its work is generic. `scanPositionLine` reads exactly these two shapes, with no
 * whitespace, strings without escapes and numbers of at most 15 digits without an exponent, and
 * returns the same object `JSON.parse` would (same keys in the same order, same values); for any
 * other line it returns undefined and the caller parses it as before. Validation is not its job:
 * the result goes through `safeParseEvent` like any parsed line.
 *
 * Numbers: a decimal of at most 15 digits is m / 10^k with m < 2^53 and k ≤ 22, both exact doubles,
 * and IEEE division rounds the exact quotient correctly, as JSON.parse rounds the decimal: the same
 * double (Clinger's fast path).
 */

const ENVELOPE_HEAD = '{"eventId":"';
const AFTER_ID = '","type":"VehiclePositionReported","occurredAt":"';
const AFTER_TIME = '","data":{';
const TYPE = 'VehiclePositionReported';

const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Where the last scanned string or number ended (one past it). */
let end = 0;

/** The index of the closing quote of a string starting at `i`, or -1 if it holds an escape or a control character (JSON.parse decides those). */
function stringEnd(s: string, i: number): number {
  for (let n = s.length; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return i;
    if (c === 0x5c || c < 0x20) return -1;
  }
  return -1;
}

/** The JSON number at `i` when it is a plain decimal of at most 15 digits (`end` after it); NaN otherwise. */
function numberAt(s: string, i: number): number {
  let c = s.charCodeAt(i);
  const negative = c === 0x2d;
  if (negative) c = s.charCodeAt(++i);
  let m = 0;
  let digits = 0;
  let scale = 0;
  if (c === 0x30) {
    c = s.charCodeAt(++i);
    if (c >= 0x30 && c <= 0x39) return Number.NaN;
  } else if (c >= 0x31 && c <= 0x39) {
    do {
      m = m * 10 + (c - 0x30);
      digits++;
      c = s.charCodeAt(++i);
    } while (c >= 0x30 && c <= 0x39);
  } else {
    return Number.NaN;
  }
  if (c === 0x2e) {
    c = s.charCodeAt(++i);
    if (!(c >= 0x30 && c <= 0x39)) return Number.NaN;
    do {
      m = m * 10 + (c - 0x30);
      digits++;
      scale++;
      c = s.charCodeAt(++i);
    } while (c >= 0x30 && c <= 0x39);
  }
  if (c === 0x65 || c === 0x45 || digits > 15) return Number.NaN;
  end = i;
  const value = scale === 0 ? m : m / (POW10[scale] as number);
  return negative ? -value : value;
}

/** `"key":` followed by a number at `i`, or NaN. */
function numberField(s: string, i: number, key: string): number {
  return s.startsWith(key, i) ? numberAt(s, i + key.length) : Number.NaN;
}

/**
 * `JSON.parse(line)` for a fix written in schema or canonical order (see above); undefined for
 * any other line, which the caller parses in full.
 */
export function scanPositionLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith(ENVELOPE_HEAD)) return undefined;
  let i = ENVELOPE_HEAD.length;
  let j = stringEnd(line, i);
  if (j < 0 || !line.startsWith(AFTER_ID, j)) return undefined;
  const eventId = line.slice(i, j);
  i = j + AFTER_ID.length;
  j = stringEnd(line, i);
  if (j < 0 || !line.startsWith(AFTER_TIME, j)) return undefined;
  const occurredAt = line.slice(i, j);
  i = j + AFTER_TIME.length;
  let data: Record<string, unknown>;
  if (line.startsWith('"vehicleId":"', i)) {
    // Schema order: vehicleId, lon, lat, speedKmh, headingDeg?
    i += 13;
    j = stringEnd(line, i);
    if (j < 0) return undefined;
    const vehicleId = line.slice(i, j);
    const lon = numberField(line, j + 1, ',"lon":');
    if (Number.isNaN(lon)) return undefined;
    const lat = numberField(line, end, ',"lat":');
    if (Number.isNaN(lat)) return undefined;
    const speedKmh = numberField(line, end, ',"speedKmh":');
    if (Number.isNaN(speedKmh)) return undefined;
    if (line.charCodeAt(end) === 0x2c) {
      const headingDeg = numberField(line, end, ',"headingDeg":');
      if (Number.isNaN(headingDeg)) return undefined;
      data = { vehicleId, lon, lat, speedKmh, headingDeg };
    } else {
      data = { vehicleId, lon, lat, speedKmh };
    }
    i = end;
  } else {
    // Canonical order: headingDeg?, lat, lon, speedKmh, vehicleId.
    let headingDeg = Number.NaN;
    if (line.startsWith('"headingDeg":', i)) {
      headingDeg = numberAt(line, i + 13);
      if (Number.isNaN(headingDeg) || line.charCodeAt(end) !== 0x2c) return undefined;
      i = end + 1;
    }
    const lat = numberField(line, i, '"lat":');
    if (Number.isNaN(lat)) return undefined;
    const lon = numberField(line, end, ',"lon":');
    if (Number.isNaN(lon)) return undefined;
    const speedKmh = numberField(line, end, ',"speedKmh":');
    if (Number.isNaN(speedKmh) || !line.startsWith(',"vehicleId":"', end)) return undefined;
    i = end + 14;
    j = stringEnd(line, i);
    if (j < 0) return undefined;
    const vehicleId = line.slice(i, j);
    data = Number.isNaN(headingDeg) ? { lat, lon, speedKmh, vehicleId } : { headingDeg, lat, lon, speedKmh, vehicleId };
    i = j + 1;
  }
  if (i + 2 !== line.length || line.charCodeAt(i) !== 0x7d || line.charCodeAt(i + 1) !== 0x7d) return undefined;
  return { eventId, type: TYPE, occurredAt, data };
}

const utf8 = (literal: string): Uint8Array => new TextEncoder().encode(literal);
const HEAD_BYTES = utf8(ENVELOPE_HEAD);
const AFTER_ID_BYTES = utf8(AFTER_ID);
const AFTER_TIME_BYTES = utf8(AFTER_TIME);
const VEHICLE_FIRST = utf8('"vehicleId":"');
const LON = utf8(',"lon":');
const LAT = utf8(',"lat":');
const LAT_FIRST = utf8('"lat":');
const SPEED = utf8(',"speedKmh":');
const HEADING = utf8(',"headingDeg":');
const HEADING_FIRST = utf8('"headingDeg":');
const VEHICLE_LAST = utf8(',"vehicleId":"');

/** Whether `b` holds `lit` at `i`, before `limit`. */
function bytesAt(b: Buffer, i: number, limit: number, lit: Uint8Array): boolean {
  const n = lit.length;
  if (i + n > limit) return false;
  for (let k = 0; k < n; k++) if (b[i + k] !== lit[k]) return false;
  return true;
}

/** Whether the string read last by `byteStringEnd` was ASCII. */
let ascii = true;

/** `stringEnd` on UTF-8 bytes (a quote, a backslash and control characters are single bytes there). */
function byteStringEnd(b: Buffer, i: number, limit: number): number {
  ascii = true;
  for (; i < limit; i++) {
    const c = b[i] as number;
    if (c === 0x22) return i;
    if (c === 0x5c || c < 0x20) return -1;
    if (c >= 0x80) ascii = false;
  }
  return -1;
}

/**
 * The text of bytes [i, j) as decoding the whole line gives it: ASCII as is; anything else decoded
 * as UTF-8 on its own, which is the same (its ends are ASCII quotes, and an ASCII byte always ends
 * an invalid sequence, so replacement characters fall the same way).
 */
function text(b: Buffer, i: number, j: number): string {
  // Buffer's own slicers, which toString(encoding, start, end) ends in after checking its arguments.
  const slicer = b as Buffer & { latin1Slice(start: number, end: number): string; utf8Slice(start: number, end: number): string };
  return ascii ? slicer.latin1Slice(i, j) : slicer.utf8Slice(i, j);
}

/** `numberAt` on bytes, stopping at `limit`. */
function byteNumberAt(b: Buffer, i: number, limit: number): number {
  let c = i < limit ? (b[i] as number) : -1;
  const negative = c === 0x2d;
  if (negative) c = ++i < limit ? (b[i] as number) : -1;
  let m = 0;
  let digits = 0;
  let scale = 0;
  if (c === 0x30) {
    c = ++i < limit ? (b[i] as number) : -1;
    if (c >= 0x30 && c <= 0x39) return Number.NaN;
  } else if (c >= 0x31 && c <= 0x39) {
    do {
      m = m * 10 + (c - 0x30);
      digits++;
      c = ++i < limit ? (b[i] as number) : -1;
    } while (c >= 0x30 && c <= 0x39);
  } else {
    return Number.NaN;
  }
  if (c === 0x2e) {
    c = ++i < limit ? (b[i] as number) : -1;
    if (!(c >= 0x30 && c <= 0x39)) return Number.NaN;
    do {
      m = m * 10 + (c - 0x30);
      digits++;
      scale++;
      c = ++i < limit ? (b[i] as number) : -1;
    } while (c >= 0x30 && c <= 0x39);
  }
  if (c === 0x65 || c === 0x45 || digits > 15) return Number.NaN;
  end = i;
  const value = scale === 0 ? m : m / (POW10[scale] as number);
  return negative ? -value : value;
}

function byteNumberField(b: Buffer, i: number, limit: number, key: Uint8Array): number {
  return bytesAt(b, i, limit, key) ? byteNumberAt(b, i + key.length, limit) : Number.NaN;
}

/**
 * `scanPositionLine` of the line whose UTF-8 bytes are `b[start, limit)`, read from the bytes
 * without decoding the line: what a reader of a fleet's file uses to skip decoding nearly all of it.
 */
export function scanPositionBytes(b: Buffer, start: number, limit: number): Record<string, unknown> | undefined {
  if (!bytesAt(b, start, limit, HEAD_BYTES)) return undefined;
  let i = start + HEAD_BYTES.length;
  let j = byteStringEnd(b, i, limit);
  if (j < 0 || !bytesAt(b, j, limit, AFTER_ID_BYTES)) return undefined;
  const eventId = text(b, i, j);
  i = j + AFTER_ID_BYTES.length;
  j = byteStringEnd(b, i, limit);
  if (j < 0 || !bytesAt(b, j, limit, AFTER_TIME_BYTES)) return undefined;
  const occurredAt = text(b, i, j);
  i = j + AFTER_TIME_BYTES.length;
  let data: Record<string, unknown>;
  if (bytesAt(b, i, limit, VEHICLE_FIRST)) {
    i += VEHICLE_FIRST.length;
    j = byteStringEnd(b, i, limit);
    if (j < 0) return undefined;
    const vehicleId = text(b, i, j);
    const lon = byteNumberField(b, j + 1, limit, LON);
    if (Number.isNaN(lon)) return undefined;
    const lat = byteNumberField(b, end, limit, LAT);
    if (Number.isNaN(lat)) return undefined;
    const speedKmh = byteNumberField(b, end, limit, SPEED);
    if (Number.isNaN(speedKmh)) return undefined;
    if (end < limit && b[end] === 0x2c) {
      const headingDeg = byteNumberField(b, end, limit, HEADING);
      if (Number.isNaN(headingDeg)) return undefined;
      data = { vehicleId, lon, lat, speedKmh, headingDeg };
    } else {
      data = { vehicleId, lon, lat, speedKmh };
    }
    i = end;
  } else {
    let headingDeg = Number.NaN;
    if (bytesAt(b, i, limit, HEADING_FIRST)) {
      headingDeg = byteNumberAt(b, i + HEADING_FIRST.length, limit);
      if (Number.isNaN(headingDeg) || end >= limit || b[end] !== 0x2c) return undefined;
      i = end + 1;
    }
    const lat = byteNumberField(b, i, limit, LAT_FIRST);
    if (Number.isNaN(lat)) return undefined;
    const lon = byteNumberField(b, end, limit, LON);
    if (Number.isNaN(lon)) return undefined;
    const speedKmh = byteNumberField(b, end, limit, SPEED);
    if (Number.isNaN(speedKmh) || !bytesAt(b, end, limit, VEHICLE_LAST)) return undefined;
    i = end + VEHICLE_LAST.length;
    j = byteStringEnd(b, i, limit);
    if (j < 0) return undefined;
    const vehicleId = text(b, i, j);
    data = Number.isNaN(headingDeg) ? { lat, lon, speedKmh, vehicleId } : { headingDeg, lat, lon, speedKmh, vehicleId };
    i = j + 1;
  }
  if (i + 2 !== limit || b[i] !== 0x7d || b[i + 1] !== 0x7d) return undefined;
  return { eventId, type: TYPE, occurredAt, data };
}
