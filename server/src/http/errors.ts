import type { BookingConflict } from '@crewdeck/shared/calendar';
import type { DuplicateCandidate } from '@crewdeck/shared/clients';
import { errorStatus, type ErrorCode } from '@crewdeck/shared/errors';

/**
 * The one error type. Subclasses only fix the code, so `instanceof AppError` catches all
 * of them and the middleware never guesses a status.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;
  readonly retryAfterSeconds: number | undefined;
  /** For edit conflicts: the resource as it is now, sent back as `error.current`. */
  readonly current: Record<string, unknown> | undefined;
  /** For booking conflicts: who is busy when, sent back as `error.conflicts`. */
  readonly conflicts: BookingConflict[] | undefined;
  /** For likely duplicate clients: the candidates, sent back as `error.duplicates`. */
  readonly duplicates: DuplicateCandidate[] | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    extra: {
      fields?: Record<string, string>;
      retryAfterSeconds?: number;
      current?: Record<string, unknown>;
      conflicts?: BookingConflict[];
      duplicates?: DuplicateCandidate[];
    } = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.fields = extra.fields;
    this.retryAfterSeconds = extra.retryAfterSeconds;
    this.current = extra.current;
    this.conflicts = extra.conflicts;
    this.duplicates = extra.duplicates;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export class ValidationError extends AppError {
  constructor(fields: Record<string, string>, message = 'Some fields are invalid') {
    super('validation_failed', message, { fields });
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in to continue') {
    super('unauthenticated', message);
  }
}

export class InvalidCredentialsError extends AppError {
  constructor() {
    // One message for unknown login and wrong password: never reveal which accounts exist.
    super('invalid_credentials', 'Login or password is incorrect');
  }
}

export class PasswordChangeRequiredError extends AppError {
  constructor() {
    super('password_change_required', 'Set a new password before continuing');
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have permission to do this') {
    super('forbidden', message);
  }
}

export class CsrfError extends AppError {
  constructor() {
    super('csrf_rejected', 'Cross-site request refused');
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'Resource') {
    super('not_found', `${what} not found`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, fields?: Record<string, string>, current?: Record<string, unknown>) {
    super('conflict', message, { ...(fields ? { fields } : {}), ...(current ? { current } : {}) });
  }
}

/** A booking overlaps someone's busy time, absence or time off work (409 with the list). */
export class BookingConflictError extends AppError {
  constructor(conflicts: BookingConflict[]) {
    super('conflict', 'Someone is not available at that time', { conflicts });
  }
}

/** 409 for a client that looks like one already recorded; `force: true` creates it anyway. */
export class DuplicateClientError extends AppError {
  constructor(duplicates: DuplicateCandidate[]) {
    super('conflict', 'This looks like a client that already exists', { duplicates });
  }
}

export class PayloadTooLargeError extends AppError {
  constructor() {
    super('payload_too_large', 'Request body is too large');
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super('rate_limited', 'Too many attempts; try again later', { retryAfterSeconds });
  }
}
