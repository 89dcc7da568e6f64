export type ProjectorErrorCode =
  /** An event of a schema version newer than this build: an older projector must not guess. */
  | 'EVENT_TOO_NEW'
  | 'INVALID_CONFIG'
  | 'NOT_RUNNING'
  | 'ALREADY_RUNNING';

export class ProjectorError extends Error {
  override readonly name = 'ProjectorError';
  constructor(
    readonly code: ProjectorErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
