const OFFSET_MS = 8 * 3_600_000;

/** `YYYY-MM-DDTHH:MM:SS+08:00` (China Standard Time, as JT/T 808 terminals report), whole seconds. */
export function isoCst(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000 + OFFSET_MS).toISOString().slice(0, 19) + '+08:00';
}

/** Like `isoCst` with milliseconds, for ground-truth instants between fixes. */
export function isoCstMs(ms: number): string {
  return new Date(Math.round(ms) + OFFSET_MS).toISOString().slice(0, 23) + '+08:00';
}

/** Epoch ms of local midnight of a `YYYY-MM-DD` date in China Standard Time. */
export function cstMidnightMs(date: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return NaN;
  return Date.parse(`${date}T00:00:00+08:00`);
}
