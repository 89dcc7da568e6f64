/*
 * Beijing calendar arithmetic for planning tables: UTC+8 all year (no daylight saving since 1991),
 * pure arithmetic on epoch milliseconds — no time-zone database, no clock.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** Hour of the Beijing day (0–23). */
export function beijingHour(ms: number): number {
  return Math.floor(msOfBeijingDay(ms) / HOUR_MS);
}

/** Milliseconds since Beijing midnight. */
export function msOfBeijingDay(ms: number): number {
  const t = (ms + BEIJING_OFFSET_MS) % DAY_MS;
  return t < 0 ? t + DAY_MS : t;
}

/** The next Beijing hour boundary strictly after `ms`. */
export function nextBeijingHour(ms: number): number {
  return ms - (msOfBeijingDay(ms) % HOUR_MS) + HOUR_MS;
}

/** The Beijing date, `YYYY-MM-DD`. */
export function beijingDate(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The week a time falls in, named by its Monday's Beijing date (`YYYY-MM-DD`): unambiguous across years, unlike ISO week numbers. */
export function beijingWeek(ms: number): string {
  const local = ms + BEIJING_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  // 1970-01-01 was a Thursday: day 0 → weekday 3 counting Monday as 0.
  const weekday = (((day + 3) % 7) + 7) % 7;
  return new Date((day - weekday) * DAY_MS).toISOString().slice(0, 10);
}
