import mongoose from 'mongoose';
import type { Calendar, FreeBusy } from '@crewdeck/shared/calendar';
import type { z } from 'zod';
import type { createCalendarSchema, updateCalendarSchema } from '@crewdeck/shared/calendar';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { AuthedContext } from '../http/context.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import type { AvailabilitySource } from './booking.ts';
import { blocks } from './booking.ts';
import type { CalendarDoc } from './calendar.model.ts';
import { calendarResource } from './calendar.policy.ts';
import type { CalendarsRepository, EventsRepository } from './events.repository.ts';
import type { BusyCache } from './busy-cache.ts';
import { occurrences } from './recurrence.ts';

type CreateCalendar = z.infer<typeof createCalendarSchema>;
type UpdateCalendar = z.infer<typeof updateCalendarSchema>;
const oid = (id: string) => new mongoose.Types.ObjectId(id);

/** Merges overlapping or touching intervals. */
export function mergeIntervals(list: { start: Date; end: Date }[]): { start: Date; end: Date }[] {
  const sorted = [...list].sort((a, b) => a.start.getTime() - b.start.getTime());
  const out: { start: Date; end: Date }[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start.getTime() <= last.end.getTime()) {
      if (i.end > last.end) last.end = i.end;
    } else out.push({ start: i.start, end: i.end });
  }
  return out;
}

export interface CalendarsServiceDeps {
  calendars: CalendarsRepository;
  events: EventsRepository;
  access: AccessControl;
  publisher: FeedPublisher;
  users: UsersRepository;
  availability: AvailabilitySource;
  busy: BusyCache;
}

/** Team calendars, and the busy times and free slots of people. */
export class CalendarsService {
  readonly #d: CalendarsServiceDeps;

  constructor(deps: CalendarsServiceDeps) {
    this.#d = deps;
  }

  async list(ctx: AuthedContext): Promise<{ calendars: Calendar[]; abilities: Record<string, boolean> }> {
    await this.#d.access.authorize(ctx, 'calendar.read');
    const personal = await this.#d.calendars.personal(ctx.actor.id, ctx.actor.name);
    const admin = ctx.actor.role === 'Owner' || ctx.actor.role === 'Admin';
    const team = admin
      ? await this.#d.calendars.allTeamCalendars()
      : await this.#d.calendars.teamCalendarsOf(ctx.actor.id);
    const readable = team.filter((c) => this.#d.access.can(ctx.actor, 'calendar.read', calendarResource(c)));
    return {
      calendars: [personal, ...readable].map((c) => this.present(ctx, c)),
      abilities: this.#d.access.abilities(ctx.actor, [
        'calendar.manage',
        'calendar.write',
        'calendar.freebusy',
        'calendar.force',
      ]),
    };
  }

  async create(ctx: AuthedContext, input: CreateCalendar): Promise<{ calendar: Calendar }> {
    await this.#d.access.authorize(ctx, 'calendar.manage');
    const members = await this.#members(input.members ?? []);
    const doc = await this.#d.publisher.publish(ctx, async (session) => {
      const created = await this.#d.calendars.create(
        { kind: 'team', name: input.name, color: input.color ?? '#2f855a', ownerId: oid(ctx.actor.id), members },
        session,
      );
      return {
        result: created,
        audit: { action: 'calendar.create', permission: 'calendar.manage', note: input.name },
        feed: [],
      };
    });
    return { calendar: this.present(ctx, doc) };
  }

  async update(ctx: AuthedContext, id: string, input: UpdateCalendar): Promise<{ calendar: Calendar }> {
    const calendar = await this.#d.calendars.findById(id);
    if (!calendar || calendar.kind !== 'team') throw new NotFoundError('Calendar');
    await this.#d.access.authorizeVisible(ctx, 'calendar.read', calendarResource(calendar), 'Calendar');
    await this.#d.access.authorize(ctx, 'calendar.manage', calendarResource(calendar));
    const members = input.members ? await this.#members(input.members) : undefined;
    const doc = await this.#d.publisher.publish(ctx, async (session) => {
      const updated = await this.#d.calendars.update(
        id,
        {
          ...(input.name ? { name: input.name } : {}),
          ...(input.color ? { color: input.color } : {}),
          ...(members ? { members } : {}),
        },
        session,
      );
      if (!updated) throw new NotFoundError('Calendar');
      return {
        result: updated,
        audit: { action: 'calendar.update', permission: 'calendar.manage', note: updated.name },
        feed: [],
      };
    });
    return { calendar: this.present(ctx, doc) };
  }

  present(ctx: AuthedContext, c: CalendarDoc): Calendar {
    const resource = calendarResource(c);
    return {
      id: String(c._id),
      kind: c.kind,
      name: c.name,
      color: c.color,
      ownerId: String(c.ownerId),
      members: c.members.map((m) => ({ userId: String(m.userId), access: m.access })),
      abilities: {
        'calendar.read': this.#d.access.can(ctx.actor, 'calendar.read', resource),
        'calendar.write': this.#d.access.can(ctx.actor, 'calendar.write', resource),
        'calendar.manage': c.kind === 'team' && this.#d.access.can(ctx.actor, 'calendar.manage', resource),
      },
    };
  }

  /** Busy intervals of up to 50 people: blocking events (Crewdeck's and Google's) and approved absences. */
  async freeBusy(ctx: AuthedContext, userIds: string[], from: Date, to: Date): Promise<FreeBusy> {
    if (userIds.some((id) => id !== ctx.actor.id)) await this.#d.access.authorize(ctx, 'calendar.freebusy');
    else await this.#d.access.authorize(ctx, 'calendar.read');
    const busy = await this.busyOf(userIds, from, to);
    const users: FreeBusy['users'] = {};
    for (const id of userIds)
      users[id] = (busy.get(id) ?? []).map((i) => ({ start: i.start.toISOString(), end: i.end.toISOString() }));
    return { users };
  }

  async busyOf(userIds: string[], from: Date, to: Date): Promise<Map<string, { start: Date; end: Date }[]>> {
    const [events, absences] = await Promise.all([
      this.#d.busy.eventBusy(userIds, from, to, (ids) => this.#eventBusy(ids, from, to)),
      this.#d.availability.absences(userIds, from, to),
    ]);
    const raw = new Map<string, { start: Date; end: Date }[]>(userIds.map((id) => [id, [...(events.get(id) ?? [])]]));
    for (const [id, list] of absences)
      for (const a of list) raw.get(id)?.push({ start: a.start < from ? from : a.start, end: a.end > to ? to : a.end });
    return new Map([...raw].map(([id, list]) => [id, mergeIntervals(list)]));
  }

  /** Each person's blocking event time in [from, to): occurrences expanded, declined and free ones left out. */
  async #eventBusy(userIds: string[], from: Date, to: Date): Promise<Map<string, { start: Date; end: Date }[]>> {
    const series = await this.#d.events.ofParticipants(userIds, from, to);
    const raw = new Map<string, { start: Date; end: Date }[]>(userIds.map((id) => [id, []]));
    for (const { master, overrides } of series) {
      for (const o of occurrences(master, overrides, from, to)) {
        for (const p of o.doc.participants.map(String)) {
          if (raw.has(p) && blocks(o.doc, p))
            raw.get(p)?.push({ start: o.start < from ? from : o.start, end: o.end > to ? to : o.end });
        }
      }
    }
    return new Map([...raw].map(([id, list]) => [id, mergeIntervals(list)]));
  }

  /** The first `limit` slots of `minutes` inside everyone's working hours and outside their busy time. */
  async findSlots(ctx: AuthedContext, userIds: string[], from: Date, to: Date, minutes: number, limit: number) {
    if (userIds.some((id) => id !== ctx.actor.id)) await this.#d.access.authorize(ctx, 'calendar.freebusy');
    const [busy, windows] = await Promise.all([
      this.busyOf(userIds, from, to),
      this.#d.availability.workingWindows(userIds, from, to),
    ]);
    // Free time of each person = their windows minus their busy time; a slot must fit in everyone's.
    let common: { start: Date; end: Date }[] | null = null;
    for (const id of userIds) {
      const free = subtract(windows.get(id) ?? [], busy.get(id) ?? []);
      common = common === null ? free : intersect(common, free);
    }
    // Slots start on a quarter hour, never in the past.
    const step = 15 * 60_000;
    const length = minutes * 60_000;
    const slots: { start: string; end: string }[] = [];
    for (const interval of common ?? []) {
      let start = Math.max(
        Math.ceil(interval.start.getTime() / step) * step,
        Math.ceil(Math.max(from.getTime(), Date.now()) / step) * step,
      );
      // One proposal per free interval and hour keeps the list varied instead of 15-minute neighbours.
      while (start + length <= Math.min(interval.end.getTime(), to.getTime()) && slots.length < limit) {
        slots.push({ start: new Date(start).toISOString(), end: new Date(start + length).toISOString() });
        start += Math.max(length, 60 * 60_000);
      }
      if (slots.length >= limit) break;
    }
    return { slots };
  }

  async #members(list: { userId: string; access: 'read' | 'write' }[]) {
    const ids = [...new Set(list.map((m) => m.userId))];
    const users = await this.#d.users.findByIds(ids);
    const known = new Set(users.map((u) => String(u._id)));
    const fields: Record<string, string> = {};
    list.forEach((m, i) => {
      if (!known.has(m.userId)) fields[`members.${i}.userId`] = 'No user with this id';
    });
    if (Object.keys(fields).length > 0) throw new ValidationError(fields);
    const seen = new Set<string>();
    return list
      .filter((m) => !seen.has(m.userId) && seen.add(m.userId))
      .map((m) => ({ userId: oid(m.userId), access: m.access }));
  }
}

function subtract(windows: { start: Date; end: Date }[], busy: { start: Date; end: Date }[]) {
  const out: { start: Date; end: Date }[] = [];
  for (const w of mergeIntervals(windows)) {
    let cursor = w.start.getTime();
    for (const b of busy) {
      if (b.end.getTime() <= cursor || b.start.getTime() >= w.end.getTime()) continue;
      if (b.start.getTime() > cursor) out.push({ start: new Date(cursor), end: b.start });
      cursor = Math.max(cursor, b.end.getTime());
    }
    if (cursor < w.end.getTime()) out.push({ start: new Date(cursor), end: w.end });
  }
  return out;
}

function intersect(a: { start: Date; end: Date }[], b: { start: Date; end: Date }[]) {
  const out: { start: Date; end: Date }[] = [];
  for (const x of a)
    for (const y of b) {
      const start = Math.max(x.start.getTime(), y.start.getTime());
      const end = Math.min(x.end.getTime(), y.end.getTime());
      if (end > start) out.push({ start: new Date(start), end: new Date(end) });
    }
  return mergeIntervals(out);
}
