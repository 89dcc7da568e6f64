import { Jt809EncodeError } from './errors.ts';

const OFFSET_MS = 8 * 3_600_000;

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * A fix time of the 2011 layout (binary day, month, year WORD, hour, minute, second) in China
 * Standard Time, as JT/T 808's BCD times are (tucke/java-jtt809-2011 reads it as GMT+8 too), to
 * epoch ms — or undefined when the fields are not a calendar time in 2000–2099 (a platform
 * forwarding a fix without time), which the caller refuses without failing the frame.
 */
export function chinaTimeMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  if (year < 2000 || year > 2099 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second) - OFFSET_MS;
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
