import type { ExpectedRevision } from './port.ts';

export type EventStoreErrorCode =
  | 'WRONG_EXPECTED_REVISION'
  | 'INVALID_EVENT'
  | 'INVALID_ARGUMENT'
  | 'INVALID_POSITION'
  | 'STORE_UNREADABLE'
  | 'SCHEMA_TOO_NEW'
  | 'STORE_CLOSED';

export class EventStoreError extends Error {
  override readonly name: string = 'EventStoreError';
  constructor(
    readonly code: EventStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The optimistic-concurrency conflict of `append`; nothing of the batch was written. */
export class WrongExpectedRevisionError extends EventStoreError {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event, or `'no-stream'`. */
    readonly actual: number | 'no-stream',
  ) {
    super('WRONG_EXPECTED_REVISION', `stream "${streamId}" is at revision ${actual}, expected ${expected}`);
  }
}

export function isWrongExpectedRevision(err: unknown): err is WrongExpectedRevisionError {
  return err instanceof EventStoreError && err.code === 'WRONG_EXPECTED_REVISION';
}
