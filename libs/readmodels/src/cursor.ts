import { ReadModelError } from './errors.ts';

/*
 * Keyset cursors: the sort key of the last row of a page, so the next page starts right after
 * it whatever was committed in between (no gaps, no duplicates for rows that did not move).
 * Opaque to callers: base64url of a small JSON tuple tagged by the listing it belongs to.
 */

export interface FleetCursor {
  readonly vehicleId: string;
}

/** Violations and advisories page the same way: newest start first, then by id. */
export interface OccurrenceCursor {
  readonly startedMs: number;
  /** The row's id (violationId or advisoryId). */
  readonly id: string;
}

/** Tags the listing a cursor belongs to: a violations cursor is refused by the advisories listing. */
export type OccurrenceListing = 'violations' | 'advisories';
const tags: Readonly<Record<OccurrenceListing, string>> = { violations: 'v', advisories: 'a' };

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decode(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function invalid(cursor: string): ReadModelError {
  return new ReadModelError('INVALID_CURSOR', `not a cursor of this listing: ${JSON.stringify(cursor.slice(0, 80))}`);
}

export function encodeFleetCursor(c: FleetCursor): string {
  return encode(['f', c.vehicleId]);
}

export function decodeFleetCursor(cursor: string): FleetCursor {
  const v = decode(cursor);
  if (Array.isArray(v) && v.length === 2 && v[0] === 'f' && typeof v[1] === 'string') return { vehicleId: v[1] };
  throw invalid(cursor);
}

export function encodeOccurrenceCursor(listing: OccurrenceListing, c: OccurrenceCursor): string {
  return encode([tags[listing], c.startedMs, c.id]);
}

export function decodeOccurrenceCursor(listing: OccurrenceListing, cursor: string): OccurrenceCursor {
  const v = decode(cursor);
  if (Array.isArray(v) && v.length === 3 && v[0] === tags[listing] && Number.isSafeInteger(v[1]) && typeof v[2] === 'string') return { startedMs: v[1] as number, id: v[2] };
  throw invalid(cursor);
}

/** Cases page newest opened first, then by caseId descending (the API's order before this read model). */
export interface CaseCursor {
  readonly openedMs: number;
  readonly caseId: string;
}

export function encodeCaseCursor(c: CaseCursor): string {
  return encode(['c', c.openedMs, c.caseId]);
}

export function decodeCaseCursor(cursor: string): CaseCursor {
  const v = decode(cursor);
  if (Array.isArray(v) && v.length === 3 && v[0] === 'c' && Number.isSafeInteger(v[1]) && typeof v[2] === 'string') return { openedMs: v[1] as number, caseId: v[2] };
  throw invalid(cursor);
}
