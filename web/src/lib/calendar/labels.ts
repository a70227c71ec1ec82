// Calendar words in the active language: absence kinds and states, answers, reminders.
import type { AbsenceKind, ResponseStatus } from '@crewdeck/shared/calendar';
import type { Weekday } from '@crewdeck/shared/schedules';
import { m } from '../paraglide/messages.js';

export const ABSENCE_KIND_LABELS: Record<AbsenceKind, () => string> = {
  vacation: () => m.cal_absence_vacation(),
  sick: () => m.cal_absence_sick(),
  remote: () => m.cal_absence_remote(),
  dayOff: () => m.cal_absence_day_off(),
};

export const ABSENCE_STATUS_LABELS: Record<'pending' | 'approved' | 'rejected' | 'cancelled', () => string> = {
  pending: () => m.cal_status_pending(),
  approved: () => m.cal_status_approved(),
  rejected: () => m.cal_status_rejected(),
  cancelled: () => m.cal_status_cancelled(),
};

export const RESPONSE_LABELS: Record<ResponseStatus, () => string> = {
  needsAction: () => m.cal_response_none(),
  accepted: () => m.cal_response_accepted(),
  declined: () => m.cal_response_declined(),
  tentative: () => m.cal_response_tentative(),
};

export const WEEKDAY_LABELS: Record<Weekday, () => string> = {
  mon: () => m.cal_day_mon(),
  tue: () => m.cal_day_tue(),
  wed: () => m.cal_day_wed(),
  thu: () => m.cal_day_thu(),
  fri: () => m.cal_day_fri(),
  sat: () => m.cal_day_sat(),
  sun: () => m.cal_day_sun(),
};

/** "At the start", "10 minutes before", "1 day before". */
export function reminderLabel(minutes: number): string {
  if (minutes === 0) return m.cal_reminder_at_start();
  if (minutes % 1440 === 0) return m.cal_reminder_days({ count: minutes / 1440 });
  if (minutes % 60 === 0) return m.cal_reminder_hours({ count: minutes / 60 });
  return m.cal_reminder_minutes({ count: minutes });
}

/** "30 minutes", "2 hours". */
export function durationLabel(minutes: number): string {
  return minutes % 60 === 0
    ? m.cal_duration_hours({ count: minutes / 60 })
    : m.cal_duration_minutes({ count: minutes });
}
