import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import type { ErrorBody } from '@crewdeck/shared/errors';
import { AppError, ConflictError, NotFoundError, PayloadTooLargeError, ValidationError } from './errors.ts';
import { issueMessage } from './validation-messages.ts';

/** Converts zod issues to `{ 'groups.0': 'message' }`, first message per path. */
export function zodFields(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '_';
    fields[path] ??= issueMessage(issue);
  }
  return fields;
}

/**
 * body-parser signals its failures as http-errors: a `type` string for the ones it names, and
 * `expose` with a 4xx status for the rest (a body whose gzip/deflate/br data does not inflate).
 */
function fromBodyParser(error: unknown): AppError | null {
  if (typeof error !== 'object' || error === null) return null;
  const type = 'type' in error ? error.type : undefined;
  if (type === 'entity.too.large') return new PayloadTooLargeError();
  if (type === 'entity.parse.failed') {
    return new ValidationError({ _: 'Malformed JSON' }, 'Request body is not valid JSON');
  }
  const clientError = 'status' in error && typeof error.status === 'number' && error.status < 500;
  if (clientError && (type !== undefined || ('expose' in error && error.expose === true))) {
    return new ValidationError({ _: 'Unreadable request body' }, 'Request body could not be read');
  }
  return null;
}

/** A unique index refused a write that a pre-check let through (two requests raced). */
function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}

/** The router could not percent-decode a path parameter (e.g. `%ED%A0%80`, not UTF-8). */
function isUndecodableParam(error: unknown): boolean {
  return error instanceof URIError && 'status' in error && error.status === 400;
}

function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (isUndecodableParam(error)) return new ValidationError({ _: 'Malformed URL' }, 'The URL could not be decoded');
  if (isDuplicateKey(error)) return new ConflictError('It already exists');
  if (error instanceof z.ZodError) return new ValidationError(zodFields(error));
  return fromBodyParser(error);
}

/** The one error handler: writes the shared error body, never a stack trace. */
export function errorMiddleware(log: (error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const known = toAppError(error);
    if (!known) log(error);
    const appError = known ?? new AppError('internal', 'Something went wrong');
    const body: ErrorBody & { conflicts?: ErrorBody['error']['conflicts'] } = {
      error: {
        code: appError.code,
        message: appError.message,
        ...(appError.fields ? { fields: appError.fields } : {}),
        ...(appError.retryAfterSeconds !== undefined ? { retryAfterSeconds: appError.retryAfterSeconds } : {}),
        ...(appError.current ? { current: appError.current } : {}),
        ...(appError.conflicts ? { conflicts: appError.conflicts } : {}),
        ...(appError.duplicates ? { duplicates: appError.duplicates } : {}),
      },
    };
    // Booking conflicts are also given at the top level, where some clients look for them.
    if (appError.conflicts) body.conflicts = appError.conflicts;
    if (appError.retryAfterSeconds !== undefined) {
      res.setHeader('Retry-After', String(appError.retryAfterSeconds));
    }
    res.status(appError.status).json(body);
  };
}

/** Unknown `/api/*` routes answer 404 JSON instead of falling through to the web app. */
export const apiNotFound: RequestHandler = (_req, _res, next) => {
  next(new NotFoundError('Route'));
};
