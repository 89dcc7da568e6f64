import { epochMs } from '@dgt/events';
import { AppError } from '@dgt/http';

/** Without `from`, the statistics cover this many days before `to`. */
export const DEFAULT_WINDOW_DAYS = 30;
/** A longer window is refused: a leap year, and the cost of a request stays bounded. */
export const MAX_WINDOW_DAYS = 366;

const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

export interface StatisticsWindow {
  readonly fromMs: number;
  readonly toMs: number;
  /** ISO-8601 in Beijing time (`+08:00`), as the response and the CSV file names state it. */
  readonly from: string;
  readonly to: string;
}

/** The message says what is wrong too: a client that shows only `error.message` (the desk) still tells its user why. */
function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${path.slice('query.'.length)}: ${message}`, [{ path, message }]);
}

/** `2026-03-01T08:00:00+08:00`: an instant on Beijing's clock, whole seconds kept, milliseconds when it has them. */
export function beijingIso(ms: number): string {
  const text = new Date(ms + BEIJING_OFFSET_MS).toISOString();
  return `${text.endsWith('.000Z') ? text.slice(0, 19) : text.slice(0, 23)}+08:00`;
}

/**
 * The window asked for, from inclusive and to exclusive as the violation listings read them:
 * `to` defaults to now, `from` to `DEFAULT_WINDOW_DAYS` before `to`. An empty or reversed window,
 * or one longer than `MAX_WINDOW_DAYS`, is refused naming `query.from`.
 */
export function statisticsWindow(from: string | undefined, to: string | undefined, now: Date): StatisticsWindow {
  const toMs = to === undefined ? now.getTime() : epochMs(to);
  const fromMs = from === undefined ? toMs - DEFAULT_WINDOW_DAYS * DAY_MS : epochMs(from);
  if (fromMs >= toMs) throw invalid('query.from', to === undefined ? 'must be before now (to defaults to now)' : 'must be before to');
  if (toMs - fromMs > MAX_WINDOW_DAYS * DAY_MS) throw invalid('query.from', `the window may span at most ${MAX_WINDOW_DAYS} days; ask for a shorter one`);
  return { fromMs, toMs, from: beijingIso(fromMs), to: beijingIso(toMs) };
}

/** Every Beijing date the window touches, oldest first (`to` is exclusive). */
export function windowDays(window: StatisticsWindow): string[] {
  const first = Math.floor((window.fromMs + BEIJING_OFFSET_MS) / DAY_MS);
  const last = Math.floor((window.toMs - 1 + BEIJING_OFFSET_MS) / DAY_MS);
  return Array.from({ length: last - first + 1 }, (_, i) => new Date((first + i) * DAY_MS).toISOString().slice(0, 10));
}
