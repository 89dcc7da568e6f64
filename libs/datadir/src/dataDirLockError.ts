/** The data directory is held by another running process (or the lock file keeps changing). */
export class DataDirLockError extends Error {
  override readonly name = 'DataDirLockError';
  readonly code = 'DATA_DIR_IN_USE';
}

export function isDataDirLockError(error: unknown): error is DataDirLockError {
  return error instanceof DataDirLockError;
}
