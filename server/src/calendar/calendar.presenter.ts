import type { CalendarEvent, EventInstance } from '@crewdeck/shared/calendar';
import type { EventDoc } from './calendar.model.ts';
import type { Occurrence } from './recurrence.ts';

/** `yyyymmddThhmmssZ`, the instance suffix Google uses too. */
const compact = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** Whitelist of an event's public fields; `busyOnly` blanks everything but the time. */
export function presentEvent(doc: EventDoc, names: Map<string, string>, busyOnly: boolean): CalendarEvent {
  return {
    id: String(doc._id),
    calendarId: String(doc.calendarId),
    title: busyOnly ? '' : doc.title,
    start: doc.start.toISOString(),
    end: doc.end.toISOString(),
    allDay: doc.allDay,
    startDay: doc.startDay,
    endDay: doc.endDay,
    timeZone: doc.timeZone,
    location: busyOnly ? '' : doc.location,
    description: busyOnly ? '' : doc.description,
    organizerId: String(doc.organizerId),
    attendees: busyOnly
      ? []
      : doc.attendees.map((a) => ({
          userId: String(a.userId),
          name: names.get(String(a.userId)) ?? '',
          response: a.response,
        })),
    rrule: doc.rrule,
    exdates: doc.exdates.map((d) => d.toISOString()),
    recurringEventId: doc.recurringEventId ? String(doc.recurringEventId) : null,
    originalStart: doc.originalStart ? doc.originalStart.toISOString() : null,
    reminders: busyOnly ? [] : doc.reminders,
    visibility: doc.visibility,
    busyOnly,
    source: doc.source,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

/** One occurrence: the event's fields with this occurrence's times (and its day span for all-day ones). */
export function presentInstance(o: Occurrence, names: Map<string, string>, busyOnly: boolean): EventInstance {
  const base = presentEvent(o.doc, names, busyOnly);
  const seriesId = o.doc.recurringEventId ? String(o.doc.recurringEventId) : String(o.doc._id);
  const recurring = o.originalStart !== null;
  const days = o.doc.allDay ? Math.round((o.end.getTime() - o.start.getTime()) / 86_400_000) : 0;
  return {
    ...base,
    start: o.start.toISOString(),
    end: o.end.toISOString(),
    startDay: o.doc.allDay ? o.start.toISOString().slice(0, 10) : null,
    endDay: o.doc.allDay ? new Date(o.start.getTime() + days * 86_400_000).toISOString().slice(0, 10) : null,
    originalStart: o.originalStart ? o.originalStart.toISOString() : null,
    instanceId: recurring && o.originalStart ? `${seriesId}_${compact(o.originalStart)}` : String(o.doc._id),
    recurring,
  };
}
