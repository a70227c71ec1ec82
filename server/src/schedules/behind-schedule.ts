import type { Availability } from './availability.ts';

/** The parts of a task the behind-schedule check reads. */
export interface ScheduledTask {
  estimate: number | null;
  loggedHours: number;
  /** The due day, stored as its UTC midnight; read as that day in each assignee's zone. */
  dueDate: Date | null;
  assignees: readonly string[];
  done: boolean;
}

const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/**
 * How many hours the task is behind: its remaining estimate (estimate − logged, never below 0)
 * against the working hours its assignees have left from `now` to the end of the due day in
 * their own zones (their schedules, holidays, days off and approved absences). Several assignees
 * pool their hours. The shortfall is rounded up to half an hour, so "3.2 h behind" reads 3.5 and
 * a notification per shortfall does not fire again for every minute that passes; 0 when it fits
 * or when the task is closed, unestimated, undated or unassigned.
 */
export async function behindSchedule(
  availability: Pick<Availability, 'remainingHours' | 'endOfDay'>,
  task: ScheduledTask,
  now: Date,
): Promise<number> {
  if (task.done || !task.estimate || !task.dueDate || task.assignees.length === 0) return 0;
  const remaining = Math.max(0, task.estimate - task.loggedHours);
  if (remaining === 0) return 0;
  const day = dayOf(task.dueDate);
  let available = 0;
  for (const userId of new Set(task.assignees)) {
    const until = await availability.endOfDay(userId, day);
    if (until > now) available += await availability.remainingHours(userId, now, until);
  }
  const shortfall = remaining - available;
  return shortfall > 1e-9 ? Math.ceil(shortfall * 2) / 2 : 0;
}
