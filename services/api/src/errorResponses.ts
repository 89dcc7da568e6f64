import { errorResponse } from '@dgt/http';

/** The error statuses every read route may answer, all in the error catalogue's format. */
export const readErrors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  429: errorResponse,
  503: errorResponse,
} as const;
