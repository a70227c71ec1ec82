import { limits } from '@crewdeck/shared/limits';
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

/**
 * A person's working hours on a day (`YYYY-MM-DD`, their local day): their schedule's hours, 0
 * on days off, public holidays and approved absences.
 */
export type DayCapacity = (day: string) => number;

const DAY = 86_400_000;
const key = (d: Date) => d.toISOString().slice(0, 10);

/** Monday to Friday, the flat daily capacity: people without a schedule, and callers without one at hand. */
export const flatCapacity: DayCapacity = (day) => {
  const weekday = new Date(`${day}T00:00:00.000Z`).getUTCDay();
  return weekday === 0 || weekday === 6 ? 0 : limits.dailyCapacityHours;
};

/** The days `work` is planned over for anyone: its start (or creation) to its due day. */
export function spanOf(work: PlannedWork): { from: string; to: string } | null {
  if (work.done || !work.dueDate || !work.estimate) return null;
  const due = startOfDay(work.dueDate);
  const start = startOfDay(work.startDate ?? work.createdAt);
  return { from: key(start.getTime() > due.getTime() ? due : start), to: key(due) };
}

/**
 * Hours `work` plans for `userId` per day: the estimate split between the assignees and spread
 * over the person's working days from its start (or creation) to its due day, in proportion to
 * each day's hours (a 4 h day takes half of what an 8 h day takes). With no working day in the
 * span, the work still lands on its days, where it exceeds the 0 h the person has.
 */
export function planOf(work: PlannedWork, userId: string, capacity: DayCapacity = flatCapacity): Map<string, number> {
  const plan = new Map<string, number>();
  const span = spanOf(work);
  if (!span || !work.estimate || !work.assignees.includes(userId)) return plan;
  const days: string[] = [];
  for (let t = Date.parse(span.from); t <= Date.parse(span.to); t += DAY) days.push(key(new Date(t)));
  const hours = days.map((day) => Math.max(0, capacity(day)));
  const total = hours.reduce((a, b) => a + b, 0);
  const share = work.estimate / work.assignees.length;
  days.forEach((day, i) => {
    const part = total > 0 ? (share * hours[i]) / total : share / days.length;
    if (part > 0) plan.set(day, part);
  });
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

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Days on which the change from `before` to `after` pushes `userId` over that day's capacity:
 * over afterwards and more than before. Days that were already over and did not grow are not news.
 */
export function overloadsFor(
  userId: string,
  others: PlannedWork[],
  before: PlannedWork | null,
  after: PlannedWork,
  capacity: DayCapacity = flatCapacity,
): Overload[] {
  const base = addPlans(others.filter((w) => w.id !== after.id).map((w) => planOf(w, userId, capacity)));
  const was = before ? planOf(before, userId, capacity) : new Map<string, number>();
  const now = planOf(after, userId, capacity);
  const result: Overload[] = [];
  for (const [date, hours] of now) {
    const planned = (base.get(date) ?? 0) + hours;
    const previous = (base.get(date) ?? 0) + (was.get(date) ?? 0);
    const available = capacity(date);
    if (planned > available + 1e-9 && planned > previous + 1e-9)
      result.push({ userId, date, planned: round2(planned), capacity: round2(available) });
  }
  return result.sort((a, b) => a.date.localeCompare(b.date));
}
