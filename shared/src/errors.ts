import { z } from 'zod';
import { bookingConflictSchema } from './calendar.ts';
import { duplicateCandidateSchema } from './clients.ts';

/** Stable machine-readable error codes; the HTTP status follows from the code. */
export const errorCodes = [
  'validation_failed',
  'unauthenticated',
  'invalid_credentials',
  'password_change_required',
  'forbidden',
  'csrf_rejected',
  'not_found',
  'conflict',
  'payload_too_large',
  'headers_too_large',
  'rate_limited',
  'internal',
] as const;

export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** HTTP status for each error code. */
export const errorStatus: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  password_change_required: 403,
  forbidden: 403,
  csrf_rejected: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  headers_too_large: 431,
  rate_limited: 429,
  internal: 500,
};

/** The one error body every failing API call answers with. */
export const errorBodySchema = z.object({
  error: z.object({
    /** Stable code to branch on. */
    code: errorCodeSchema,
    /** Human-readable explanation, safe to show. */
    message: z.string(),
    /** For validation errors: dotted field path (e.g. `groups.0`) → message. */
    fields: z.record(z.string(), z.string()).optional(),
    /** For rate limiting: seconds until another attempt is accepted. */
    retryAfterSeconds: z.number().int().nonnegative().optional(),
    /** For edit conflicts: the resource as it is now (e.g. `{ task }`), to show next to the user's draft. */
    current: z.record(z.string(), z.unknown()).optional(),
    /** For booking conflicts: who is busy, absent or off work in the asked slot, and when. */
    conflicts: z.array(bookingConflictSchema).optional(),
    /** For likely duplicate clients: the candidates (send again with `force: true` to create anyway). */
    duplicates: z.array(duplicateCandidateSchema).optional(),
  }),
});

export type ErrorBody = z.infer<typeof errorBodySchema>;
