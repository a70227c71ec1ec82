// Geometry of the milestone timeline: one row per milestone, a bar from its start to its due
// day (a marker when only one of them is set), the bars of its tasks under it (its lane), the
// tasks of no milestone in a last lane, week ticks and a line for today. Positions are
// percentages of the visible range, so the chart scales with its container.
import type { Milestone } from '@crewdeck/shared/projects';
import type { Task } from '@crewdeck/shared/tasks';
import { getLocale } from '../paraglide/runtime.js';

const DAY_MS = 86_400_000;

export type TimelineRow = {
  milestone: Milestone;
  /** Left edge and width in %, or null when the milestone has no date. */
  left: number | null;
  width: number;
  /** Only one date: drawn as a marker at `left`. */
  point: boolean;
  /** Bars of this milestone's dated tasks, drawn in its lane. */
  tasks: TaskBar[];
};

/** A task with both dates: a bar from its start to its due day. */
export type TaskBar = { task: Task; left: number; width: number };

export type Timeline = {
  rows: TimelineRow[];
  /** Every dated task's bar. */
  tasks: TaskBar[];
  /** Bars of dated tasks in no milestone (or one not shown): the last lane. */
  unplanned: TaskBar[];
  ticks: { left: number; label: string; end: boolean }[];
  today: number | null;
  /** Number of days the chart spans (a bar moves by `100 / span` % per day). */
  span: number;
};

/** `day` moved by `delta` days, as `YYYY-MM-DD`. */
export function shiftDay(day: string, delta: number): string {
  return new Date((dayNumber(day) + delta) * DAY_MS).toISOString().slice(0, 10);
}

export function dayNumber(day: string): number {
  const [year, month, date] = day.split('-').map(Number);
  return Math.round(Date.UTC(year, month - 1, date) / DAY_MS);
}

function todayNumber(now: Date): number {
  return Math.round(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / DAY_MS);
}

export function buildTimeline(milestones: Milestone[], now = new Date(), tasks: Task[] = []): Timeline {
  const today = todayNumber(now);
  const dated = tasks.filter((task) => task.startDate !== null && task.dueDate !== null);
  const days = [...milestones, ...dated]
    .flatMap((m) => [m.startDate, m.dueDate])
    .filter((d): d is string => d !== null)
    .map(dayNumber);
  const first = Math.min(today, ...days) - 3;
  const last = Math.max(today, ...days) + 4;
  const span = last - first;
  const at = (day: number) => ((day - first) / span) * 100;

  const bars = dated.map((task): TaskBar => {
    const start = dayNumber(task.startDate ?? '');
    const due = dayNumber(task.dueDate ?? '');
    return {
      task,
      left: at(Math.min(start, due)),
      width: Math.max(at(Math.max(start, due) + 1) - at(Math.min(start, due)), 0.8),
    };
  });

  const shown = new Set(milestones.map((milestone) => milestone.id));
  const rows = milestones.map((milestone): TimelineRow => {
    const tasks = bars.filter((bar) => bar.task.milestoneId === milestone.id);
    const start = milestone.startDate ? dayNumber(milestone.startDate) : null;
    const due = milestone.dueDate ? dayNumber(milestone.dueDate) : null;
    if (start === null && due === null) return { milestone, left: null, width: 0, point: false, tasks };
    if (start === null || due === null)
      return { milestone, left: at((start ?? due) as number), width: 0, point: true, tasks };
    return {
      milestone,
      left: at(Math.min(start, due)),
      width: Math.max(at(Math.max(start, due) + 1) - at(Math.min(start, due)), 0.8),
      point: false,
      tasks,
    };
  });
  const unplanned = bars.filter((bar) => !bar.task.milestoneId || !shown.has(bar.task.milestoneId));

  return { rows, tasks: bars, unplanned, ticks: weekTicks(first, last, at), today: at(today), span };
}

/** A tick every Monday (every second or fourth one on long ranges), labelled with the day. */
function weekTicks(first: number, last: number, at: (day: number) => number): Timeline['ticks'] {
  const span = last - first;
  const step = span > 200 ? 28 : span > 90 ? 14 : 7;
  // Day 0 (1970-01-01) was a Thursday: Mondays are days ≡ 4 (mod 7).
  let day = first + ((4 - (first % 7) + 7) % 7);
  const ticks: Timeline['ticks'] = [];
  for (; day <= last; day += step) {
    const label = new Date(day * DAY_MS).toLocaleDateString(getLocale(), {
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    });
    // A label near the end is anchored by its end so it is not clipped.
    ticks.push({ left: at(day), label, end: at(day) > 90 });
  }
  return ticks;
}
