import type { Absence, Schedule } from '@crewdeck/shared/calendar';
import type { Abilities } from '@crewdeck/shared/permissions';
import type { AbsenceDoc } from './absences.model.ts';
import type { PersonSchedule } from './availability.ts';

export function presentSchedule(person: PersonSchedule, abilities: Abilities): Schedule {
  return {
    userId: person.userId,
    timeZone: person.schedule.timeZone,
    hours: Object.fromEntries(
      Object.entries(person.schedule.hours).map(([day, list]) => [
        day,
        list.map((i) => ({ start: i.start, end: i.end })),
      ]),
    ),
    holidayCountry: person.holidayCountry,
    daysOff: [...person.daysOff],
    custom: person.custom,
    abilities,
  };
}

export function presentAbsence(doc: AbsenceDoc, userName: string, abilities: Abilities): Absence {
  return {
    id: String(doc._id),
    userId: String(doc.userId),
    userName,
    kind: doc.kind,
    startDay: doc.startDay,
    endDay: doc.endDay,
    note: doc.note,
    status: doc.status,
    decidedBy: doc.decidedBy ? String(doc.decidedBy) : null,
    decidedAt: doc.decidedAt ? doc.decidedAt.toISOString() : null,
    source: doc.source,
    createdAt: doc.createdAt.toISOString(),
    abilities,
  };
}
