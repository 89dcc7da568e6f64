export { DATA_DIR_LOCK_FILE, lockDataDir, type DataDirLock, type LockDataDirOptions, type LockHolder } from './dataDirLock.ts';
export { DataDirLockError, isDataDirLockError } from './dataDirLockError.ts';
export {
  createPrivateFile,
  createPrivateWriteStream,
  makePrivateDir,
  preparePrivateSqliteFile,
  PRIVATE_DIR_MODE,
  PRIVATE_FILE_MODE,
  tightenFile,
  writePrivateFile,
} from './privateFiles.ts';
export { processIdentity } from './processIdentity.ts';
