import mongoose, { type ClientSession } from 'mongoose';
import { BookingLockModel, CalendarModel, EventModel, type CalendarDoc, type EventDoc } from './calendar.model.ts';

const oid = (id: string) => new mongoose.Types.ObjectId(id);
const oids = (ids: Iterable<string>) => [...new Set(ids)].map(oid);

export type NewEvent = Omit<EventDoc, '_id' | 'createdAt' | 'updatedAt'>;
export type EventChanges = Partial<Omit<EventDoc, '_id' | 'createdAt' | 'updatedAt' | 'version' | 'createdBy'>>;

/** A series or single event with the overrides of its instances. */
export interface EventWithOverrides {
  master: EventDoc;
  overrides: EventDoc[];
}

/** Groups overrides under their series; overrides whose series is not in `docs` stand alone. */
function groupSeries(docs: EventDoc[], extraOverrides: EventDoc[]): EventWithOverrides[] {
  const byId = new Map<string, EventWithOverrides>();
  const loose: EventDoc[] = [];
  for (const doc of docs) if (!doc.recurringEventId) byId.set(String(doc._id), { master: doc, overrides: [] });
  const seen = new Set<string>();
  for (const doc of [...docs, ...extraOverrides]) {
    if (!doc.recurringEventId || seen.has(String(doc._id))) continue;
    seen.add(String(doc._id));
    const series = byId.get(String(doc.recurringEventId));
    if (series) series.overrides.push(doc);
    else loose.push(doc);
  }
  // An override moved into the range whose series is outside it still shows (as a single event).
  return [...byId.values(), ...loose.map((doc) => ({ master: { ...doc, rrule: null }, overrides: [] }))];
}

export class EventsRepository {
  async findById(id: string, session?: ClientSession): Promise<EventDoc | null> {
    return EventModel.findById(id, null, { session }).lean<EventDoc>();
  }

  async overridesOf(seriesId: string, session?: ClientSession): Promise<EventDoc[]> {
    return EventModel.find({ recurringEventId: oid(seriesId) }, null, { session }).lean<EventDoc[]>();
  }

  /** Events touching [from, to) whose busy time belongs to one of `userIds`, grouped by series. */
  async ofParticipants(
    userIds: string[],
    from: Date,
    to: Date,
    session?: ClientSession,
  ): Promise<EventWithOverrides[]> {
    return this.#inRange({ participants: { $in: oids(userIds) } }, from, to, session);
  }

  async ofCalendars(calendarIds: string[], from: Date, to: Date): Promise<EventWithOverrides[]> {
    return this.#inRange({ calendarId: { $in: oids(calendarIds) } }, from, to);
  }

  /** Every event of a person (organizer or attendee) or a calendar, for the iCal feed. */
  async allOf(filter: { userId?: string; calendarId?: string }, since: Date): Promise<EventWithOverrides[]> {
    const match = filter.calendarId
      ? { calendarId: oid(filter.calendarId) }
      : { participants: oid(filter.userId ?? '') };
    return this.#inRange(match, since, new Date('9999-12-31T00:00:00.000Z'));
  }

  async #inRange(
    match: mongoose.QueryFilter<EventDoc>,
    from: Date,
    to: Date,
    session?: ClientSession,
  ): Promise<EventWithOverrides[]> {
    const docs = await EventModel.find({ ...match, start: { $lt: to }, rangeEnd: { $gt: from } }, null, {
      session,
    }).lean<EventDoc[]>();
    const seriesIds = docs.filter((d) => d.rrule).map((d) => d._id);
    // Overrides moved out of the range still cancel their original occurrence inside it.
    const overrides =
      seriesIds.length === 0
        ? []
        : await EventModel.find({ recurringEventId: { $in: seriesIds } }, null, { session }).lean<EventDoc[]>();
    return groupSeries(docs, overrides);
  }

  /** Events with reminders that may have an occurrence in [from, to) (for the reminder sweep). */
  async withReminders(from: Date, to: Date): Promise<EventWithOverrides[]> {
    return this.#inRange({ 'reminders.0': { $exists: true } }, from, to);
  }

  async insert(doc: NewEvent, session: ClientSession): Promise<EventDoc> {
    const [created] = await EventModel.create([doc], { session });
    return created.toObject<EventDoc>();
  }

  /** Applies `changes` if the event is still at `version`; null when someone else changed it first. */
  async updateVersioned(id: string, version: number, changes: EventChanges, by: string, session: ClientSession) {
    return EventModel.findOneAndUpdate(
      { _id: oid(id), version },
      { $set: { ...changes, updatedBy: oid(by) }, $inc: { version: 1 } },
      { returnDocument: 'after', session },
    ).lean<EventDoc>();
  }

  async remove(ids: mongoose.Types.ObjectId[], session: ClientSession): Promise<void> {
    await EventModel.deleteMany({ $or: [{ _id: { $in: ids } }, { recurringEventId: { $in: ids } }] }, { session });
  }

  /**
   * Makes sure every person has a booking document. Called before the transaction: an upsert
   * inside concurrent transactions would race on the insert, and a write outside the session
   * while it is open could wait on the transaction itself.
   */
  async ensureLocks(userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    const now = new Date();
    await BookingLockModel.bulkWrite(
      oids(userIds).map((_id) => ({
        updateOne: { filter: { _id }, update: { $setOnInsert: { bookings: 0, at: now } }, upsert: true },
      })),
      { ordered: false },
    ).catch(() => undefined);
  }

  /**
   * Rewrites each person's booking document inside the booking transaction, in id order: from
   * here on two bookings of the same person cannot both commit (the second conflicts, retries,
   * and then reads the first one's event).
   */
  async lockPeople(userIds: string[], session: ClientSession): Promise<void> {
    const ids = oids(userIds).sort((a, b) => a.toHexString().localeCompare(b.toHexString()));
    const now = new Date();
    for (const _id of ids)
      await BookingLockModel.updateOne({ _id }, { $inc: { bookings: 1 }, $set: { at: now } }, { session });
  }
}

export class CalendarsRepository {
  async findById(id: string, session?: ClientSession): Promise<CalendarDoc | null> {
    return CalendarModel.findById(id, null, { session }).lean<CalendarDoc>();
  }

  /** The person's calendar (its id is theirs), created on first use. */
  async personal(userId: string, name: string): Promise<CalendarDoc> {
    const doc = await CalendarModel.findOneAndUpdate(
      { _id: oid(userId) },
      { $setOnInsert: { kind: 'personal', name, color: '#3366cc', ownerId: oid(userId), members: [] } },
      { upsert: true, returnDocument: 'after' },
    ).lean<CalendarDoc>();
    return doc as CalendarDoc;
  }

  /** Team calendars a person created or was given access to. */
  async teamCalendarsOf(userId: string): Promise<CalendarDoc[]> {
    return CalendarModel.find({
      kind: 'team',
      $or: [{ ownerId: oid(userId) }, { 'members.userId': oid(userId) }],
    }).lean<CalendarDoc[]>();
  }

  async allTeamCalendars(): Promise<CalendarDoc[]> {
    return CalendarModel.find({ kind: 'team' }).lean<CalendarDoc[]>();
  }

  async create(
    doc: Omit<CalendarDoc, '_id' | 'createdAt' | 'updatedAt'>,
    session: ClientSession,
  ): Promise<CalendarDoc> {
    const [created] = await CalendarModel.create([doc], { session });
    return created.toObject<CalendarDoc>();
  }

  async update(id: string, changes: Partial<Pick<CalendarDoc, 'name' | 'color' | 'members'>>, session: ClientSession) {
    return CalendarModel.findOneAndUpdate(
      { _id: oid(id) },
      { $set: changes },
      { returnDocument: 'after', session },
    ).lean<CalendarDoc>();
  }
}
