/** Why an API call failed, as the desk reacts to it: 401 → login, network → banner, the rest → inline. */
export type ApiErrorKind = 'unauthenticated' | 'forbidden' | 'not-found' | 'rate-limited' | 'unavailable' | 'network' | 'bad-response' | 'other';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

export function kindOfStatus(status: number): ApiErrorKind {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  return 'other';
}

/** The API's error body: `{ error: { code, message } }` (libs/http errorResponse). */
export function errorFromBody(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${status}`;
  return new ApiError(kindOfStatus(status), message, status, code);
}
