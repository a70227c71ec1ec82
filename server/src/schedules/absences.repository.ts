import type { ClientSession, QueryFilter } from 'mongoose';
import type { AbsenceKind } from '@crewdeck/shared/calendar';
import { oid, oids } from '../db/ids.ts';
import { AbsenceModel, type AbsenceDoc, type AbsenceStatus } from './absences.model.ts';

export interface NewAbsence {
  userId: string;
  kind: AbsenceKind;
  startDay: string;
  endDay: string;
  note: string;
  status: 'pending' | 'approved';
  requestedBy: string;
  decidedBy: string | null;
  decidedAt: Date | null;
}

export interface AbsenceFilter {
  /** Only these people's absences. */
  userIds?: readonly string[];
  status?: AbsenceStatus;
  /** Absences touching these days (inclusive). */
  fromDay?: string;
  toDay?: string;
}

/** Statuses that take the days: a second request over them is refused. */
const holding: AbsenceStatus[] = ['pending', 'approved'];

function criteria(filter: AbsenceFilter): QueryFilter<AbsenceDoc> {
  const query: QueryFilter<AbsenceDoc> = {};
  if (filter.userIds) query.userId = { $in: oids(filter.userIds) };
  if (filter.status) query.status = filter.status;
  if (filter.toDay) query.startDay = { $lte: filter.toDay };
  if (filter.fromDay) query.endDay = { $gte: filter.fromDay };
  return query;
}

/** The only code touching the absences collection. */
export class AbsencesRepository {
  async create(data: NewAbsence, session: ClientSession): Promise<AbsenceDoc> {
    const [doc] = await AbsenceModel.create(
      [
        {
          ...data,
          userId: oid(data.userId),
          requestedBy: oid(data.requestedBy),
          decidedBy: optionalOid(data.decidedBy),
        },
      ],
      { session },
    );
    return doc.toObject<AbsenceDoc>();
  }

  async findById(id: string, session?: ClientSession): Promise<AbsenceDoc | null> {
    return AbsenceModel.findById(oid(id), null, { session }).lean<AbsenceDoc>();
  }

  async list(filter: AbsenceFilter, limit = 500, session?: ClientSession): Promise<AbsenceDoc[]> {
    return AbsenceModel.find(criteria(filter), null, { session })
      .sort({ startDay: 1, _id: 1 })
      .limit(limit)
      .lean<AbsenceDoc[]>();
  }

  /** Pending or approved absences of `userId` sharing a day with `startDay`–`endDay`. */
  async overlapping(userId: string, startDay: string, endDay: string, session: ClientSession): Promise<AbsenceDoc[]> {
    return AbsenceModel.find(
      { ...criteria({ userIds: [userId], fromDay: startDay, toDay: endDay }), status: { $in: holding } },
      null,
      { session },
    ).lean<AbsenceDoc[]>();
  }

  /** Approved absences of several people touching the days: one query (availability). */
  async approvedFor(
    userIds: readonly string[],
    fromDay: string,
    toDay: string,
    session?: ClientSession,
  ): Promise<AbsenceDoc[]> {
    if (userIds.length === 0) return [];
    return AbsenceModel.find(criteria({ userIds, status: 'approved', fromDay, toDay }), null, { session }).lean<
      AbsenceDoc[]
    >();
  }

  /** Moves an absence on only from the status the caller saw, so two deciders cannot both win. */
  async setStatus(
    id: string,
    from: readonly AbsenceStatus[],
    change: { status: AbsenceStatus; decidedBy?: string; decidedAt?: Date },
    session: ClientSession,
  ): Promise<AbsenceDoc | null> {
    const set = {
      status: change.status,
      ...(change.decidedBy ? { decidedBy: oid(change.decidedBy), decidedAt: change.decidedAt ?? new Date() } : {}),
    };
    return AbsenceModel.findOneAndUpdate(
      { _id: oid(id), status: { $in: [...from] } },
      { $set: set },
      { returnDocument: 'after', session },
    ).lean<AbsenceDoc>();
  }
}

const optionalOid = (id: string | null) => (id === null ? null : oid(id));

/** What the Google sync knows about an "out of office" event of a connected person. */
export interface MirroredAbsence {
  userId: string;
  googleEventId: string;
  startDay: string;
  /** The last day, inclusive (a Google all-day event's `end.date` minus one day). */
  endDay: string;
  title: string;
  /** The sync pass that saw it (full resyncs sweep the ones an older pass saw). */
  mark?: number;
}

/**
 * Stores (or updates) the absence mirrored from a Google "out of office" event: approved, since
 * the person set it themselves in their own calendar, and unique per person and Google event, so
 * a repeated sync never duplicates it. Not checked for overlaps: Google is the source of truth.
 */
export async function upsertMirroredAbsence(input: MirroredAbsence, session?: ClientSession): Promise<void> {
  const userId = oid(input.userId);
  await AbsenceModel.updateOne(
    { userId, googleEventId: input.googleEventId },
    {
      $set: {
        startDay: input.startDay,
        endDay: input.endDay,
        note: input.title,
        status: 'approved',
        syncMark: input.mark ?? 0,
      },
      $setOnInsert: { userId, kind: 'dayOff', source: 'google', requestedBy: userId, decidedBy: null, decidedAt: null },
    },
    { upsert: true, session },
  );
}

/**
 * After a full Google listing: mirrored absences it did not return (their mark is older) are gone
 * from Google, since full listings never report deletions. Returns how many went.
 */
export async function sweepMirroredAbsences(userId: string, mark: number, session?: ClientSession): Promise<number> {
  const res = await AbsenceModel.deleteMany(
    { userId: oid(userId), source: 'google', syncMark: { $lt: mark } },
    { session },
  );
  return res.deletedCount;
}

/** Removes the mirror of a Google event that was deleted or is no longer "out of office". */
export async function removeMirroredAbsence(
  userId: string,
  googleEventId: string,
  session?: ClientSession,
): Promise<void> {
  await AbsenceModel.deleteOne({ userId: oid(userId), googleEventId }, { session });
}
