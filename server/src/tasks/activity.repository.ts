import type { ClientSession, QueryFilter } from 'mongoose';
import { oid, oids } from '../db/ids.ts';
import { CommentModel, TimeLogModel, type CommentDoc, type TimeLogDoc } from './activity.model.ts';

/** The only code touching task comments and time logs. */
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
    return CommentModel.find({ taskId: oid(taskId) })
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

  async deleteCommentsOf(taskIds: string[], session: ClientSession): Promise<void> {
    await CommentModel.deleteMany({ taskId: { $in: oids(taskIds) } }, { session });
  }
}
