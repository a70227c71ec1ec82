// One error type and one handler for the web app. The API always answers failures with
// `{ error: { code, message, fields? } }`; anything else becomes a generic ApiError.
import { errorBodySchema } from '@crewdeck/shared/errors';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string> | undefined;
  /** The raw answer, for callers that read details beyond the shared error body. */
  readonly body: unknown;

  constructor(
    status: number,
    code: string,
    message: string,
    fields?: Record<string, string>,
    options?: ErrorOptions & { body?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.body = options?.body;
  }
}

const STATUS_MESSAGES: Record<number, string> = {
  401: 'Your session has ended. Please sign in again.',
  403: 'You do not have permission to do this.',
  404: 'Not found.',
  413: 'That is too large to send.',
  429: 'Too many attempts. Please wait a moment and try again.',
};

/** "Too many attempts. Try again in 8 s." (or in N min once it is a minute or more). */
function tryAgainIn(seconds: number): string {
  const wait = seconds < 60 ? `${Math.max(1, seconds)} s` : `${Math.ceil(seconds / 60)} min`;
  return `Too many attempts. Try again in ${wait}.`;
}

export function parseErrorBody(status: number, payload: unknown): ApiError {
  const parsed = errorBodySchema.safeParse(payload);
  if (parsed.success) {
    const { code, message, fields, retryAfterSeconds } = parsed.data.error;
    const shown = code === 'rate_limited' && retryAfterSeconds !== undefined ? tryAgainIn(retryAfterSeconds) : message;
    return new ApiError(status, code, shown, fields, { body: payload });
  }
  const fallback = STATUS_MESSAGES[status] ?? `The server answered with an error (${status}).`;
  return new ApiError(status, 'http_' + status, fallback, undefined, { body: payload });
}

export type UserFacingError = {
  status: number;
  code: string;
  message: string;
  fields: Record<string, string>;
};

/** The single web-side error handler: turns anything thrown into what a person should read. */
export function handleError(error: unknown): UserFacingError {
  if (error instanceof ApiError) {
    return { status: error.status, code: error.code, message: error.message, fields: error.fields ?? {} };
  }
  console.error(error);
  return { status: 500, code: 'unexpected', message: 'Something went wrong. Please try again.', fields: {} };
}

export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}
