/*
 * Banned hours (禁行时段) are set in Beijing time: UTC+8 all year (China has had no daylight saving
 * since 1991). Pure arithmetic on the fix's own epoch time: no time-zone database, no clock.
 */

const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Milliseconds since Beijing midnight of an instant. */
export function beijingMsOfDay(ms: number): number {
  const t = (ms + BEIJING_OFFSET_MS) % DAY_MS;
  return t < 0 ? t + DAY_MS : t;
}

/** `HH:MM` (validated by the zone schema) as milliseconds since midnight. */
export function clockMs(hhmm: string): number {
  return (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * 60_000;
}

/** In the window [from, to), which wraps past midnight when `to` is earlier than `from` (22:00–06:00). */
export function inWindow(msOfDay: number, from: number, to: number): boolean {
  return from < to ? msOfDay >= from && msOfDay < to : msOfDay >= from || msOfDay < to;
}
