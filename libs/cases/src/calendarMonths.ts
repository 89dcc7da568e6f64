import { epochMs, isoAtOffsetOf } from '@dgt/events';

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/**
 * `iso` plus whole calendar months on the Beijing calendar (UTC+8, no daylight saving), the one
 * points are kept by: 2026-03-15T10:00+08:00 plus 12 months is 2027-03-15T10:00+08:00. A day the
 * target month lacks is clamped to its last day (31 January plus one month is 28 or 29 February),
 * so a period never spills into the month after. Written in the offset of `iso`.
 */
export function addCalendarMonths(iso: string, months: number): string {
  const local = new Date(epochMs(iso) + BEIJING_OFFSET_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), lastDay);
  const ms = Date.UTC(y, m, day, local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds(), local.getUTCMilliseconds()) - BEIJING_OFFSET_MS;
  return isoAtOffsetOf(ms, iso);
}
