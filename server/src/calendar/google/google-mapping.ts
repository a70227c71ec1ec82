// Google event resource ↔ the fields Crewdeck syncs. Both directions go through the same field
// set and the same hash, so an echo (our own write coming back, or Google's change sent back)
// hashes equal and is recognised as a no-op.
import { createHash } from 'node:crypto';
import type { calendar_v3 } from 'googleapis';
import { DateTime } from 'luxon';
import { responseStatuses, type ResponseStatus } from '@crewdeck/shared/calendar';
import type { EventDoc } from '../calendar.model.ts';

export type GEvent = calendar_v3.Schema$Event;

/** The fields that travel both ways; everything else is one side's own business. */
export interface SyncedFields {
  title: string;
  description: string;
  location: string;
  allDay: boolean;
  start: Date;
  end: Date;
  startDay: string | null;
  endDay: string | null;
  timeZone: string;
  rrule: string | null;
  exdates: Date[];
  busy: boolean;
}

export function fieldsOf(doc: EventDoc): SyncedFields {
  const { title, description, location, allDay, start, end, startDay, endDay, timeZone, rrule, exdates, busy } = doc;
  return { title, description, location, allDay, start, end, startDay, endDay, timeZone, rrule, exdates, busy };
}

export function hashFields(f: SyncedFields): string {
  const canonical = JSON.stringify([
    f.title,
    f.description,
    f.location,
    f.allDay,
    f.allDay ? f.startDay : f.start.toISOString(),
    f.allDay ? f.endDay : f.end.toISOString(),
    f.allDay ? null : f.timeZone,
    f.rrule,
    f.exdates.map((d) => d.getTime()).sort((a, b) => a - b),
    f.busy,
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Our id as a Google event id: `cd0` + the 24 hex digits (hex is a subset of base32hex). */
export const googleIdOf = (eventId: string) => `cd0${eventId}`;

const wall = (instant: Date, zone: string) => DateTime.fromJSDate(instant, { zone }).toFormat("yyyyMMdd'T'HHmmss");

/** The Google resource for our fields (no attendees: pushed copies must never invite anyone). */
export function toGoogle(f: SyncedFields): GEvent {
  const timed = (d: Date) => ({ dateTime: d.toISOString(), timeZone: f.timeZone });
  const exdates = f.exdates.length
    ? [
        f.allDay
          ? `EXDATE;VALUE=DATE:${f.exdates.map((d) => d.toISOString().slice(0, 10).replace(/-/g, '')).join(',')}`
          : `EXDATE;TZID=${f.timeZone}:${f.exdates.map((d) => wall(d, f.timeZone)).join(',')}`,
      ]
    : [];
  return {
    summary: f.title,
    description: f.description,
    location: f.location,
    start: f.allDay ? { date: f.startDay } : timed(f.start),
    end: f.allDay ? { date: f.endDay } : timed(f.end),
    recurrence: f.rrule ? [`RRULE:${f.rrule}`, ...exdates] : [],
    transparency: f.busy ? 'opaque' : 'transparent',
  };
}

const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);

/** `EXDATE;TZID=Europe/Berlin:20260310T090000,…`, `EXDATE;VALUE=DATE:20260310`, `EXDATE:…Z`. */
function parseExdate(line: string, fallbackZone: string): Date[] {
  const [head, values = ''] = line.split(/:(.*)/s);
  const zone = /TZID=([^;:]+)/.exec(head)?.[1] ?? fallbackZone;
  return values
    .split(',')
    .filter(Boolean)
    .map((v) => {
      if (/^\d{8}$/.test(v)) return dayStart(`${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`);
      const utc = v.endsWith('Z');
      const parsed = DateTime.fromFormat(v.replace(/Z$/, ''), "yyyyMMdd'T'HHmmss", { zone: utc ? 'UTC' : zone });
      return parsed.toJSDate();
    })
    .filter((d) => !Number.isNaN(d.getTime()));
}

/** The user's own answer, when the event has attendees (invitations). */
export function selfResponse(g: GEvent): ResponseStatus | null {
  const answer = g.attendees?.find((a) => a.self)?.responseStatus;
  return responseStatuses.find((s) => s === answer) ?? null;
}

/**
 * Our fields for a Google event. Not busy: transparent ("free") events and invitations the user
 * has not accepted (unanswered or declined): only what they committed to blocks their time.
 */
export function fromGoogle(g: GEvent, calendarZone: string): SyncedFields {
  const allDay = Boolean(g.start?.date);
  const timeZone = g.start?.timeZone ?? calendarZone;
  const startDay = allDay ? String(g.start?.date) : null;
  const endDay = allDay ? String(g.end?.date ?? g.start?.date) : null;
  const start = startDay ? dayStart(startDay) : new Date(String(g.start?.dateTime));
  const end = endDay ? dayStart(endDay) : new Date(String(g.end?.dateTime ?? g.start?.dateTime));
  const recurrence = g.recurrence ?? [];
  const rule = recurrence.find((line) => line.startsWith('RRULE:'));
  const exdates = recurrence.filter((line) => line.startsWith('EXDATE')).flatMap((l) => parseExdate(l, timeZone));
  const answer = selfResponse(g);
  const busy =
    g.eventType === 'focusTime' ||
    (g.transparency !== 'transparent' && answer !== 'needsAction' && answer !== 'declined');
  return {
    title: g.summary ?? '(no title)',
    description: g.description ?? '',
    location: g.location ?? '',
    allDay,
    start,
    end: end > start || allDay ? end : new Date(start.getTime() + 60_000),
    startDay,
    endDay,
    timeZone,
    rrule: rule ? rule.slice('RRULE:'.length) : null,
    exdates,
    busy,
  };
}

/** The instant an exception replaces (its `originalStartTime`). */
export function originalStartOf(g: GEvent): Date | null {
  const o = g.originalStartTime;
  if (!o) return null;
  return o.date ? dayStart(o.date) : new Date(String(o.dateTime));
}

/** An out-of-office event's days as an absence: first day and last day (inclusive). */
export function absenceDays(g: GEvent, zone: string): { startDay: string; endDay: string } {
  const day = (t: calendar_v3.Schema$EventDateTime | undefined, endExclusive: boolean) => {
    if (t?.date) return endExclusive ? DateTime.fromISO(t.date).minus({ days: 1 }).toISODate() : t.date;
    const instant = DateTime.fromISO(String(t?.dateTime), { zone: t?.timeZone ?? zone });
    return (endExclusive ? instant.minus({ milliseconds: 1 }) : instant).toISODate();
  };
  const startDay = String(day(g.start, false));
  const endDay = String(day(g.end, true));
  return { startDay, endDay: endDay < startDay ? startDay : endDay };
}

export const crewdeckIdOf = (g: GEvent) => g.extendedProperties?.private?.crewdeckId ?? null;
