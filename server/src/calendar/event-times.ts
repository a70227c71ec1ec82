import { DateTime } from 'luxon';
import { calendarLimits } from '@crewdeck/shared/calendar';
import { ValidationError } from '../http/errors.ts';
import { isValidRule } from './recurrence.ts';

/** An event's times as stored. */
export interface EventTimes {
  start: Date;
  end: Date;
  allDay: boolean;
  startDay: string | null;
  endDay: string | null;
  timeZone: string;
  rrule: string | null;
}

const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);
const DAY = 86_400_000;

/**
 * Turns what a client sent into stored times: all-day events keep their days as dates (stored
 * also as midnight UTC for range queries) so no zone ever shifts the day; timed events are
 * instants with the zone their recurrence follows. Rules that expand too fast are refused.
 */
export function normalizeTimes(
  input: { start: string; end: string; allDay?: boolean; timeZone?: string; rrule?: string | null },
  defaultZone: string,
): EventTimes {
  const timeZone = input.timeZone ?? defaultZone;
  const allDay = input.allDay ?? (isDay(input.start) && isDay(input.end));
  let start: Date;
  let end: Date;
  let startDay: string | null = null;
  let endDay: string | null = null;
  if (allDay) {
    // A client that sends instants for an all-day event means the days in the event's zone.
    startDay = isDay(input.start) ? input.start : DateTime.fromISO(input.start, { zone: timeZone }).toISODate();
    endDay = isDay(input.end) ? input.end : DateTime.fromISO(input.end, { zone: timeZone }).toISODate();
    if (!startDay || !endDay) throw new ValidationError({ start: 'Not a date' });
    if (endDay <= startDay) endDay = new Date(Date.parse(`${startDay}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
    start = new Date(`${startDay}T00:00:00.000Z`);
    end = new Date(`${endDay}T00:00:00.000Z`);
  } else {
    if (isDay(input.start) || isDay(input.end))
      throw new ValidationError({ [isDay(input.start) ? 'start' : 'end']: 'A timed event needs a date and time' });
    start = new Date(input.start);
    end = new Date(input.end);
    if (!(end > start)) throw new ValidationError({ end: 'The end must come after the start' });
  }
  if (end.getTime() - start.getTime() > calendarLimits.eventDaysMax * DAY)
    throw new ValidationError({ end: `An event lasts at most ${calendarLimits.eventDaysMax} days` });
  const rrule = input.rrule ?? null;
  if (rrule !== null) {
    if (/FREQ=(SECONDLY|MINUTELY|HOURLY)/.test(rrule)) throw new ValidationError({ rrule: 'Repeat at most daily' });
    if (!isValidRule({ rrule, start, allDay, timeZone }))
      throw new ValidationError({ rrule: 'This repeat rule has no occurrence or cannot be read' });
  }
  return { start, end, allDay, startDay, endDay, timeZone, rrule };
}

/** Same slot and repetition (a change of anything else does not need a new booking check). */
export function sameTimes(a: EventTimes, b: EventTimes): boolean {
  return (
    a.start.getTime() === b.start.getTime() &&
    a.end.getTime() === b.end.getTime() &&
    a.allDay === b.allDay &&
    a.rrule === b.rrule &&
    a.timeZone === b.timeZone
  );
}
