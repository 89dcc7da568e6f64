import { daysInMonth, gmt8UtcIso } from '@dgt/jt808';
import { Jt809EncodeError } from './errors.ts';

const OFFSET_MS = 8 * 3_600_000;


/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil): Date.UTC's answer without the call. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}


/**
 * A fix time of the 2011 layout (binary day, month, year WORD, hour, minute, second) in China
 * Standard Time, as JT/T 808's BCD times are (tucke/java-jtt809-2011 reads it as GMT+8 too), to
 * epoch ms — or undefined when the fields are not a calendar time in 2000–2099 (a platform
 * forwarding a fix without time), which the caller refuses without failing the frame.
 */
export function chinaTimeMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  if (year < 2000 || year > 2099 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  return ((daysFromCivil(year, month, day) * 24 + hour) * 3_600 + minute * 60 + second) * 1_000 - OFFSET_MS;
}

/**
 * The UTC ISO-8601 text (`…T…Z`, milliseconds .000) of fields chinaTimeMs accepted: what
 * `new Date(ms).toISOString()` gives, at a fraction of its cost (one per decoded fix). Going
 * back eight hours crosses at most one day boundary.
 */
export function chinaTimeIso(year: number, month: number, day: number, hour: number, minute: number, second: number): string {
  return gmt8UtcIso(year, month, day, hour, minute, second);
}

/** Epoch ms (whole seconds) to China Standard Time fields [year, month, day, hour, minute, second]. */
export function chinaTimeFields(epochMs: number): [number, number, number, number, number, number] {
  if (!Number.isFinite(epochMs)) throw new Jt809EncodeError(`time must be finite epoch ms, got ${epochMs}`);
  const local = new Date(Math.floor(epochMs / 1000) * 1000 + OFFSET_MS);
  const y = local.getUTCFullYear();
  if (y < 2000 || y > 2099) throw new Jt809EncodeError(`fix times cover 2000–2099 (China Standard Time), got year ${y}`);
  return [y, local.getUTCMonth() + 1, local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds()];
}

/** UTC seconds (2019 header, alarm times) as ISO-8601, or undefined beyond year 9999. */
export function utcSecondsIso(seconds: number): string | undefined {
  const ms = seconds * 1000;
  return ms >= 0 && ms <= 253_402_300_799_000 ? new Date(ms).toISOString() : undefined;
}
