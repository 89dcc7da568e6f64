import { isDataDirLockError, lockDataDir as lockDirectory, type DataDirLock, type LockDataDirOptions } from '@dgt/datadir';
import { StackError } from './stackError.ts';

export { DATA_DIR_LOCK_FILE, type DataDirLock, type LockDataDirOptions, type LockHolder } from '@dgt/datadir';

/**
 * The data-directory lock of @dgt/datadir (shared with `dgt projector`), worded for the person
 * who typed `npm start`: StackError `DATA_DIR_IN_USE`, with `--data` as the way out.
 */
export function lockDataDir(dataDir: string, options: LockDataDirOptions = {}): DataDirLock {
  try {
    return lockDirectory(dataDir, { otherDirHint: 'use --data <other dir>', ...options });
  } catch (error) {
    if (isDataDirLockError(error)) throw new StackError('DATA_DIR_IN_USE', error.message, { cause: error });
    throw error;
  }
}
