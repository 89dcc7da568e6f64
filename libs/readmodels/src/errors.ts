export type ReadModelErrorCode =
  /** A query argument the store cannot use (limit, time bound, cursor). */
  | 'INVALID_ARGUMENT'
  | 'INVALID_CURSOR'
  /** The file is missing (read-only open), not a SQLite database, or not a dgt read-model store. */
  | 'STORE_NOT_FOUND'
  | 'STORE_UNREADABLE'
  | 'SCHEMA_TOO_NEW'
  /** A write on a store opened read-only (the API's view of the projector's file). */
  | 'READ_ONLY'
  | 'STORE_CLOSED';

export class ReadModelError extends Error {
  override readonly name = 'ReadModelError';
  constructor(
    readonly code: ReadModelErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isReadModelError(err: unknown, code?: ReadModelErrorCode): err is ReadModelError {
  return err instanceof ReadModelError && (code === undefined || err.code === code);
}
