// One error type and one handler for the web app. The API always answers failures with
// `{ error: { code, message, fields? } }`; anything else becomes a generic ApiError. What a
// person reads is chosen by the stable `code` in their language; the server's (English)
// message is shown as written in English and is the fallback for a code the web does not know.
import { errorBodySchema, errorCodes, type ErrorCode } from '@crewdeck/shared/errors';
import { m } from './paraglide/messages.js';
import { baseLocale, getLocale } from './paraglide/runtime.js';
import { formatNumber } from './i18n/locale.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string> | undefined;
  /** The raw answer, for callers that read details beyond the shared error body. */
  readonly body: unknown;
  /** For `rate_limited`: seconds until another attempt is accepted. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    fields?: Record<string, string>,
    options?: ErrorOptions & { body?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.body = options?.body;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** Codes the web itself raises (no server answer to show). */
const CLIENT_MESSAGES: Record<string, () => string> = {
  network: () => m.error_network(),
  upload_interrupted: () => m.error_upload_interrupted(),
  aborted: () => m.error_upload_cancelled(),
  bad_response: () => m.error_bad_response(),
  unexpected: () => m.error_unexpected(),
};

const SERVER_MESSAGES: Record<ErrorCode, () => string> = {
  validation_failed: () => m.error_validation_failed(),
  unauthenticated: () => m.error_unauthenticated(),
  invalid_credentials: () => m.error_invalid_credentials(),
  password_change_required: () => m.error_password_change_required(),
  forbidden: () => m.error_forbidden(),
  csrf_rejected: () => m.error_csrf_rejected(),
  not_found: () => m.error_not_found(),
  conflict: () => m.error_conflict(),
  payload_too_large: () => m.error_payload_too_large(),
  headers_too_large: () => m.error_headers_too_large(),
  rate_limited: () => m.error_rate_limited(),
  internal: () => m.error_internal(),
};

const STATUS_MESSAGES: Record<number, () => string> = {
  401: () => m.error_unauthenticated(),
  403: () => m.error_forbidden(),
  404: () => m.error_not_found(),
  413: () => m.error_payload_too_large(),
  429: () => m.error_rate_limited(),
};

function isServerCode(code: string): code is ErrorCode {
  return (errorCodes as readonly string[]).includes(code);
}

/** "Too many attempts. Try again in 8 s." (or in N min once it is a minute or more). */
function tryAgainIn(seconds: number): string {
  return seconds < 60
    ? m.error_rate_limited_seconds({ count: Math.max(1, seconds) })
    : m.error_rate_limited_minutes({ count: Math.ceil(seconds / 60) });
}

export function parseErrorBody(status: number, payload: unknown): ApiError {
  const parsed = errorBodySchema.safeParse(payload);
  if (parsed.success) {
    const { code, message, fields, retryAfterSeconds } = parsed.data.error;
    return new ApiError(status, code, message, fields, { body: payload, retryAfterSeconds });
  }
  return new ApiError(status, 'http_' + status, '', undefined, { body: payload });
}

/** What a person reads for `error`, in the active language. */
export function errorMessage(error: ApiError): string {
  const { code, status, message } = error;
  if (code === 'rate_limited' && error.retryAfterSeconds !== undefined) return tryAgainIn(error.retryAfterSeconds);
  if (code in CLIENT_MESSAGES) return CLIENT_MESSAGES[code]();
  if (isServerCode(code)) return getLocale() === baseLocale && message ? message : SERVER_MESSAGES[code]();
  if (message) return message;
  return STATUS_MESSAGES[status]?.() ?? m.error_http_status({ status: formatNumber(status) });
}

/**
 * A field message of the server (English, written from zod's issues) in the active language
 * where its shape is known ("… is required.", "… at most 300 characters."), else as sent.
 */
export function fieldMessage(message: string): string {
  if (getLocale() === baseLocale) return message;
  if (/ is required\.?$/.test(message)) return m.field_required();
  const most = / at most (\d+) characters?\.?$/.exec(message);
  if (most) return m.field_too_long({ count: Number(most[1]) });
  const least = / at least (\d+) characters?\.?$/.exec(message);
  if (least) return m.field_too_short({ count: Number(least[1]) });
  if (/ must be (a number|a whole number)\.?$/.test(message)) return m.field_not_a_number();
  if (/ (must be|can be) (at least|at most|more than|less than) -?[\d.]+\.?$/.test(message))
    return m.field_out_of_range();
  return message;
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
    const fields = Object.fromEntries(
      Object.entries(error.fields ?? {}).map(([key, text]) => [key, fieldMessage(text)]),
    );
    return { status: error.status, code: error.code, message: errorMessage(error), fields };
  }
  console.error(error);
  return { status: 500, code: 'unexpected', message: m.error_unexpected(), fields: {} };
}

export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}
