import ical, {
  ICalAlarmType,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventClass,
  ICalEventTransparency,
  escape,
  type ICalCalendar,
  type ICalEventData,
} from 'ical-generator';
import { DateTime } from 'luxon';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';
import type { CalendarTaskItem, ResponseStatus } from '@crewdeck/shared/calendar';
import type { EventDoc } from './calendar.model.ts';

/** A person as a feed shows them; without an address nobody is listed (ical-generator needs one). */
export interface IcsContact {
  name: string;
  email: string;
}

export interface IcsInput {
  /** Calendar name (X-WR-CALNAME). */
  name: string;
  /** Events the subscriber may see; `busyOnly` ones are written as "Busy" with no details. */
  events: Array<{ event: EventDoc; busyOnly: boolean }>;
  tasks: CalendarTaskItem[];
  /** Absolute base URL of the web app, for task links (e.g. https://crewdeck.example). */
  publicUrl: string;
  /** REFRESH-INTERVAL / X-PUBLISHED-TTL in seconds (default 900). */
  ttlSeconds?: number;
  /** Product domain for UIDs, e.g. `crewdeck.example`. */
  domain: string;
  /** Organizer and attendees are listed only for people this returns an address for. */
  contactOf?: (userId: string) => IcsContact | null;
  /**
   * DTSTAMP of items without a modification time of their own (tasks). Defaults to the latest
   * event change, so the same data gives the same bytes and the feed's ETag stays stable.
   */
  stamp?: Date;
}

type Entry = IcsInput['events'][number];
type Fields = Partial<ICalEventData>;

const partStat: Record<ResponseStatus, ICalAttendeeStatus> = {
  needsAction: ICalAttendeeStatus.NEEDSACTION,
  accepted: ICalAttendeeStatus.ACCEPTED,
  declined: ICalAttendeeStatus.DECLINED,
  tentative: ICalAttendeeStatus.TENTATIVE,
};

let knownZones: Set<string> | null = null;

/**
 * The zone to write TZIDs in, or null for UTC: only zones we can ship a VTIMEZONE for, since
 * Outlook shifts events whose TZID has none. 'UTC' itself needs no VTIMEZONE.
 */
function feedZone(timeZone: string): string | null {
  if (!knownZones) {
    const list = tzlib_get_timezones();
    knownZones = new Set(Array.isArray(list) ? list : (JSON.parse(list) as string[]));
  }
  return timeZone !== 'UTC' && knownZones.has(timeZone) ? timeZone : null;
}

/** The library's VTIMEZONE, named exactly as our TZIDs (it answers aliases under their canonical name). */
function vtimezone(timeZone: string): string | null {
  const block = tzlib_get_ical_block(timeZone);
  const text = Array.isArray(block) ? block[0] : '';
  return text ? text.replace(/^TZID:.*$/m, `TZID:${timeZone}`) : null;
}

const wall = (instant: Date, zone: string | null) => DateTime.fromJSDate(instant, { zone: zone ?? 'utc' });
const utcDay = (day: string) => DateTime.fromISO(day, { zone: 'utc' });
const basic = (d: DateTime, withTime: boolean) => d.toFormat(withTime ? "yyyyLLdd'T'HHmmss" : 'yyyyLLdd');
const dayIn = (instant: Date, zone: string) => DateTime.fromJSDate(instant, { zone }).toISODate() ?? '';

/**
 * An all-day occurrence's day from its original start instant: the master's first day plus the
 * whole days between the two starts in the series' zone, whatever instant a day is stored as.
 */
function occurrenceDay(master: EventDoc, instant: Date): DateTime {
  const first = utcDay(master.startDay ?? dayIn(master.start, master.timeZone));
  const from = DateTime.fromJSDate(master.start, { zone: master.timeZone }).startOf('day');
  const to = DateTime.fromJSDate(instant, { zone: master.timeZone }).startOf('day');
  return first.plus({ days: Math.round(to.diff(from, 'days').days) });
}

/** RRULE exactly as stored, plus an EXDATE line valued like the occurrences' own starts. */
function repeating(event: EventDoc, zone: string | null): string {
  const lines = [`RRULE:${event.rrule}`];
  if (event.exdates.length === 0) return lines.join('\r\n');
  if (event.allDay) {
    lines.push(`EXDATE;VALUE=DATE:${event.exdates.map((d) => basic(occurrenceDay(event, d), false)).join(',')}`);
  } else if (zone) {
    lines.push(`EXDATE;TZID=${zone}:${event.exdates.map((d) => basic(wall(d, zone), true)).join(',')}`);
  } else {
    lines.push(`EXDATE:${event.exdates.map((d) => `${basic(wall(d, null), true)}Z`).join(',')}`);
  }
  return lines.join('\r\n');
}

function whenOf(event: EventDoc, master: EventDoc | undefined): ICalEventData & { start: DateTime } {
  if (event.allDay) {
    const start = utcDay(event.startDay ?? dayIn(event.start, event.timeZone));
    const end = event.endDay ? utcDay(event.endDay) : start.plus({ days: 1 });
    // ical-generator writes RECURRENCE-ID as a date-time only; a floating midnight marks the
    // all-day ones so `allDayRecurrenceIds` can turn them into DATE values.
    const recurrenceId = master && event.originalStart ? occurrenceDay(master, event.originalStart) : undefined;
    return { allDay: true, start, end, recurrenceId, floating: recurrenceId !== undefined };
  }
  // Overrides are written in the master's zone, where RECURRENCE-ID has to be.
  const zone = feedZone((master ?? event).timeZone);
  return {
    timezone: zone,
    start: wall(event.start, zone),
    end: wall(event.end, zone),
    recurrenceId: event.originalStart ? wall(event.originalStart, zone) : undefined,
  };
}

function details(event: EventDoc, contactOf: IcsInput['contactOf']): Fields {
  const organizer = contactOf?.(event.organizerId.toString());
  const attendees = event.attendees.flatMap((a) => {
    const contact = contactOf?.(a.userId.toString());
    return contact ? [{ email: contact.email, name: contact.name || null, status: partStat[a.response] }] : [];
  });
  return {
    summary: event.title,
    location: event.location || null,
    description: event.description || null,
    organizer: organizer ? { name: organizer.name || organizer.email, email: organizer.email } : null,
    attendees,
    alarms: event.reminders.map((minutes) => ({ type: ICalAlarmType.display, trigger: minutes * 60 })),
    class: event.visibility === 'private' ? ICalEventClass.PRIVATE : null,
  };
}

interface Context {
  masters: Map<string, EventDoc>;
  domain: string;
  contactOf: IcsInput['contactOf'];
}

function addEvent(cal: ICalCalendar, { event, busyOnly }: Entry, { masters, domain, contactOf }: Context) {
  const master = event.recurringEventId ? masters.get(event.recurringEventId.toString()) : undefined;
  const when = whenOf(event, master);
  const hidden: Fields = { summary: 'Busy', class: ICalEventClass.PRIVATE };
  cal.createEvent({
    id: `${(event.recurringEventId ?? event._id).toString()}@${domain}`,
    sequence: event.version,
    stamp: event.updatedAt,
    lastModified: event.updatedAt,
    created: event.createdAt,
    ...when,
    repeating: event.rrule && !event.recurringEventId ? repeating(event, when.timezone ?? null) : null,
    transparency: event.busy ? null : ICalEventTransparency.TRANSPARENT,
    ...(busyOnly ? hidden : details(event, contactOf)),
  });
}

function addTask(cal: ICalCalendar, task: CalendarTaskItem, input: IcsInput, stamp: Date) {
  const start = utcDay(task.day);
  const base = input.publicUrl.replace(/\/+$/, '');
  const project = `${base}/projects/${encodeURIComponent(task.projectId)}`;
  cal.createEvent({
    id: `${task.kind}-${task.id}@${input.domain}`,
    stamp,
    allDay: true,
    start,
    end: start.plus({ days: 1 }),
    summary: task.code && task.code !== task.title ? `${task.code} · ${task.title}` : task.title,
    url: task.kind === 'task' ? `${project}/tasks/${encodeURIComponent(task.id)}` : project,
    // A due date does not block anyone's time.
    transparency: ICalEventTransparency.TRANSPARENT,
  });
}

/** RFC 5545 wants an all-day override's RECURRENCE-ID as a DATE, like its series' DTSTART. */
const allDayRecurrenceIds = (text: string) =>
  text.replace(/^RECURRENCE-ID:(\d{8})T000000\r$/gm, 'RECURRENCE-ID;VALUE=DATE:$1\r');

/** The iCal text of a feed: events (series with their exceptions) and task due dates. */
export function buildIcs(input: IcsInput): string {
  const cal = ical({
    // ical-generator writes NAME / X-WR-CALNAME raw: a newline in a calendar name would inject lines.
    name: escape(input.name, false),
    prodId: '//Crewdeck//Calendar//EN',
    method: ICalCalendarMethod.PUBLISH,
    ttl: input.ttlSeconds ?? 900,
    // No calendar-wide zone (DTSTAMP stays UTC); the generator runs once per TZID in use.
    timezone: { name: null, generator: vtimezone },
  });
  const masters = new Map(input.events.filter((e) => e.event.rrule).map((e) => [e.event._id.toString(), e.event]));
  const context: Context = { masters, domain: input.domain, contactOf: input.contactOf };
  for (const entry of input.events) addEvent(cal, entry, context);
  const latest = input.events.reduce((max, e) => Math.max(max, e.event.updatedAt.getTime()), 0);
  const stamp = input.stamp ?? (latest > 0 ? new Date(latest) : new Date());
  for (const task of input.tasks) addTask(cal, task, input, stamp);
  return allDayRecurrenceIds(cal.toString());
}
