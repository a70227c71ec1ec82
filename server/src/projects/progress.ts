import type { Progress, StatusCategory, StatusDef } from '@crewdeck/shared/projects';

/** The fields of a task that progress and overdue counts need. */
export interface TaskFacts {
  projectId: string;
  milestoneId: string | null;
  status: string;
  estimate: number | null;
  dueDate: Date | null;
  assignees: string[];
}

const emptyProgress = (): Progress => ({
  done: { tasks: 0, hours: 0 },
  inProgress: { tasks: 0, hours: 0 },
  remaining: { tasks: 0, hours: 0 },
});

const bucketOf: Record<StatusCategory, keyof Progress> = { done: 'done', active: 'inProgress', todo: 'remaining' };

/** Status key → category; unknown keys count as not started. */
export function categoryOf(statuses: readonly StatusDef[], key: string): StatusCategory {
  return statuses.find((s) => s.key === key)?.category ?? 'todo';
}

/** Done / in progress / remaining tasks and estimated hours. */
export function computeProgress(tasks: readonly TaskFacts[], statuses: readonly StatusDef[]): Progress {
  const progress = emptyProgress();
  for (const task of tasks) {
    const bucket = progress[bucketOf[categoryOf(statuses, task.status)]];
    bucket.tasks += 1;
    bucket.hours += task.estimate ?? 0;
  }
  return progress;
}

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
