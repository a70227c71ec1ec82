// The event form's values ↔ the API's event and its create/update bodies, and the checks that
// save a round trip (the server validates everything again).
import {
  calendarLimits,
  type CalendarEvent,
  type CreateEvent,
  type EventInstance,
  type UpdateEvent,
} from '@crewdeck/shared/calendar';
import { m } from '../paraglide/messages.js';
import { tooLong } from '../ui/limits.ts';
import { buildRrule, noRepeat, parseRrule, type RepeatForm } from './rrule.ts';
import { addDays, browserZone, instantOf, nextHour, wallTime } from './time.ts';

export type EventDraft = {
  title: string;
  allDay: boolean;
  startDate: string;
  startTime: string;
  /** For all-day events the last day (inclusive); the API's end is the day after. */
  endDate: string;
  endTime: string;
  timeZone: string;
  attendees: string[];
  location: string;
  description: string;
  repeat: RepeatForm;
  /** Minutes before the start. */
  reminders: number[];
  visibility: 'default' | 'private';
  calendarId: string;
};

/** Reminder lead times the form offers, in minutes. */
export const reminderChoices = [0, 5, 10, 15, 30, 60, 120, 1440, 2880, 10080] as const;

/** A new event over `start`–`end` (what the person selected, or the next full hour). */
export function newDraft(start: Date, end: Date, allDay: boolean, calendarId: string): EventDraft {
  const zone = browserZone();
  const from = wallTime(start.toISOString(), zone);
  const to = wallTime(end.toISOString(), zone);
  return {
    title: '',
    allDay,
    startDate: from.date,
    startTime: from.time,
    // The grid's all-day selections end at the next midnight: the last day is the one before.
    endDate: allDay ? addDays(to.date, -1) : to.date,
    endTime: to.time,
    timeZone: zone,
    attendees: [],
    location: '',
    description: '',
    repeat: noRepeat(),
    reminders: [10],
    visibility: 'default',
    calendarId,
  };
}

/** An empty form for the next hour (before the dialog is opened on something). */
export function blankDraft(): EventDraft {
  const start = nextHour();
  return newDraft(start, new Date(start.getTime() + 3_600_000), false, '');
}

/** The form for an existing event (or one occurrence: its own start and end). */
export function draftFromEvent(event: CalendarEvent | EventInstance): EventDraft {
  const zone = event.timeZone || browserZone();
  const from = wallTime(event.start, zone);
  const to = wallTime(event.end, zone);
  return {
    title: event.title,
    allDay: event.allDay,
    startDate: event.allDay && event.startDay ? event.startDay : from.date,
    startTime: event.allDay ? '09:00' : from.time,
    endDate: event.allDay && event.endDay ? addDays(event.endDay, -1) : to.date,
    endTime: event.allDay ? '10:00' : to.time,
    timeZone: zone,
    attendees: event.attendees.map((attendee) => attendee.userId),
    location: event.location,
    description: event.description,
    repeat: parseRrule(event.rrule, zone),
    reminders: [...event.reminders],
    visibility: event.visibility,
    calendarId: event.calendarId,
  };
}

function startOf(draft: EventDraft): string {
  return draft.allDay ? draft.startDate : instantOf(draft.startDate, draft.startTime, draft.timeZone);
}

function endOf(draft: EventDraft): string {
  return draft.allDay ? addDays(draft.endDate, 1) : instantOf(draft.endDate, draft.endTime, draft.timeZone);
}

/** The create body; `force` books despite conflicts. */
export function draftToCreate(draft: EventDraft, force = false): CreateEvent {
  return {
    title: draft.title.trim(),
    start: startOf(draft),
    end: endOf(draft),
    allDay: draft.allDay,
    timeZone: draft.timeZone,
    attendees: draft.attendees,
    calendarId: draft.calendarId || undefined,
    rrule: buildRrule(draft.repeat, draft.timeZone),
    location: draft.location.trim(),
    description: draft.description,
    reminders: draft.reminders,
    visibility: draft.visibility,
    ...(force ? { force: true } : {}),
  };
}

/**
 * The update body. For one occurrence of a series the repeat rule and the calendar stay the
 * series' own: only this occurrence's fields change.
 */
export function draftToUpdate(
  draft: EventDraft,
  version: number,
  instance: string | undefined,
  force = false,
): UpdateEvent {
  const { rrule, calendarId, ...fields } = draftToCreate(draft, force);
  return instance ? { ...fields, version, instance } : { ...fields, rrule, calendarId, version };
}

/** Client checks, keyed like the server's field errors ('' for a check that passed). */
export function validateDraft(draft: EventDraft): Record<string, string> {
  const start = startOf(draft);
  const end = endOf(draft);
  const ordered = draft.allDay ? draft.endDate >= draft.startDate : Date.parse(end) > Date.parse(start);
  return {
    title: draft.title.trim() ? tooLong(draft.title, calendarLimits.titleMax) : m.cal_err_title(),
    start: start ? '' : m.cal_err_time(),
    end: !end ? m.cal_err_time() : ordered ? '' : m.cal_err_end(),
    location: tooLong(draft.location, calendarLimits.locationMax),
    description: tooLong(draft.description, calendarLimits.descriptionMax),
    rrule: repeatError(draft),
  };
}

function repeatError(draft: EventDraft): string {
  const { freq, end, until, count } = draft.repeat;
  if (freq === 'none' || freq === 'custom') return '';
  if (end === 'until' && (!until || until < draft.startDate)) return m.cal_err_until();
  if (end === 'count' && !(count >= 1 && count <= 1000)) return m.cal_err_count();
  return '';
}
