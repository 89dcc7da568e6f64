import { EventStoreError, WrongExpectedRevisionError } from './errors.ts';
import type { ExpectedRevision } from './port.ts';

export function assertExpectedRevision(expected: ExpectedRevision): void {
  if (typeof expected === 'number') {
    if (!Number.isSafeInteger(expected) || expected < 0)
      throw new EventStoreError('INVALID_ARGUMENT', `expectedRevision must be a non-negative integer, 'any', 'no-stream' or 'stream-exists', got ${expected}`);
    return;
  }
  switch (expected) {
    case 'any':
    case 'no-stream':
    case 'stream-exists':
      return;
    default: {
      const never: never = expected;
      throw new EventStoreError('INVALID_ARGUMENT', `unknown expectedRevision ${String(never)}`);
    }
  }
}

/** `current` is the revision of the stream's last event, or `null` for a stream without events. */
export function revisionMatches(expected: ExpectedRevision, current: number | null): boolean {
  if (typeof expected === 'number') return current === expected;
  switch (expected) {
    case 'any':
      return true;
    case 'no-stream':
      return current === null;
    case 'stream-exists':
      return current !== null;
    default: {
      const never: never = expected;
      return never;
    }
  }
}

export function conflict(streamId: string, expected: ExpectedRevision, current: number | null): WrongExpectedRevisionError {
  return new WrongExpectedRevisionError(streamId, expected, current ?? 'no-stream');
}
