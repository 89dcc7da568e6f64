import { epochMs } from '@dgt/events';
import { ReadModelError } from './errors.ts';
import type { BoundingBox } from './port.ts';

/** Query checks shared by the adapters, so both refuse the same arguments the same way. */

export function checkLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new ReadModelError('INVALID_ARGUMENT', `limit must be a positive integer, got ${limit}`);
}

/** Epoch ms of a query time bound; ISO-8601 strings with different offsets compare correctly this way, not as text. */
export function boundMs(name: 'from' | 'to', iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = epochMs(iso);
  if (Number.isNaN(ms)) throw new ReadModelError('INVALID_ARGUMENT', `${name} must be an ISO-8601 timestamp, got ${JSON.stringify(iso)}`);
  return ms;
}

/** Sort key of a violation's or advisory's start; a row whose startedAt does not parse is a projector bug. */
export function startedMsOf(what: string, startedAt: string): number {
  const ms = epochMs(startedAt);
  if (Number.isNaN(ms)) throw new ReadModelError('INVALID_ARGUMENT', `${what} has an unreadable startedAt ${JSON.stringify(startedAt)}`);
  return ms;
}

export function checkBbox(bbox: BoundingBox | undefined): void {
  if (bbox === undefined) return;
  const { west, south, east, north } = bbox;
  if (![west, south, east, north].every(Number.isFinite) || west > east || south > north)
    throw new ReadModelError('INVALID_ARGUMENT', `bbox must have west <= east and south <= north, got ${JSON.stringify(bbox)}`);
}

/** Binary string order, which is also SQLite's for ASCII ids. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
