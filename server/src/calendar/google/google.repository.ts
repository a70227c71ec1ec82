// The only code of the sync touching mongoose models: connections, and the Google links on
// calendar events. Writes that belong to an inbound page take its session.
import mongoose, { type ClientSession } from 'mongoose';
import type { ResponseStatus } from '@crewdeck/shared/calendar';
import { EventModel, type EventDoc, type GoogleLinkDoc } from '../calendar.model.ts';
import { GoogleConnectionModel, type GoogleConnectionDoc } from './google-connection.model.ts';

const oid = (id: string) => new mongoose.Types.ObjectId(id);
type Id = mongoose.Types.ObjectId;

export type ConnectionChanges = Partial<Omit<GoogleConnectionDoc, '_id' | 'userId' | 'createdAt' | 'updatedAt'>>;
export type NewEvent = Omit<EventDoc, '_id' | 'createdAt' | 'updatedAt'>;

export class GoogleConnections {
  find(userId: string, session?: ClientSession): Promise<GoogleConnectionDoc | null> {
    return GoogleConnectionModel.findOne({ userId: oid(userId) }, null, { session }).lean<GoogleConnectionDoc>();
  }

  findByChannel(channelId: string): Promise<GoogleConnectionDoc | null> {
    return GoogleConnectionModel.findOne({ 'channel.id': channelId }).lean<GoogleConnectionDoc>();
  }

  /** Connections worth syncing (have a token and no reconnect pending). */
  active(): Promise<GoogleConnectionDoc[]> {
    return GoogleConnectionModel.find({
      refreshTokenSealed: { $ne: null },
      state: { $ne: 'needsReconnect' },
    }).lean<GoogleConnectionDoc[]>();
  }

  async upsert(userId: string, changes: ConnectionChanges): Promise<GoogleConnectionDoc> {
    const doc = await GoogleConnectionModel.findOneAndUpdate(
      { userId: oid(userId) },
      { $set: changes },
      { upsert: true, returnDocument: 'after', setDefaultsOnInsert: true },
    ).lean<GoogleConnectionDoc>();
    if (!doc) throw new Error('connection upsert returned nothing');
    return doc;
  }

  async update(userId: string, changes: ConnectionChanges, session?: ClientSession): Promise<void> {
    await GoogleConnectionModel.updateOne({ userId: oid(userId) }, { $set: changes }, { session });
  }

  /** Rewrites the connection inside a page transaction: concurrent workers conflict here. */
  async touch(userId: string, changes: ConnectionChanges, imported: number, session: ClientSession): Promise<void> {
    await GoogleConnectionModel.updateOne(
      { userId: oid(userId) },
      { $set: changes, $inc: { syncRev: 1, imported } },
      { session },
    );
  }

  async remove(userId: string): Promise<void> {
    await GoogleConnectionModel.deleteOne({ userId: oid(userId) });
  }
}

export class GoogleEventLinks {
  byGoogleId(userId: string, googleId: string, session?: ClientSession): Promise<EventDoc | null> {
    // The dotted equalities let the `google.userId, google.eventId` index serve the lookup (the
    // embedded store's planner does not look inside `$elemMatch`); `$elemMatch` keeps both on one link.
    const user = oid(userId);
    const filter = {
      'google.userId': user,
      'google.eventId': googleId,
      google: { $elemMatch: { userId: user, eventId: googleId } },
    };
    return EventModel.findOne(filter, null, {
      session,
    }).lean<EventDoc>();
  }

  byId(id: string, session?: ClientSession): Promise<EventDoc | null> {
    if (!mongoose.isValidObjectId(id)) return Promise.resolve(null);
    return EventModel.findById(id, null, { session }).lean<EventDoc>();
  }

  async insert(doc: NewEvent, session: ClientSession): Promise<EventDoc> {
    const [created] = await EventModel.create([doc], { session });
    return created.toObject<EventDoc>();
  }

  /** Replaces synced fields and this user's link; bumps the version like any other edit. */
  async updateMirrored(id: Id, set: Partial<EventDoc>, link: GoogleLinkDoc, session: ClientSession) {
    await EventModel.updateOne(
      { _id: id, 'google.userId': link.userId },
      { $set: { ...set, 'google.$': link }, $inc: { version: 1 } },
      { session },
    );
    return EventModel.findById(id, null, { session }).lean<EventDoc>();
  }

  /** Sets or adds the user's link without touching anything else (no version bump: not an edit). */
  async setLink(id: Id, link: GoogleLinkDoc, session?: ClientSession): Promise<void> {
    const updated = await EventModel.updateOne(
      { _id: id, 'google.userId': link.userId },
      { $set: { 'google.$': link } },
      { session },
    );
    if (updated.matchedCount === 0)
      await EventModel.updateOne(
        { _id: id, 'google.userId': { $ne: link.userId } },
        { $push: { google: link } },
        { session },
      );
  }

  async pullLink(id: Id, userId: string, session?: ClientSession): Promise<void> {
    await EventModel.updateOne({ _id: id }, { $pull: { google: { userId: oid(userId) } } }, { session });
  }

  async setResponse(
    id: Id,
    userId: string,
    response: ResponseStatus,
    session: ClientSession,
  ): Promise<EventDoc | null> {
    await EventModel.updateOne(
      { _id: id, 'attendees.userId': oid(userId) },
      { $set: { 'attendees.$.response': response }, $inc: { version: 1 } },
      { session },
    );
    return EventModel.findById(id, null, { session }).lean<EventDoc>();
  }

  /** A mirrored event and its overridden instances. */
  async removeMirrored(id: Id, session: ClientSession): Promise<void> {
    await EventModel.deleteMany({ $or: [{ _id: id }, { recurringEventId: id }] }, { session });
  }

  /** Events linked to the user's Google calendar whose link the last full listing did not confirm. */
  unconfirmed(userId: string, mark: number, session: ClientSession): Promise<EventDoc[]> {
    return EventModel.find({ google: { $elemMatch: { userId: oid(userId), mark: { $lt: mark } } } }, null, {
      session,
    }).lean<EventDoc[]>();
  }

  mirroredOf(userId: string): Promise<EventDoc[]> {
    return EventModel.find({ source: 'google', 'google.userId': oid(userId) }).lean<EventDoc[]>();
  }

  async removeAllMirrored(userId: string): Promise<void> {
    await EventModel.deleteMany({ source: 'google', 'google.userId': oid(userId) });
    await EventModel.updateMany({ 'google.userId': oid(userId) }, { $pull: { google: { userId: oid(userId) } } });
  }

  /** Crewdeck events of a participant from `from` on: pushed when they connect. */
  crewdeckEventsOf(userId: string, from: Date): Promise<EventDoc[]> {
    return EventModel.find({
      participants: oid(userId),
      source: 'crewdeck',
      rangeEnd: { $gt: from },
      recurringEventId: null,
    }).lean<EventDoc[]>();
  }

  /** Google-only busy intervals: mirrored events that block time (instances are expanded by the caller). */
  busyMirrored(userId: string, from: Date, to: Date): Promise<EventDoc[]> {
    return EventModel.find({
      source: 'google',
      participants: oid(userId),
      busy: true,
      start: { $lt: to },
      rangeEnd: { $gt: from },
    }).lean<EventDoc[]>();
  }
}

export const toOid = oid;
