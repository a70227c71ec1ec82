// Working schedules (issue 12, first part): a person's time zone and working hours per weekday,
// several intervals a day, and the days those hours really cover. Every day's window is built
// from local wall time in the person's zone and only then turned into instants, so a daylight
// saving change never shifts the hours (the Cal.com and Odoo bugs in ../shared/notes). Shared:
// the server checks bookings and workload with it, the web draws the same windows.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { timeZoneSchema } from './users.ts';

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

/** `HH:MM` on a 24-hour clock; `24:00` ends a day. */
const clockSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Use a 24-hour time such as 09:30');

const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** One working interval in local wall time, e.g. 09:00–13:00. */
export const workIntervalSchema = z
  .strictObject({ start: clockSchema, end: clockSchema })
  .refine((interval) => minutes(interval.end) > minutes(interval.start), {
    message: 'The end must come after the start',
    path: ['end'],
  });
export type WorkInterval = z.infer<typeof workIntervalSchema>;

/** A weekday's intervals: at most six, in order and not overlapping. */
const dayHoursSchema = z
  .array(workIntervalSchema)
  .max(6)
  .refine((list) => list.every((interval, i) => i === 0 || minutes(interval.start) >= minutes(list[i - 1].end)), {
    message: 'Intervals must be in order and must not overlap',
  });

/** `GET|PUT /api/users/:id/schedule` body: the zone and the hours of each weekday. */
export const workScheduleSchema = z.strictObject({
  timeZone: timeZoneSchema,
  hours: z.strictObject(
    // A weekday left out has no working hours (a client may send only the days someone works).
    Object.fromEntries(weekdays.map((day) => [day, dayHoursSchema.default([])])) as Record<
      Weekday,
      z.ZodDefault<typeof dayHoursSchema>
    >,
  ),
});
export type WorkSchedule = z.infer<typeof workScheduleSchema>;

/** Monday to Friday, 09:00–13:00 and 14:00–18:00, for people who have not set their own. */
export function defaultSchedule(timeZone: string): WorkSchedule {
  const day = [
    { start: '09:00', end: '13:00' },
    { start: '14:00', end: '18:00' },
  ];
  return { timeZone, hours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] } };
}

/** One working window as instants (ISO, UTC) and the local day it belongs to. */
export type WorkWindow = { day: string; start: string; end: string };

/**
 * The working windows of every local day from `fromDay` to `toDay` (inclusive, `YYYY-MM-DD` in
 * the schedule's zone), minus the days in `daysOff`. A wall time that does not exist on a
 * spring-forward day (02:30 in New York) becomes the first instant after the gap; one that
 * exists twice on a fall-back day is taken at its first occurrence, so a window across the
 * repeated hour lasts an hour longer in real time, as the person really works it.
 */
export function workingWindows(
  schedule: WorkSchedule,
  fromDay: string,
  toDay: string,
  daysOff: ReadonlySet<string> = new Set(),
): WorkWindow[] {
  const zone = schedule.timeZone;
  const windows: WorkWindow[] = [];
  const last = DateTime.fromISO(toDay, { zone });
  for (let date = DateTime.fromISO(fromDay, { zone }); date <= last; date = date.plus({ days: 1 })) {
    const day = date.toISODate();
    if (!day || daysOff.has(day)) continue;
    const weekday = weekdays[date.weekday - 1];
    for (const interval of schedule.hours[weekday]) {
      const start = atWallTime(date, interval.start);
      const end = atWallTime(date, interval.end);
      if (end > start) windows.push({ day, start: utcIso(start), end: utcIso(end) });
    }
  }
  return windows;
}

/**
 * `clock` on the local `date`; `24:00` is the next day's midnight. Inside a spring-forward gap
 * (the wall clock skips from 02:00 to 03:00, or to 02:30 on Lord Howe Island) the work starts when
 * the clock resumes: the first instant after the gap.
 */
function atWallTime(date: DateTime, clock: string): DateTime {
  const total = minutes(clock);
  if (total === 24 * 60) return date.startOf('day').plus({ days: 1 });
  let instant = date.startOf('day').set({ hour: Math.floor(total / 60), minute: total % 60 });
  const wall = (at: DateTime) => (at.hasSame(date, 'day') ? at.hour * 60 + at.minute : -1);
  // luxon moves a missing wall time forward by the gap's length; step back to the gap's end.
  while (wall(instant) !== total && wall(instant.minus({ minutes: 1 })) > total)
    instant = instant.minus({ minutes: 1 });
  return instant;
}

const utcIso = (instant: DateTime) => instant.toUTC().toISO({ suppressMilliseconds: true }) ?? '';

/** Total working hours in `windows`. */
export function windowHours(windows: readonly WorkWindow[]): number {
  return windows.reduce((sum, w) => sum + (Date.parse(w.end) - Date.parse(w.start)) / 3_600_000, 0);
}
