import mongoose, { type ClientSession } from 'mongoose';
import type { SessionEndReason } from '@crewdeck/shared/realtime';
import { oid } from '../db/ids.ts';
import { SessionModel, type SessionDoc } from './sessions.model.ts';

export interface NewSession {
  tokenHash: string;
  userId: string;
  ip: string;
  userAgent: string;
  now: Date;
  expiresAt: Date;
}

/** The only code touching the sessions collection. */
export class SessionsRepository {
  async create(data: NewSession, session?: ClientSession): Promise<SessionDoc> {
    const [doc] = await SessionModel.create(
      [
        {
          tokenHash: data.tokenHash,
          userId: oid(data.userId),
          ip: data.ip,
          userAgent: data.userAgent,
          createdAt: data.now,
          lastActivityAt: data.now,
          expiresAt: data.expiresAt,
        },
      ],
      { session },
    );
    return doc.toObject<SessionDoc>();
  }

  async findOpenByTokenHash(tokenHash: string): Promise<SessionDoc | null> {
    return SessionModel.findOne({ tokenHash, endedAt: null }).lean<SessionDoc>();
  }

  async touch(id: string, at: Date): Promise<void> {
    await SessionModel.updateOne({ _id: oid(id), endedAt: null }, { $set: { lastActivityAt: at } });
  }

  async end(id: string, reason: SessionEndReason, at: Date, session?: ClientSession): Promise<void> {
    await SessionModel.updateOne(
      { _id: oid(id), endedAt: null },
      { $set: { endedAt: at, endReason: reason } },
      { session },
    );
  }

  /** Ends every open session of a user (optionally but one) and returns their ids. */
  async endAllForUser(
    userId: string,
    reason: SessionEndReason,
    options: { session?: ClientSession; exceptId?: string } = {},
  ): Promise<string[]> {
    const filter: mongoose.QueryFilter<SessionDoc> = { userId: oid(userId), endedAt: null };
    if (options.exceptId) filter._id = { $ne: oid(options.exceptId) };
    const open = await SessionModel.find(filter, { _id: 1 }, { session: options.session }).lean<
      Pick<SessionDoc, '_id'>[]
    >();
    if (open.length === 0) return [];
    const ids = open.map((s) => s._id);
    await SessionModel.updateMany(
      { _id: { $in: ids }, endedAt: null },
      { $set: { endedAt: new Date(), endReason: reason } },
      { session: options.session },
    );
    return ids.map(String);
  }

  /** Users that have at least one open session. */
  async usersWithOpenSessions(): Promise<string[]> {
    const ids = await SessionModel.distinct('userId', { endedAt: null });
    return ids.map(String);
  }

  /** Sessions overlapping [from, to), optionally for one user. */
  async overlapping(from: Date, to: Date, userId?: string): Promise<SessionDoc[]> {
    const filter: mongoose.QueryFilter<SessionDoc> = {
      createdAt: { $lt: to },
      $or: [{ endedAt: null, lastActivityAt: { $gte: from } }, { endedAt: { $gte: from } }],
    };
    if (userId) filter.userId = oid(userId);
    return SessionModel.find(filter).lean<SessionDoc[]>();
  }
}
