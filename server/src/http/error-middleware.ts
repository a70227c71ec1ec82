import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import type { ErrorBody } from '@crewdeck/shared/errors';
import { AppError, ConflictError, NotFoundError, PayloadTooLargeError, ValidationError } from './errors.ts';

/** Converts zod issues to `{ 'groups.0': 'message' }`, first message per path. */
export function zodFields(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '_';
    fields[path] ??= issue.message;
  }
  return fields;
}

/** body-parser signals its failures with a `type` string and a status. */
function fromBodyParser(error: unknown): AppError | null {
  if (typeof error !== 'object' || error === null || !('type' in error)) return null;
  if (error.type === 'entity.too.large') return new PayloadTooLargeError();
  if (error.type === 'entity.parse.failed') {
    return new ValidationError({ _: 'Malformed JSON' }, 'Request body is not valid JSON');
  }
  if ('status' in error && typeof error.status === 'number' && error.status < 500) {
    return new ValidationError({ _: 'Unreadable request body' }, 'Request body could not be read');
  }
  return null;
}

/** A unique index refused a write that a pre-check let through (two requests raced). */
function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}

function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
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
    const body: ErrorBody = {
      error: {
        code: appError.code,
        message: appError.message,
        ...(appError.fields ? { fields: appError.fields } : {}),
        ...(appError.retryAfterSeconds !== undefined
          ? { retryAfterSeconds: appError.retryAfterSeconds }
          : {}),
      },
    };
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
