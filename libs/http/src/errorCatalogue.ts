import { z } from 'zod';

/**
 * Every error code an API answers with, its HTTP status and default message. One catalogue for all
 * services. Messages never repeat what the request held (URL, header values, body text): a client
 * that wants to know what it sent has it, and anything echoed is one more place for injected text.
 */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, message: 'the request is invalid' },
  BODY_UNPARSEABLE: { status: 400, message: 'the request body could not be parsed' },
  BAD_REQUEST: { status: 400, message: 'bad request' },
  UNAUTHENTICATED: { status: 401, message: 'a valid API key is required (x-api-key or Authorization: Bearer)' },
  FORBIDDEN: { status: 403, message: 'this API key is not allowed to use this route' },
  NOT_FOUND: { status: 404, message: 'not found' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'method not allowed' },
  REQUEST_TIMEOUT: { status: 408, message: 'the request did not arrive in time' },
  CONFLICT: { status: 409, message: 'conflict' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'the request body is too large' },
  URI_TOO_LONG: { status: 414, message: 'the request URL is too long' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'unsupported content type' },
  RATE_LIMITED: { status: 429, message: 'too many requests' },
  HEADERS_TOO_LARGE: { status: 431, message: 'the request line and headers are too large' },
  INTERNAL: { status: 500, message: 'internal error' },
  UNAVAILABLE: { status: 503, message: 'the service is temporarily unavailable; retry later' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

export interface AppErrorOptions {
  /** Sent as `Retry-After` (seconds), e.g. with UNAVAILABLE or RATE_LIMITED. */
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

/** The one error type route handlers throw; the errors plugin turns it into the response. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string = errorCatalogue[code].message,
    readonly details?: readonly ErrorDetail[],
    readonly options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = errorCatalogue[code].status;
  }
}

const errorCodes = Object.keys(errorCatalogue) as [ErrorCode, ...ErrorCode[]];

/** The body of every error response; use it in route response schemas. */
export const errorResponse = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorResponse = z.infer<typeof errorResponse>;
