import type { StatusCategory } from '@crewdeck/shared/projects';

/** Start of the UTC day of `now`. Due dates are days; a task is overdue once its day has passed. */
export function startOfDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export function isOverdue(dueDate: Date | null, category: StatusCategory, now: Date): boolean {
  return dueDate !== null && category !== 'done' && dueDate.getTime() < startOfDay(now).getTime();
}

/** `2026-01-31` for a stored day, or null. */
export function dayString(date: Date | null): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

/** A `2026-01-31` day as stored: UTC midnight. */
export function parseDay(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

/** `parseDay` that keeps null. */
export function parseOptionalDay(day: string | null): Date | null {
  return day === null ? null : parseDay(day);
}
