import { Jt808EncodeError } from './errors.ts';

const HOUR_MS = 3_600_000;
const OFFSET_MS = 8 * HOUR_MS;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in a month of the Gregorian calendar (month 1–12). */
export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

const PAD2: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : `${i}`));

/**
 * The UTC ISO-8601 text (`…T…Z`, milliseconds .000) of valid GMT+8 calendar fields: what
 * `new Date(ms).toISOString()` gives, without it (one per decoded fix, in both protocols). Going
 * back eight hours crosses at most one day boundary.
 */
export function gmt8UtcIso(year: number, month: number, day: number, hour: number, minute: number, second: number): string {
  let y = year;
  let m = month;
  let d = day;
  let h = hour - 8;
  if (h < 0) {
    h += 24;
    d -= 1;
    if (d === 0) {
      m -= 1;
      if (m === 0) {
        m = 12;
        y -= 1;
      }
      d = daysInMonth(y, m);
    }
  }
  return `${y}-${PAD2[m]}-${PAD2[d]}T${PAD2[h]}:${PAD2[minute]}:${PAD2[second]}.000Z`;
}

export interface UtcInstant {
  /** ISO-8601 UTC, millisecond precision, `Z` suffix. */
  readonly iso: string;
  readonly ms: number;
}

/** 0–99 from one packed-BCD byte, or -1 when a nibble is above 9. */
function bcdValue(b: number): number {
  const hi = b >> 4;
  const lo = b & 0x0f;
  return hi > 9 || lo > 9 ? -1 : hi * 10 + lo;
}

/**
 * BCD[6] `YYMMDDhhmmss` in GMT+8 (years 2000–2099) to UTC, or `undefined` when the six bytes are
 * not a calendar time. Terminals without a GNSS fix commonly send all zeros (or 0xFF) here, and
 * their report is still a well-formed message: whether it is usable is the caller's decision,
 * so an impossible time is not a decode error. Pure calendar arithmetic: subtracting 8 h can
 * only roll back one day, so no general date library is needed. `bytes[offset + 5]` must exist.
 */
export function decodeGmt8Time(bytes: Uint8Array, offset: number): UtcInstant | undefined {
  const yy = bcdValue(bytes[offset]!);
  const mo = bcdValue(bytes[offset + 1]!);
  const dd = bcdValue(bytes[offset + 2]!);
  const hh = bcdValue(bytes[offset + 3]!);
  const mi = bcdValue(bytes[offset + 4]!);
  const ss = bcdValue(bytes[offset + 5]!);
  const y = 2000 + yy;
  // -1 (not BCD) fails one of these tests too: every field has a lower bound of 0 or 1.
  if (yy < 0 || mo < 1 || mo > 12 || dd < 1 || dd > daysInMonth(y, mo) || hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, dd, hh, mi, ss) - OFFSET_MS;
  return { iso: gmt8UtcIso(y, mo, dd, hh, mi, ss), ms };
}

/** Epoch ms (whole seconds; sub-second part dropped) to BCD[6] GMT+8, written at out[offset]. */
export function encodeGmt8Time(epochMs: number, out: Uint8Array, offset: number): void {
  if (!Number.isFinite(epochMs)) throw new Jt808EncodeError(`time must be finite epoch ms, got ${epochMs}`);
  const local = new Date(Math.floor(epochMs / 1000) * 1000 + OFFSET_MS);
  const y = local.getUTCFullYear();
  if (y < 2000 || y > 2099) throw new Jt808EncodeError(`JT/T 808 time covers 2000–2099 (GMT+8), got year ${y}`);
  const fields = [y - 2000, local.getUTCMonth() + 1, local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds()];
  for (let i = 0; i < 6; i++) {
    const v = fields[i]!;
    out[offset + i] = Math.floor(v / 10) * 16 + (v % 10);
  }
}
