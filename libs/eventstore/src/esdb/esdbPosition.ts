import type { Position as EsdbPosition } from '@eventstore/db-client';
import { EventStoreError } from '../errors.ts';
import type { Position } from '../port.ts';

/** Our opaque position for EventStoreDB: `<commit>:<prepare>` of the transaction log. */
export function encodePosition(p: EsdbPosition): Position {
  return `${p.commit}:${p.prepare}` as Position;
}

const shape = /^(\d{1,20}):(\d{1,20})$/;

export function decodePosition(position: Position): EsdbPosition {
  const m = typeof position === 'string' ? shape.exec(position) : null;
  if (!m) throw new EventStoreError('INVALID_POSITION', `not an EventStoreDB position: ${JSON.stringify(position)}`);
  return { commit: BigInt(m[1] as string), prepare: BigInt(m[2] as string) };
}

export function samePosition(a: EsdbPosition, b: EsdbPosition): boolean {
  return a.commit === b.commit && a.prepare === b.prepare;
}

/** Whether `a` comes after `b` in the transaction log (commit first, then prepare). */
export function isAfter(a: EsdbPosition, b: EsdbPosition): boolean {
  return a.commit > b.commit || (a.commit === b.commit && a.prepare > b.prepare);
}
