import { BusError } from './errors.ts';
import type { RunOptions } from './port.ts';

/** RunOptions.partitionsConsumedConcurrently, checked: a positive integer, 1 when absent. */
export function partitionsConcurrently(options: RunOptions): number {
  const n = options.partitionsConsumedConcurrently ?? 1;
  if (!Number.isSafeInteger(n) || n < 1) throw new BusError('INVALID_ARGUMENT', `partitionsConsumedConcurrently must be a positive integer, got ${String(n)}`);
  return n;
}
