export type StackErrorCode = 'PORT_IN_USE' | 'DATA_DIR_IN_USE' | 'DEMO_KEYS_INVALID' | 'SEEDS_FAILED' | 'START_FAILED' | 'STOP_FAILED';

/** A failure of the one-process stack, worded for the person who typed `npm start`. */
export class StackError extends Error {
  override readonly name = 'StackError';
  constructor(
    readonly code: StackErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isStackError(error: unknown): error is StackError {
  return error instanceof StackError;
}
