import type { ClientSession } from 'mongoose';
import type { BookingConflict } from '@crewdeck/shared/calendar';
import type { EventDoc } from './calendar.model.ts';
import type { EventsRepository } from './events.repository.ts';
import { occurrences, type Occurrence } from './recurrence.ts';

/** Working windows and approved absences per person; implemented by the schedules feature. */
export interface AvailabilitySource {
  workingWindows(userIds: string[], from: Date, to: Date): Promise<Map<string, { start: Date; end: Date }[]>>;
  absences(
    userIds: string[],
    from: Date,
    to: Date,
    session?: ClientSession,
  ): Promise<Map<string, { start: Date; end: Date; kind: string; id: string }[]>>;
}

/** What is being booked: a new event, or an existing one with its new times and people. */
export interface BookingCandidate {
  doc: EventDoc;
  /** The event itself (when moving): its own time is not a conflict. */
  excludeId: string | null;
}

/** How many occurrences of a new series are checked (the first ones; later ones are the series' own affair). */
const SERIES_CHECK = { occurrences: 60, days: 92 };
const MAX_CONFLICTS = 50;
const DAY = 86_400_000;

/** Does `person` spend this event busy? Declined invitations and "free" events do not block. */
export function blocks(doc: EventDoc, person: string): boolean {
  if (!doc.busy) return false;
  const attendee = doc.attendees.find((a) => String(a.userId) === person);
  return !(attendee && attendee.response === 'declined');
}

/** The candidate's occurrences to check. */
function candidateOccurrences(doc: EventDoc): Occurrence[] {
  if (!doc.rrule) return [{ start: doc.start, end: doc.end, originalStart: null, doc }];
  const until = new Date(doc.start.getTime() + SERIES_CHECK.days * DAY);
  return occurrences(doc, [], doc.start, until).slice(0, SERIES_CHECK.occurrences);
}

/** Parts of [start, end) no window covers. */
function uncovered(start: Date, end: Date, windows: { start: Date; end: Date }[]): boolean {
  let cursor = start.getTime();
  for (const w of [...windows].sort((a, b) => a.start.getTime() - b.start.getTime())) {
    if (w.end.getTime() <= cursor) continue;
    if (w.start.getTime() > cursor) return true;
    cursor = w.end.getTime();
    if (cursor >= end.getTime()) return false;
  }
  return cursor < end.getTime();
}

/**
 * Everything that stands in the way of the candidate for each of its participants: their busy
 * events (Crewdeck's and those mirrored from Google), approved absences, and time outside their
 * working hours (timed events only). `titleOf` decides what the caller may read of another event.
 */
export async function findConflicts(
  deps: { events: EventsRepository; availability: AvailabilitySource },
  candidate: BookingCandidate,
  people: { id: string; name: string }[],
  titleOf: (doc: EventDoc) => string | null,
  session?: ClientSession,
): Promise<BookingConflict[]> {
  const slots = candidateOccurrences(candidate.doc);
  if (slots.length === 0 || people.length === 0) return [];
  const from = slots[0].start;
  const to = slots[slots.length - 1].end;
  const ids = people.map((p) => p.id);
  const [busy, absences, windows] = await Promise.all([
    deps.events.ofParticipants(ids, from, to, session),
    deps.availability.absences(ids, from, to, session),
    candidate.doc.allDay
      ? Promise.resolve(new Map<string, { start: Date; end: Date }[]>())
      : deps.availability.workingWindows(ids, new Date(from.getTime() - DAY), new Date(to.getTime() + DAY)),
  ]);
  const theirs = busy
    .filter(
      ({ master }) =>
        String(master._id) !== candidate.excludeId && String(master.recurringEventId) !== candidate.excludeId,
    )
    .flatMap(({ master, overrides }) => occurrences(master, overrides, from, to));
  const conflicts: BookingConflict[] = [];
  const add = (c: BookingConflict) => {
    if (conflicts.length < MAX_CONFLICTS) conflicts.push(c);
  };
  for (const person of people) {
    for (const slot of slots) {
      const base = { userId: person.id, name: person.name };
      for (const other of theirs) {
        if (
          other.start < slot.end &&
          other.end > slot.start &&
          blocks(other.doc, person.id) &&
          other.doc.participants.some((p) => String(p) === person.id)
        )
          add({
            ...base,
            reason: other.doc.source === 'google' ? 'google' : 'event',
            start: other.start.toISOString(),
            end: other.end.toISOString(),
            title: titleOf(other.doc),
            eventId: titleOf(other.doc) === null ? null : String(other.doc._id),
          });
      }
      let absent = false;
      for (const absence of absences.get(person.id) ?? []) {
        if (absence.start < slot.end && absence.end > slot.start && (absent = true))
          add({
            ...base,
            reason: 'absence',
            start: absence.start.toISOString(),
            end: absence.end.toISOString(),
            title: null,
            eventId: null,
          });
      }
      // An absence already says why; "outside working hours" on top of it would only repeat it.
      if (!absent && !candidate.doc.allDay && uncovered(slot.start, slot.end, windows.get(person.id) ?? []))
        add({
          ...base,
          reason: 'outsideHours',
          start: slot.start.toISOString(),
          end: slot.end.toISOString(),
          title: null,
          eventId: null,
        });
    }
  }
  return conflicts;
}
