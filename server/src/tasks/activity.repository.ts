import type { ClientSession, QueryFilter } from 'mongoose';
import { oid, oids } from '../db/ids.ts';
import { live, restoreSet, trashed, trashSet } from '../projects/trash.ts';
import { CommentModel, TimeLogModel, type CommentDoc, type TimeLogDoc } from './activity.model.ts';

/** The only code touching task comments and time logs. Trashed comments are invisible unless asked for. */
export class ActivityRepository {
  async addComment(
    data: { taskId: string; projectId: string; authorId: string; body: string; mentions: string[] },
    session: ClientSession,
  ): Promise<CommentDoc> {
    const doc = {
      ...data,
      taskId: oid(data.taskId),
      projectId: oid(data.projectId),
      authorId: oid(data.authorId),
      mentions: oids(data.mentions),
    };
    const [created] = await CommentModel.create([doc], { session });
    return created.toObject<CommentDoc>();
  }

  async comments(taskId: string): Promise<CommentDoc[]> {
    return CommentModel.find({ taskId: oid(taskId), ...live })
      .sort({ createdAt: 1, _id: 1 })
      .lean<CommentDoc[]>();
  }

  async addTimeLog(
    data: { taskId: string; projectId: string; userId: string; date: Date; hours: number; note: string },
    session: ClientSession,
  ): Promise<TimeLogDoc> {
    const doc = { ...data, taskId: oid(data.taskId), projectId: oid(data.projectId), userId: oid(data.userId) };
    const [created] = await TimeLogModel.create([doc], { session });
    return created.toObject<TimeLogDoc>();
  }

  async timeLogs(taskId: string): Promise<TimeLogDoc[]> {
    return TimeLogModel.find({ taskId: oid(taskId) })
      .sort({ date: 1, _id: 1 })
      .lean<TimeLogDoc[]>();
  }

  /** Time logs of a project, optionally only of the given tasks. */
  async timeLogsOfProject(projectId: string, taskIds?: string[]): Promise<TimeLogDoc[]> {
    const query: QueryFilter<TimeLogDoc> = { projectId: oid(projectId) };
    if (taskIds) query.taskId = { $in: oids(taskIds) };
    return TimeLogModel.find(query).lean<TimeLogDoc[]>();
  }

  async findComment(id: string, session?: ClientSession): Promise<CommentDoc | null> {
    return CommentModel.findOne({ _id: oid(id), ...live }, null, { session }).lean<CommentDoc>();
  }

  async findTrashedComment(id: string, session?: ClientSession): Promise<CommentDoc | null> {
    return CommentModel.findOne({ _id: oid(id), ...trashed }, null, { session }).lean<CommentDoc>();
  }

  async editComment(
    id: string,
    changes: { body: string; mentions: string[]; editedAt: Date },
    session: ClientSession,
  ): Promise<CommentDoc | null> {
    return CommentModel.findOneAndUpdate(
      { _id: oid(id), ...live },
      { $set: { ...changes, mentions: oids(changes.mentions) } },
      { returnDocument: 'after', session },
    ).lean<CommentDoc>();
  }

  async trashComment(id: string, by: string, at: Date, session: ClientSession): Promise<void> {
    await CommentModel.updateOne({ _id: oid(id), ...live }, trashSet(by, at), { session });
  }

  /** Trashes the live comments of tasks being deleted (or of a project), as taken along by `rootId`. */
  async trashCommentsOf(
    scope: { taskIds: string[] } | { projectId: string },
    rootId: string,
    by: string,
    at: Date,
    session: ClientSession,
  ): Promise<void> {
    const filter: QueryFilter<CommentDoc> =
      'projectId' in scope ? { projectId: oid(scope.projectId) } : { taskId: { $in: oids(scope.taskIds) } };
    await CommentModel.updateMany({ ...filter, ...live }, trashSet(by, at, rootId), { session });
  }

  async restoreComment(id: string, session: ClientSession): Promise<CommentDoc | null> {
    return CommentModel.findOneAndUpdate({ _id: oid(id), ...trashed }, restoreSet, {
      returnDocument: 'after',
      session,
    }).lean<CommentDoc>();
  }

  /** Restores the comments the deletion of `rootId` took along. */
  async restoreCommentsWith(rootId: string, session: ClientSession): Promise<void> {
    await CommentModel.updateMany({ trashedWith: oid(rootId) }, restoreSet, { session });
  }

  /** Comments deleted on their own in the given projects. */
  async trashedComments(projectIds: string[]): Promise<CommentDoc[]> {
    return CommentModel.find({ projectId: { $in: oids(projectIds) }, ...trashed, trashedWith: null }).lean<
      CommentDoc[]
    >();
  }

  async hasTimeLogs(projectId: string): Promise<boolean> {
    return (await TimeLogModel.countDocuments({ projectId: oid(projectId) })) > 0;
  }
}
