import { EventStoreError } from './errors.ts';
import type { Position } from './port.ts';

/**
 * Positions of the memory and SQLite adapters: the 1-based sequence number of the event in
 * the global log, rendered as a decimal string. Callers treat it as opaque.
 */
export function positionOf(seq: number): Position {
  return String(seq) as Position;
}

const decimal = /^[1-9]\d{0,15}$/;

/** Sequence number after which to read; 0 for "from the beginning". */
export function seqAfter(position: Position | undefined): number {
  if (position === undefined) return 0;
  if (typeof position !== 'string' || !decimal.test(position) || !Number.isSafeInteger(Number(position)))
    throw new EventStoreError('INVALID_POSITION', `not a position of this store: ${JSON.stringify(position)}`);
  return Number(position);
}

/** The last sequence number a read may return: the head, or `toPosition` when it is earlier. */
export function seqUpTo(position: Position | undefined, head: number): number {
  if (position === undefined) return head;
  return Math.min(head, seqAfter(position));
}
