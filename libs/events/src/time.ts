/**
 * Epoch milliseconds of an ISO-8601 timestamp that already passed schema validation.
 * The common shapes (`YYYY-MM-DDTHH:MM:SS[.mmm](Z|±HH:MM)`) are parsed by hand: every position
 * goes through here, and `Date.parse` costs more than the rest of the hot path together. Anything
 * else falls back to `Date.parse`, which gives the same answer.
 */
export function epochMs(iso: string): number {
  // A fleet's fixes of one instant come together, often as one shared string (the store's
  // reader hands out each page's timestamps once): the same text as last time is the same answer.
  if (iso === lastIso) return lastMs[0] as number;
  const n = iso.length;
  // Fixes arrive in time order, so most share the date, hour and offset of the one before:
  // reuse that part and read only minutes, seconds and milliseconds.
  if (n === cached.length && sameHourAndOffset(iso, cached, n)) {
    const minute = d2(iso, 14);
    const second = d2(iso, 17);
    const ms = n === 24 || n === 29 ? d3(iso, 20) : 0;
    if (minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && ms >= 0) return remember(iso, cachedHourMs + minute * 60_000 + second * 1000 + ms);
  }
  const parsed = parseIso(iso);
  if (Number.isNaN(parsed)) return Date.parse(iso);
  cached = iso;
  cachedHourMs = parsed - d2(iso, 14) * 60_000 - d2(iso, 17) * 1000 - (n === 24 || n === 29 ? d3(iso, 20) : 0);
  return remember(iso, parsed);
}

/** The last timestamp the fast parser accepted, and the epoch ms of its hour (a memo, not state). */
let cached = '';
let cachedHourMs = 0;
/**
 * The last timestamp answered by the fast parser, and its answer (a memo, not state). The answer
 * sits in a typed array: a module-level `let` holding a double is re-boxed on every write.
 */
let lastIso = '';
const lastMs = new Float64Array([Number.NaN]);

function remember(iso: string, ms: number): number {
  lastIso = iso;
  lastMs[0] = ms;
  return ms;
}

function sameHourAndOffset(a: string, b: string, n: number): boolean {
  // Offset first (it is what differs between sources), then YYYY-MM-DDTHH and the separators.
  for (let i = n === 24 || n === 29 ? 23 : 19; i < n; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  for (let i = 12; i >= 0; i--) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return a.charCodeAt(13) === 58 && a.charCodeAt(16) === 58 && (n === 20 || n === 25 || a.charCodeAt(19) === 46);
}

/** The shapes above parsed by hand; NaN for anything else. */
function parseIso(iso: string): number {
  const n = iso.length;
  if (n !== 20 && n !== 24 && n !== 25 && n !== 29) return NaN;
  const year = d4(iso, 0);
  const month = d2(iso, 5);
  const day = d2(iso, 8);
  const hour = d2(iso, 11);
  const minute = d2(iso, 14);
  const second = d2(iso, 17);
  if (
    iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45 || iso.charCodeAt(10) !== 84 ||
    iso.charCodeAt(13) !== 58 || iso.charCodeAt(16) !== 58 ||
    year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
  ) {
    return NaN;
  }
  let i = 19;
  let ms = 0;
  if (iso.charCodeAt(i) === 46) {
    ms = d3(iso, 20);
    if (ms < 0) return NaN;
    i = 23;
  }
  let offsetMin = 0;
  const z = iso.charCodeAt(i);
  if (z === 90 && i + 1 === n) offsetMin = 0;
  else if ((z === 43 || z === 45) && i + 6 === n && iso.charCodeAt(i + 3) === 58) {
    const oh = d2(iso, i + 1);
    const om = d2(iso, i + 4);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return NaN;
    offsetMin = (z === 45 ? -1 : 1) * (oh * 60 + om);
  } else return NaN;
  if (day > daysInMonth(year, month)) return NaN;
  const days = daysFromCivil(year, month, day);
  return ((days * 24 + hour) * 60 + minute - offsetMin) * 60_000 + second * 1000 + ms;
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1_000_000;
}
function d2(s: string, i: number): number {
  return digit(s, i) * 10 + digit(s, i + 1);
}
function d3(s: string, i: number): number {
  return digit(s, i) * 100 + digit(s, i + 1) * 10 + digit(s, i + 2);
}
function d4(s: string, i: number): number {
  return d2(s, i) * 100 + d2(s, i + 2);
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Canonical rendering of derived timestamps: UTC, millisecond precision. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * An instant derived from a fix (a passage's interpolated entry and exit) written in the offset
 * that fix was reported in (`Z` or `±HH:MM`), to the millisecond, so one vehicle's timeline reads
 * in one offset: a desk in Beijing sees `+08:00` next to `+08:00`, not a stray `Z`.
 */
export function isoAtOffsetOf(ms: number, like: string): string {
  const n = like.length;
  const tail = like.charCodeAt(n - 1) === 90 ? 'Z' : like.slice(n - 6);
  if (tail === 'Z' || !/^[+-]\d\d:\d\d$/.test(tail)) return new Date(ms).toISOString();
  const offsetMin = (tail[0] === '-' ? -1 : 1) * (Number(tail.slice(1, 3)) * 60 + Number(tail.slice(4, 6)));
  return new Date(ms + offsetMin * 60_000).toISOString().slice(0, 23) + tail;
}
