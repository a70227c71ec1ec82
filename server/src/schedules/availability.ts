import { DateTime } from 'luxon';
import type { ClientSession } from 'mongoose';
import type { AbsenceKind } from '@crewdeck/shared/calendar';
import { defaultSchedule, workingWindows, type WorkSchedule, type WorkWindow } from '@crewdeck/shared/schedules';
import type { UserDoc } from '../users/users.model.ts';
import type { AbsenceDoc } from './absences.model.ts';
import type { AbsencesRepository } from './absences.repository.ts';
import { publicHolidays } from './holidays.ts';
import type { ScheduleDoc } from './schedule.model.ts';
import type { SchedulesRepository } from './schedules.repository.ts';

/** A person's effective schedule: their own, or the default one in their profile's zone. */
export interface PersonSchedule {
  userId: string;
  schedule: WorkSchedule;
  holidayCountry: string | null;
  daysOff: string[];
  /** False while the person keeps the default hours (no stored schedule). */
  custom: boolean;
}

export interface Interval {
  start: Date;
  end: Date;
}

export interface AbsenceInterval extends Interval {
  kind: AbsenceKind;
  id: string;
}

export interface AvailabilityDeps {
  schedules: SchedulesRepository;
  absences: AbsencesRepository;
  users: { findByIds(ids: string[], session?: ClientSession): Promise<UserDoc[]> };
}

const DAY = 86_400_000;
const utcDay = (at: Date) => at.toISOString().slice(0, 10);
const localDay = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toISODate() ?? utcDay(at);

/** Every day from `fromDay` to `toDay` inclusive. */
function eachDay(fromDay: string, toDay: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(fromDay); t <= Date.parse(toDay); t += DAY) days.push(utcDay(new Date(t)));
  return days;
}

/** The schedule a person has when they never set one. */
export function effectiveSchedule(
  userId: string,
  stored: ScheduleDoc | null,
  profileZone: string | null,
): PersonSchedule {
  if (!stored) {
    return {
      userId,
      schedule: defaultSchedule(profileZone ?? 'UTC'),
      holidayCountry: null,
      daysOff: [],
      custom: false,
    };
  }
  return {
    userId,
    schedule: { timeZone: stored.timeZone, hours: stored.hours },
    holidayCountry: stored.holidayCountry,
    daysOff: stored.daysOff,
    custom: true,
  };
}

/**
 * When people work: their schedule's windows minus public holidays, personal days off and
 * approved absences. The booking check, free/busy, slot search, workload and the behind-schedule
 * check all ask here, for many people at once with one query per collection.
 */
export class Availability {
  readonly #d: AvailabilityDeps;

  constructor(deps: AvailabilityDeps) {
    this.#d = deps;
  }

  /** Each person's effective schedule (two queries for any number of people). */
  async schedulesOf(userIds: readonly string[], session?: ClientSession): Promise<Map<string, PersonSchedule>> {
    const unique = [...new Set(userIds)];
    const [stored, users] = await Promise.all([
      this.#d.schedules.findByUsers(unique, session),
      unique.length === 0 ? [] : this.#d.users.findByIds(unique, session),
    ]);
    const byUser = new Map(stored.map((s) => [String(s.userId), s]));
    const zones = new Map(users.map((u) => [String(u._id), u.timeZone ?? null]));
    return new Map(
      unique.map((id) => [id, effectiveSchedule(id, byUser.get(id) ?? null, zones.get(id) ?? null)] as const),
    );
  }

  /** Working windows (UTC instants) per user in [from, to): schedule minus public holidays, days off and approved absences. */
  async workingWindows(userIds: string[], from: Date, to: Date): Promise<Map<string, Interval[]>> {
    const result = new Map<string, Interval[]>();
    if (!(to > from)) return new Map(userIds.map((id) => [id, []]));
    const people = await this.schedulesOf(userIds);
    const absences = await this.#approved(userIds, from, to);
    for (const [id, person] of people) {
      const zone = person.schedule.timeZone;
      const windows = this.#windows(
        person,
        localDay(from, zone),
        localDay(new Date(to.getTime() - 1), zone),
        absences.get(id),
      );
      result.set(
        id,
        windows
          .map((w) => ({
            start: new Date(Math.max(Date.parse(w.start), from.getTime())),
            end: new Date(Math.min(Date.parse(w.end), to.getTime())),
          }))
          .filter((w) => w.end > w.start),
      );
    }
    return result;
  }

  /** Approved absences per user as instant intervals (their days in the person's zone, whole days). */
  async absences(
    userIds: string[],
    from: Date,
    to: Date,
    session?: ClientSession,
  ): Promise<Map<string, AbsenceInterval[]>> {
    const people = await this.schedulesOf(userIds, session);
    const docs = await this.#approved(userIds, from, to, session);
    const result = new Map<string, AbsenceInterval[]>(userIds.map((id) => [id, []]));
    for (const [id, person] of people) {
      const zone = person.schedule.timeZone;
      for (const doc of docs.get(id) ?? []) {
        const start = DateTime.fromISO(doc.startDay, { zone }).startOf('day').toJSDate();
        const end = DateTime.fromISO(doc.endDay, { zone }).plus({ days: 1 }).startOf('day').toJSDate();
        if (start < to && end > from) result.get(id)?.push({ start, end, kind: doc.kind, id: String(doc._id) });
      }
    }
    return result;
  }

  /** Working hours left for a user from `from` until `until`. */
  async remainingHours(userId: string, from: Date, until: Date): Promise<number> {
    const windows = (await this.workingWindows([userId], from, until)).get(userId) ?? [];
    return windows.reduce((sum, w) => sum + (w.end.getTime() - w.start.getTime()) / 3_600_000, 0);
  }

  /** The instant a local day ends for the person (the next local midnight in their zone). */
  async endOfDay(userId: string, day: string): Promise<Date> {
    const person = (await this.schedulesOf([userId])).get(userId);
    const zone = person?.schedule.timeZone ?? 'UTC';
    return DateTime.fromISO(day, { zone }).plus({ days: 1 }).startOf('day').toJSDate();
  }

  /** Working hours of each local day from `fromDay` to `toDay` (inclusive); 0 on days off. */
  async dailyHours(userId: string, fromDay: string, toDay: string): Promise<Map<string, number>> {
    const hours = new Map(eachDay(fromDay, toDay).map((day) => [day, 0]));
    if (hours.size === 0) return hours;
    const person = (await this.schedulesOf([userId])).get(userId);
    if (!person) return hours;
    // Days are local days; their instants lie within a day of the UTC ones.
    const absences = await this.#approved(
      [userId],
      new Date(Date.parse(fromDay) - DAY),
      new Date(Date.parse(toDay) + 2 * DAY),
    );
    for (const w of this.#windows(person, fromDay, toDay, absences.get(userId)))
      hours.set(w.day, (hours.get(w.day) ?? 0) + (Date.parse(w.end) - Date.parse(w.start)) / 3_600_000);
    return hours;
  }

  #windows(person: PersonSchedule, fromDay: string, toDay: string, absences: AbsenceDoc[] = []): WorkWindow[] {
    if (toDay < fromDay) return [];
    const off = new Set(person.daysOff);
    for (const holiday of publicHolidays(person.holidayCountry, fromDay, toDay)) off.add(holiday.day);
    for (const absence of absences) {
      const first = absence.startDay > fromDay ? absence.startDay : fromDay;
      const last = absence.endDay < toDay ? absence.endDay : toDay;
      for (const day of eachDay(first, last)) off.add(day);
    }
    return workingWindows(person.schedule, fromDay, toDay, off);
  }

  /** Approved absences touching [from, to) in any zone, per user: one query. */
  async #approved(
    userIds: readonly string[],
    from: Date,
    to: Date,
    session?: ClientSession,
  ): Promise<Map<string, AbsenceDoc[]>> {
    // Local days lie within 14 hours of UTC ones: a day's margin on both sides covers every zone.
    const docs = await this.#d.absences.approvedFor(
      [...new Set(userIds)],
      utcDay(new Date(from.getTime() - DAY)),
      utcDay(new Date(to.getTime() + DAY)),
      session,
    );
    const result = new Map<string, AbsenceDoc[]>();
    for (const doc of docs) {
      const id = String(doc.userId);
      result.set(id, [...(result.get(id) ?? []), doc]);
    }
    return result;
  }
}
