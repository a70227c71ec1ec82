// Booking conflicts (409 `conflict` with `error.conflicts`) as the web shows them: who, when,
// why and, when the server let the caller see it, the other event's title.
import type { BookingConflict } from '@crewdeck/shared/calendar';
import { errorBodySchema } from '@crewdeck/shared/errors';
import { ApiError } from '../errors.ts';
import { m } from '../paraglide/messages.js';

/** The conflicts of a failed booking, or null when the failure is something else. */
export function conflictsOf(error: unknown): BookingConflict[] | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const body = errorBodySchema.safeParse(error.body);
  const conflicts = body.success ? body.data.error.conflicts : undefined;
  return conflicts && conflicts.length > 0 ? conflicts : null;
}

const REASONS: Record<BookingConflict['reason'], () => string> = {
  event: () => m.cal_reason_event(),
  absence: () => m.cal_reason_absence(),
  outsideHours: () => m.cal_reason_outside_hours(),
  google: () => m.cal_reason_google(),
};

export function conflictReason(conflict: BookingConflict): string {
  return REASONS[conflict.reason]();
}
