import { startOfDay } from './task-dates.ts';

/** The parts of a task that decide how many hours it plans for whom on which day. */
export interface PlannedWork {
  id: string;
  assignees: readonly string[];
  estimate: number | null;
  startDate: Date | null;
  dueDate: Date | null;
  createdAt: Date;
  done: boolean;
}

const DAY = 86_400_000;
const key = (d: Date) => d.toISOString().slice(0, 10);

/** Working days (Mon–Fri) from `from` to `to` inclusive; all days when the span has no weekday. */
function spanDays(from: Date, to: Date): Date[] {
  const days: Date[] = [];
  for (let t = from.getTime(); t <= to.getTime(); t += DAY) days.push(new Date(t));
  const weekdays = days.filter((d) => d.getUTCDay() !== 0 && d.getUTCDay() !== 6);
  return weekdays.length > 0 ? weekdays : days;
}

/**
 * Hours `work` plans for `userId` per day: the estimate split between the assignees and
 * spread evenly over the working days from its start (or creation) to its due day.
 */
export function planOf(work: PlannedWork, userId: string): Map<string, number> {
  const plan = new Map<string, number>();
  if (work.done || !work.dueDate || !work.estimate || !work.assignees.includes(userId)) return plan;
  const due = startOfDay(work.dueDate);
  let start = startOfDay(work.startDate ?? work.createdAt);
  if (start.getTime() > due.getTime()) start = due;
  const days = spanDays(start, due);
  const perDay = work.estimate / work.assignees.length / days.length;
  for (const day of days) plan.set(key(day), perDay);
  return plan;
}

/** Sum of several plans. */
export function addPlans(plans: Iterable<Map<string, number>>): Map<string, number> {
  const total = new Map<string, number>();
  for (const plan of plans) for (const [day, hours] of plan) total.set(day, (total.get(day) ?? 0) + hours);
  return total;
}

export interface Overload {
  userId: string;
  date: string;
  planned: number;
  capacity: number;
}

/**
 * Days on which the change from `before` to `after` pushes `userId` over `capacity`: over
 * afterwards and more than before. Days that were already over and did not grow are not news.
 */
export function overloadsFor(
  userId: string,
  others: PlannedWork[],
  before: PlannedWork | null,
  after: PlannedWork,
  capacity: number,
): Overload[] {
  const base = addPlans(others.filter((w) => w.id !== after.id).map((w) => planOf(w, userId)));
  const was = before ? planOf(before, userId) : new Map<string, number>();
  const now = planOf(after, userId);
  const result: Overload[] = [];
  for (const [date, hours] of now) {
    const planned = (base.get(date) ?? 0) + hours;
    const previous = (base.get(date) ?? 0) + (was.get(date) ?? 0);
    if (planned > capacity + 1e-9 && planned > previous + 1e-9)
      result.push({ userId, date, planned: Math.round(planned * 100) / 100, capacity });
  }
  return result.sort((a, b) => a.date.localeCompare(b.date));
}
