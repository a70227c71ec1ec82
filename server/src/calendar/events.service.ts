import type { ClientSession } from 'mongoose';
import mongoose from 'mongoose';
import type {
  CreateEvent,
  EventList,
  EventListQuery,
  EventResponse,
  ResponseStatus,
  UpdateEvent,
} from '@crewdeck/shared/calendar';
import { calendarLimits } from '@crewdeck/shared/calendar';
import type { LibraryFeedDraft } from '../feed/feed.drafts.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { EventBus } from '../events/event-bus.ts';
import { systemContext, type AuthedContext } from '../http/context.ts';
import { BookingConflictError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { inactiveReason } from '../users/user-status.ts';
import { findConflicts, type AvailabilitySource } from './booking.ts';
import { canReadDetails, canWrite, eventViewers } from './calendar.access.ts';
import type { CalendarDoc, EventDoc } from './calendar.model.ts';
import { calendarResource } from './calendar.policy.ts';
import { presentEvent, presentInstance } from './calendar.presenter.ts';
import type { EventsRepository, NewEvent, CalendarsRepository } from './events.repository.ts';
import type { EventNotifier } from './event-notifier.ts';
import { normalizeTimes, sameTimes, type EventTimes } from './event-times.ts';
import { occurrences, rangeEndOf } from './recurrence.ts';
import type { TaskItems } from './task-items.ts';

export interface EventsServiceDeps {
  events: EventsRepository;
  calendars: CalendarsRepository;
  access: AccessControl;
  publisher: FeedPublisher;
  bus: EventBus;
  users: UsersRepository;
  availability: AvailabilitySource;
  notifier: EventNotifier;
  taskItems: TaskItems;
}

const oid = (id: string) => new mongoose.Types.ObjectId(id);

/** How long changes from a sync are gathered before their feed entries go out. */
const SYNC_BATCH_MS = 50;
/** More changes than this for one calendar in one batch are announced by one summary entry. */
const SYNC_SUMMARY_OVER = 20;

/** "Book anyway" asked by someone without `calendar.force`; becomes the journaled 403 outside the transaction. */
class ForceDenied extends Error {}
const unique = (ids: Iterable<string>) => [...new Set(ids)];

/** The change that ended a transaction, for what runs after the commit. */
interface Committed {
  before: EventDoc | null;
  after: EventDoc | null;
  calendar: CalendarDoc | null;
}

/**
 * Events: booking with the per-person conflict check in the same transaction as the write,
 * recurring series with cancelled and overridden occurrences, attendees' answers, and the feed
 * entries and notifications that follow each change.
 */
export class EventsService {
  readonly #d: EventsServiceDeps;

  constructor(deps: EventsServiceDeps) {
    this.#d = deps;
  }

  async list(ctx: AuthedContext, query: EventListQuery): Promise<EventList> {
    await this.#d.access.authorize(ctx, 'calendar.read');
    const from = new Date(query.from);
    const to = new Date(query.to);
    const me = ctx.actor.id;
    let series;
    if (query.calendarId) {
      const calendar = await this.#calendarFor(ctx, 'calendar.read', query.calendarId);
      series = await this.#d.events.ofCalendars([String(calendar._id)], from, to);
    } else if (query.userId && query.userId !== me) {
      // Someone else's time: what the caller may read in full, the rest as busy.
      await this.#d.access.authorize(ctx, 'calendar.freebusy');
      series = await this.#d.events.ofParticipants([query.userId], from, to);
    } else {
      const readable = (await this.#readableTeamCalendars(ctx)).map((c) => String(c._id));
      const [mine, team] = await Promise.all([
        this.#d.events.ofParticipants([me], from, to),
        this.#d.events.ofCalendars([me, ...readable], from, to),
      ]);
      const seen = new Set<string>();
      series = [...mine, ...team].filter(({ master }) => !seen.has(String(master._id)) && seen.add(String(master._id)));
    }
    const calendars = await this.#calendarsById(series.map((s) => String(s.master.calendarId)));
    const names = await this.#names(series.flatMap((s) => [s.master, ...s.overrides]));
    const events = series.flatMap(({ master, overrides }) =>
      occurrences(master, overrides, from, to).map((o) => {
        const busyOnly = !canReadDetails(
          this.#d.access,
          ctx.actor,
          o.doc,
          calendars.get(String(o.doc.calendarId)) ?? null,
        );
        return presentInstance(o, names, busyOnly);
      }),
    );
    events.sort((a, b) => a.start.localeCompare(b.start));
    const tasks =
      query.tasks === 'false' || query.calendarId
        ? []
        : await this.#d.taskItems.forUser(ctx.actor, query.userId ?? me, from, to);
    return { events, tasks };
  }

  async get(ctx: AuthedContext, id: string): Promise<EventResponse> {
    const { doc, calendar } = await this.#load(ctx, id);
    return this.#respond(ctx, doc, calendar);
  }

  async create(ctx: AuthedContext, input: CreateEvent): Promise<EventResponse> {
    await this.#d.access.authorize(ctx, 'calendar.write');
    const calendar = input.calendarId
      ? await this.#calendarFor(ctx, 'calendar.write', input.calendarId)
      : await this.#d.calendars.personal(ctx.actor.id, ctx.actor.name);
    const times = normalizeTimes(input, await this.#zoneOf(ctx.actor.id));
    const attendees = await this.#checkAttendees(unique(input.attendees ?? []));
    const organizer = ctx.actor.id;
    const now = new Date();
    const draft: NewEvent = {
      calendarId: calendar._id,
      title: input.title,
      description: input.description ?? '',
      location: input.location ?? '',
      ...times,
      organizerId: oid(organizer),
      attendees: attendees.map((userId) => ({
        userId: oid(userId),
        response: userId === organizer ? 'accepted' : 'needsAction',
      })),
      participants: unique([organizer, ...attendees]).map(oid),
      exdates: (input.exdates ?? []).map((d) => new Date(d)),
      recurringEventId: null,
      originalStart: null,
      rangeEnd: rangeEndOf(times),
      reminders: unique((input.reminders ?? []).map(String)).map(Number),
      visibility: input.visibility ?? 'default',
      busy: !times.allDay,
      source: 'crewdeck',
      google: [],
      version: 1,
      createdBy: oid(organizer),
      updatedBy: null,
    };
    await this.#d.events.ensureLocks(draft.attendees.map((a) => String(a.userId)));
    const created = await this.#booking(ctx, () =>
      this.#d.publisher.publish(ctx, async (session) => {
        const candidate = { ...draft, _id: new mongoose.Types.ObjectId(), createdAt: now, updatedAt: now } as EventDoc;
        await this.#assertBookable(ctx, candidate, null, input.force === true, session);
        const doc = await this.#d.events.insert({ ...draft, _id: candidate._id } as NewEvent, session);
        return {
          result: doc,
          audit: { action: 'event.create', permission: 'calendar.write', code: null, note: this.#note(doc) },
          feed: [await this.#draft('calendar.event.created', doc, calendar)],
        };
      }),
    );
    this.#after(ctx, { before: null, after: created, calendar });
    return this.#respond(ctx, created, calendar);
  }

  async update(ctx: AuthedContext, id: string, patch: UpdateEvent): Promise<EventResponse> {
    const { doc, calendar } = await this.#load(ctx, id);
    await this.#authorizeWrite(ctx, doc, calendar);
    if (doc.version !== patch.version) throw this.#stale(doc);
    if (patch.instance) return this.#updateOccurrence(ctx, doc, calendar, patch);
    const target =
      patch.calendarId && patch.calendarId !== String(doc.calendarId)
        ? await this.#calendarFor(ctx, 'calendar.write', patch.calendarId)
        : calendar;
    const timesChanged = ['start', 'end', 'allDay', 'timeZone', 'rrule'].some(
      (k) => k in patch && patch[k as keyof UpdateEvent] !== undefined,
    );
    const times: EventTimes = timesChanged
      ? normalizeTimes(
          {
            start: patch.start ?? (doc.allDay ? (doc.startDay ?? '') : doc.start.toISOString()),
            end: patch.end ?? (doc.allDay ? (doc.endDay ?? '') : doc.end.toISOString()),
            allDay: patch.allDay ?? (patch.start ? undefined : doc.allDay),
            timeZone: patch.timeZone ?? doc.timeZone,
            rrule: patch.rrule === undefined ? doc.rrule : patch.rrule,
          },
          doc.timeZone,
        )
      : {
          start: doc.start,
          end: doc.end,
          allDay: doc.allDay,
          startDay: doc.startDay,
          endDay: doc.endDay,
          timeZone: doc.timeZone,
          rrule: doc.rrule,
        };
    const attendeeIds = patch.attendees
      ? await this.#checkAttendees(unique(patch.attendees))
      : doc.attendees.map((a) => String(a.userId));
    const previous = new Map(doc.attendees.map((a) => [String(a.userId), a.response]));
    const changes = {
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.location !== undefined ? { location: patch.location } : {}),
      ...(patch.visibility !== undefined ? { visibility: patch.visibility } : {}),
      ...(patch.reminders !== undefined ? { reminders: unique(patch.reminders.map(String)).map(Number) } : {}),
      ...(patch.exdates !== undefined ? { exdates: patch.exdates.map((d) => new Date(d)) } : {}),
      ...(target && String(target._id) !== String(doc.calendarId) ? { calendarId: target._id } : {}),
      ...times,
      busy: doc.source === 'google' ? doc.busy : !times.allDay,
      rangeEnd: rangeEndOf(times),
      attendees: attendeeIds.map((userId) => ({
        userId: oid(userId),
        // A moved event asks everyone again; an unchanged one keeps their answers.
        response:
          (!sameTimes(doc, times) && userId !== String(doc.organizerId) ? 'needsAction' : previous.get(userId)) ??
          'needsAction',
      })),
      participants: unique([String(doc.organizerId), ...attendeeIds]).map(oid),
    } satisfies Partial<EventDoc>;
    await this.#d.events.ensureLocks(changes.attendees.map((a) => String(a.userId)));
    const after = await this.#booking(ctx, () =>
      this.#d.publisher.publish(ctx, async (session) => {
        const next = { ...doc, ...changes } as EventDoc;
        const moved = !sameTimes(doc, times) || attendeeIds.some((a) => !previous.has(a));
        if (moved) await this.#assertBookable(ctx, next, String(doc._id), patch.force === true, session);
        const updated = await this.#d.events.updateVersioned(id, patch.version, changes, ctx.actor.id, session);
        if (!updated) throw new ConflictError('Someone else changed this event; reload it');
        return {
          result: updated,
          audit: { action: 'event.update', permission: 'calendar.write', code: null, note: this.#note(updated) },
          feed: [await this.#draft('calendar.event.updated', updated, target)],
        };
      }),
    );
    this.#after(ctx, { before: doc, after, calendar: target });
    return this.#respond(ctx, after, target);
  }

  async remove(ctx: AuthedContext, id: string, query: { version: number; instance?: string }): Promise<{ ok: true }> {
    const { doc, calendar } = await this.#load(ctx, id);
    await this.#authorizeWrite(ctx, doc, calendar);
    if (doc.version !== query.version) throw this.#stale(doc);
    // An override deleted, or one occurrence of a series cancelled: the series records an EXDATE.
    const seriesId = doc.recurringEventId ? String(doc.recurringEventId) : query.instance ? id : null;
    if (seriesId) {
      const series = doc.recurringEventId ? await this.#d.events.findById(seriesId) : doc;
      if (!series) throw new NotFoundError('Event');
      const instant = new Date(doc.recurringEventId ? (doc.originalStart ?? doc.start) : (query.instance ?? ''));
      const after = await this.#d.publisher.publish(ctx, async (session) => {
        if (doc.recurringEventId) await this.#d.events.remove([doc._id], session);
        const exdates = [...series.exdates.filter((d) => d.getTime() !== instant.getTime()), instant];
        const overrides = await this.#d.events.overridesOf(String(series._id), session);
        const gone = overrides.filter((o) => (o.originalStart ?? o.start).getTime() === instant.getTime());
        if (gone.length > 0)
          await this.#d.events.remove(
            gone.map((o) => o._id),
            session,
          );
        const updated = await this.#d.events.updateVersioned(
          String(series._id),
          series.version,
          { exdates },
          ctx.actor.id,
          session,
        );
        if (!updated) throw new ConflictError('Someone else changed this event; reload it');
        return {
          result: updated,
          audit: {
            action: 'event.update',
            permission: 'calendar.write',
            code: null,
            note: `${this.#note(series)} − ${instant.toISOString()}`,
          },
          feed: [await this.#draft('calendar.event.updated', updated, calendar)],
        };
      });
      this.#after(ctx, { before: series, after, calendar });
      return { ok: true };
    }
    const viewersDraft = await this.#draft('calendar.event.deleted', doc, calendar);
    await this.#d.publisher.publish(ctx, async (session) => {
      await this.#d.events.remove([doc._id], session);
      return {
        result: undefined,
        audit: { action: 'event.delete', permission: 'calendar.write', code: null, note: this.#note(doc) },
        feed: [viewersDraft],
      };
    });
    this.#after(ctx, { before: doc, after: null, calendar });
    return { ok: true };
  }

  async respond(ctx: AuthedContext, id: string, response: ResponseStatus): Promise<EventResponse> {
    const { doc, calendar } = await this.#load(ctx, id);
    if (!doc.attendees.some((a) => String(a.userId) === ctx.actor.id))
      throw new ForbiddenError('Only invited people answer an invitation');
    const attendees = doc.attendees.map((a) => (String(a.userId) === ctx.actor.id ? { ...a, response } : a));
    const after = await this.#d.publisher.publish(ctx, async (session) => {
      const updated = await this.#d.events.updateVersioned(id, doc.version, { attendees }, ctx.actor.id, session);
      if (!updated) throw new ConflictError('The event changed meanwhile; try again');
      return {
        result: updated,
        audit: {
          action: 'event.respond',
          permission: 'calendar.read',
          code: null,
          note: `${this.#note(doc)}: ${response}`,
        },
        feed: [await this.#draft('calendar.event.responded', updated, calendar, { response, userId: ctx.actor.id })],
      };
    });
    this.#after(ctx, { before: doc, after, calendar });
    return this.#respond(ctx, after, calendar);
  }

  /**
   * Listens for changes the Google sync committed and gives them feed entries (stored, then
   * emitted, like every other change), so a change made in Google reaches open calendars live.
   */
  listenToSync(log: (error: unknown) => void): () => void {
    let pending: { before: EventDoc | null; after: EventDoc | null }[] = [];
    let timer: NodeJS.Timeout | null = null;
    const flush = () => {
      timer = null;
      const batch = pending;
      pending = [];
      this.#announceSynced(batch).catch(log);
    };
    const stop = this.#d.bus.on('calendar.eventChanged', ({ before, after, fromGoogle }) => {
      if (fromGoogle === null || (!before && !after)) return;
      pending.push({ before, after });
      // A sync commits page by page: entries of one tick go out together, in one transaction.
      timer ??= setTimeout(flush, SYNC_BATCH_MS);
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }

  /**
   * Feed entries for what a sync changed. Many changes for one person at once (a first import,
   * a full resync) become one summary entry: open calendars reload either way, and the feed is
   * not flooded with thousands of "created" lines (the first-sync storm).
   */
  async #announceSynced(batch: { before: EventDoc | null; after: EventDoc | null }[]): Promise<void> {
    const drafts: LibraryFeedDraft[] = [];
    const byOwner = new Map<string, typeof batch>();
    for (const change of batch) {
      const key = String((change.after ?? change.before)?.calendarId);
      byOwner.set(key, [...(byOwner.get(key) ?? []), change]);
    }
    for (const changes of byOwner.values()) {
      const first = changes[0].after ?? changes[0].before;
      if (!first) continue;
      const calendar = await this.#d.calendars.findById(String(first.calendarId));
      if (changes.length > SYNC_SUMMARY_OVER) {
        drafts.push(
          await this.#draft('calendar.event.updated', first, calendar, { source: 'google', count: changes.length }),
        );
        continue;
      }
      for (const { before, after } of changes) {
        const doc = (after ?? before) as EventDoc;
        const type = !before ? 'calendar.event.created' : !after ? 'calendar.event.deleted' : 'calendar.event.updated';
        drafts.push(await this.#draft(type, doc, calendar, { source: 'google' }));
      }
    }
    if (drafts.length === 0) return;
    await this.#d.publisher.publish(systemContext, async () => ({ result: undefined, audit: null, feed: drafts }));
  }

  /** Changing one occurrence of a series: an override document, created or updated. */
  async #updateOccurrence(
    ctx: AuthedContext,
    series: EventDoc,
    calendar: CalendarDoc | null,
    patch: UpdateEvent,
  ): Promise<EventResponse> {
    if (!series.rrule) throw new ValidationError({ instance: 'This event does not repeat' });
    const instant = new Date(patch.instance ?? '');
    const overrides = await this.#d.events.overridesOf(String(series._id));
    const existing = overrides.find((o) => (o.originalStart ?? o.start).getTime() === instant.getTime());
    const occurrence = occurrences(series, [], new Date(instant.getTime() - 1), new Date(instant.getTime() + 1)).find(
      (o) => o.start.getTime() === instant.getTime(),
    );
    if (!existing && !occurrence) throw new ValidationError({ instance: 'The series has no occurrence at that time' });
    const base = existing ?? {
      ...series,
      start: instant,
      end: new Date(instant.getTime() + (series.end.getTime() - series.start.getTime())),
    };
    const times = normalizeTimes(
      {
        start: patch.start ?? (base.allDay ? base.start.toISOString().slice(0, 10) : base.start.toISOString()),
        end: patch.end ?? (base.allDay ? base.end.toISOString().slice(0, 10) : base.end.toISOString()),
        allDay: patch.allDay ?? base.allDay,
        timeZone: patch.timeZone ?? series.timeZone,
        rrule: null,
      },
      series.timeZone,
    );
    const fields = {
      title: patch.title ?? base.title,
      description: patch.description ?? base.description,
      location: patch.location ?? base.location,
      ...times,
      rrule: null,
      rangeEnd: times.end,
    };
    await this.#d.events.ensureLocks(series.attendees.map((a) => String(a.userId)));
    const after = await this.#booking(ctx, () =>
      this.#d.publisher.publish(ctx, async (session) => {
        const draft: EventDoc = {
          ...base,
          ...fields,
          _id: existing?._id ?? new mongoose.Types.ObjectId(),
          exdates: [],
          recurringEventId: series._id,
          originalStart: instant,
          google: existing?.google ?? [],
        };
        if (!sameTimes(base, times))
          await this.#assertBookable(ctx, draft, String(series._id), patch.force === true, session);
        const saved = existing
          ? await this.#d.events.updateVersioned(String(existing._id), existing.version, fields, ctx.actor.id, session)
          : await this.#d.events.insert(
              { ...draft, version: 1, createdBy: oid(ctx.actor.id), updatedBy: null } as NewEvent,
              session,
            );
        // The series' version moves too: whoever holds it sees that something in it changed.
        const bumped = await this.#d.events.updateVersioned(
          String(series._id),
          series.version,
          {},
          ctx.actor.id,
          session,
        );
        if (!saved || !bumped) throw new ConflictError('Someone else changed this event; reload it');
        return {
          result: saved,
          audit: {
            action: 'event.update',
            permission: 'calendar.write',
            code: null,
            note: `${this.#note(saved)} @ ${instant.toISOString()}`,
          },
          feed: [await this.#draft('calendar.event.updated', saved, calendar)],
        };
      }),
    );
    this.#after(ctx, { before: existing ?? null, after, calendar });
    return this.#respond(ctx, after, calendar);
  }

  /**
   * Inside the booking transaction: rewrite each attendee's booking document first (so a
   * concurrent booking of the same person conflicts and retries), then read their busy time.
   * The attendees are who is being booked; an organizer who is not among them may overlap their
   * own events, as in every calendar app (their time still shows as busy to others).
   */
  async #assertBookable(
    ctx: AuthedContext,
    doc: EventDoc,
    excludeId: string | null,
    force: boolean,
    session: ClientSession,
  ) {
    const ids = [...new Set(doc.attendees.map((a) => String(a.userId)))];
    // An event that does not take anyone's time (all-day ones, "free" ones) books nothing.
    if (ids.length === 0 || !doc.busy) return;
    await this.#d.events.lockPeople(ids, session);
    const users = await this.#d.users.findByIds(ids);
    const people = users.map((u) => ({ id: String(u._id), name: u.name }));
    const calendars = new Map<string, CalendarDoc | null>();
    const conflicts = await findConflicts(
      { events: this.#d.events, availability: this.#d.availability },
      { doc, excludeId },
      people,
      (other) => {
        const key = String(other.calendarId);
        return canReadDetails(this.#d.access, ctx.actor, other, calendars.get(key) ?? null) ? other.title : null;
      },
      session,
    );
    if (conflicts.length === 0) return;
    if (!force) throw new BookingConflictError(conflicts);
    // The denial is journaled after the transaction: the journal writer is busy with this one.
    if (!this.#d.access.can(ctx.actor, 'calendar.force')) throw new ForceDenied();
  }

  /** Runs a booking; a refused "book anyway" is journaled and answered 403 once the transaction is over. */
  async #booking<T>(ctx: AuthedContext, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ForceDenied) await this.#d.access.authorize(ctx, 'calendar.force');
      throw error;
    }
  }

  async #checkAttendees(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const users = await this.#d.users.findByIds(ids);
    const now = new Date();
    const active = new Set(users.filter((u) => !inactiveReason(u, now)).map((u) => String(u._id)));
    const fields: Record<string, string> = {};
    ids.forEach((id, i) => {
      if (!active.has(id)) fields[`attendees.${i}`] = 'No active user with this id';
    });
    if (Object.keys(fields).length > 0) throw new ValidationError(fields);
    return ids;
  }

  async #load(ctx: AuthedContext, id: string): Promise<{ doc: EventDoc; calendar: CalendarDoc | null }> {
    await this.#d.access.authorize(ctx, 'calendar.read');
    const doc = await this.#d.events.findById(id);
    if (!doc) throw new NotFoundError('Event');
    const calendar = await this.#d.calendars.findById(String(doc.calendarId));
    // Busy-only viewers never get the event itself: for them it does not exist.
    if (!canReadDetails(this.#d.access, ctx.actor, doc, calendar)) throw new NotFoundError('Event');
    return { doc, calendar };
  }

  async #calendarFor(ctx: AuthedContext, action: 'calendar.read' | 'calendar.write', id: string): Promise<CalendarDoc> {
    const calendar =
      id === ctx.actor.id ? await this.#d.calendars.personal(id, ctx.actor.name) : await this.#d.calendars.findById(id);
    if (!calendar) throw new NotFoundError('Calendar');
    await this.#d.access.authorizeVisible(ctx, 'calendar.read', calendarResource(calendar), 'Calendar');
    if (action === 'calendar.write') await this.#d.access.authorize(ctx, 'calendar.write', calendarResource(calendar));
    return calendar;
  }

  async #readableTeamCalendars(ctx: AuthedContext): Promise<CalendarDoc[]> {
    const admin = ctx.actor.role === 'Owner' || ctx.actor.role === 'Admin';
    const list = admin
      ? await this.#d.calendars.allTeamCalendars()
      : await this.#d.calendars.teamCalendarsOf(ctx.actor.id);
    return list.filter((c) => this.#d.access.can(ctx.actor, 'calendar.read', calendarResource(c)));
  }

  async #calendarsById(ids: string[]): Promise<Map<string, CalendarDoc>> {
    const docs = await Promise.all(unique(ids).map((id) => this.#d.calendars.findById(id)));
    return new Map(docs.filter((d): d is CalendarDoc => d !== null).map((d) => [String(d._id), d]));
  }

  async #names(docs: EventDoc[]): Promise<Map<string, string>> {
    const ids = unique(docs.flatMap((d) => d.attendees.map((a) => String(a.userId))));
    if (ids.length === 0) return new Map();
    const users = await this.#d.users.findByIds(ids);
    return new Map(users.map((u) => [String(u._id), u.name]));
  }

  async #zoneOf(userId: string): Promise<string> {
    const [user] = await this.#d.users.findByIds([userId]);
    return user?.timeZone ?? 'UTC';
  }

  async #respond(ctx: AuthedContext, doc: EventDoc, calendar: CalendarDoc | null): Promise<EventResponse> {
    const names = await this.#names([doc]);
    const writable = canWrite(this.#d.access, ctx.actor, doc, calendar);
    return {
      event: presentEvent(doc, names, false),
      abilities: {
        'calendar.write': writable,
        'calendar.force': writable && this.#d.access.can(ctx.actor, 'calendar.force'),
      },
    };
  }

  #stale(doc: EventDoc): ConflictError {
    return new ConflictError(
      'Someone else changed this event; reload it',
      { version: 'Stale version' },
      { event: { version: doc.version } },
    );
  }

  /** Organizer or a writer of its team calendar; anyone else (attendees included) gets a journaled 403. */
  async #authorizeWrite(ctx: AuthedContext, doc: EventDoc, calendar: CalendarDoc | null): Promise<void> {
    if (canWrite(this.#d.access, ctx.actor, doc, calendar)) return;
    await this.#d.access.authorize(ctx, 'calendar.write');
    if (calendar?.kind === 'team') await this.#d.access.authorize(ctx, 'calendar.write', calendarResource(calendar));
    throw new ForbiddenError('Only the organizer changes this event');
  }

  #note(doc: EventDoc): string {
    return `${doc.title.slice(0, calendarLimits.titleMax)} (${doc.allDay ? doc.startDay : doc.start.toISOString()})`;
  }

  async #draft(
    type: 'calendar.event.created' | 'calendar.event.updated' | 'calendar.event.deleted' | 'calendar.event.responded',
    doc: EventDoc,
    calendar: CalendarDoc | null,
    data: Record<string, unknown> = {},
  ): Promise<LibraryFeedDraft> {
    return {
      type,
      projectId: null,
      resource: { kind: 'event', id: String(doc.recurringEventId ?? doc._id), code: '' },
      data: {
        title: doc.title,
        start: doc.start.toISOString(),
        end: doc.end.toISOString(),
        allDay: doc.allDay,
        ...data,
      },
      viewers: await eventViewers({ access: this.#d.access, users: this.#d.users }, doc, calendar),
    };
  }

  /** After the commit: Google sync and the other listeners, then notifications (never failing the request). */
  #after(ctx: AuthedContext, change: Committed): void {
    this.#d.bus.emit('calendar.eventChanged', { before: change.before, after: change.after, fromGoogle: null });
    this.#d.notifier
      .changed(ctx.actor, change.before, change.after)
      .catch((e: unknown) => console.error('[crewdeck] event notifications failed', e));
  }
}
