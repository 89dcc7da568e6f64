export type BusErrorCode =
  | 'UNKNOWN_TOPIC'
  | 'INVALID_TOPIC_SPEC'
  | 'INVALID_MESSAGE'
  | 'ALREADY_RUNNING'
  | 'CLOSED'
  | 'SEND_FAILED'
  | 'ADMIN_FAILED'
  | 'INVALID_ARGUMENT';

export class BusError extends Error {
  override readonly name = 'BusError';
  readonly code: BusErrorCode;

  constructor(code: BusErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
