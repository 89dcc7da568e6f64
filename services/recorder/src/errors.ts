export type RecorderErrorCode = 'ALREADY_STARTED' | 'NOT_CONFIGURED' | 'INVALID_CONFIG';

export class RecorderError extends Error {
  override readonly name = 'RecorderError';
  readonly code: RecorderErrorCode;

  constructor(code: RecorderErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
