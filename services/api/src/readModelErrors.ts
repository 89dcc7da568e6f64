import { AppError } from '@dgt/http';
import { isReadModelError } from '@dgt/readmodels';

/**
 * Read-model failures in the error catalogue's terms: a bad cursor is the caller's mistake
 * (400 on `query.cursor`), a closed or unreadable store is ours and temporary (503).
 * Anything else passes through unchanged.
 */
export function readModelErrorToAppError(error: unknown): unknown {
  if (!isReadModelError(error)) return error;
  switch (error.code) {
    // The store's messages quote the value they refused (the cursor, a time): request content, not repeated.
    case 'INVALID_CURSOR':
      return new AppError('VALIDATION_FAILED', 'the request is invalid', [{ path: 'query.cursor', message: 'is not a cursor of this listing' }]);
    case 'INVALID_ARGUMENT':
      return new AppError('VALIDATION_FAILED');
    case 'STORE_NOT_FOUND':
    case 'STORE_UNREADABLE':
    case 'SCHEMA_TOO_NEW':
    case 'STORE_CLOSED':
      return new AppError('UNAVAILABLE', 'the read models are not available; retry later', undefined, { cause: error, retryAfterSeconds: 5 });
    case 'READ_ONLY':
      return new AppError('INTERNAL', undefined, undefined, { cause: error });
    default: {
      const never: never = error.code;
      return new AppError('INTERNAL', `unexpected read-model error ${String(never)}`, undefined, { cause: error });
    }
  }
}
