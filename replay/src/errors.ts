/** Why a replay could not run. Every code maps to exit code 2 on the command line (bad input). */
export type ReplayErrorCode =
  | 'BAD_TIME'
  | 'BAD_SELECTION'
  | 'BAD_CONFIG'
  | 'SOURCE_UNREADABLE'
  | 'EXPORT_INVALID'
  | 'VERIFY_UNAVAILABLE';

export class ReplayError extends Error {
  override readonly name = 'ReplayError';
  constructor(
    readonly code: ReplayErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
