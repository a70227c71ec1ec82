import type { QueryFilter } from 'mongoose';
import { oid } from '../db/ids.ts';
import { NotificationModel, type NotificationDoc } from './notifications.model.ts';

/** The only code touching the notifications collection. */
export class NotificationsRepository {
  /** Inserts; null when a notification with the same dedupe key exists already. */
  async insert(doc: Omit<NotificationDoc, '_id' | 'userId'> & { userId: string }): Promise<NotificationDoc | null> {
    try {
      const created = await NotificationModel.create({ ...doc, userId: oid(doc.userId) });
      return created.toObject<NotificationDoc>();
    } catch (error) {
      if (typeof error === 'object' && error !== null && 'code' in error && error.code === 11000) return null;
      throw error;
    }
  }

  async exists(dedupeKey: string): Promise<boolean> {
    return (await NotificationModel.countDocuments({ dedupeKey })) > 0;
  }

  async list(
    userId: string,
    options: { unreadOnly: boolean; before?: string; limit: number },
  ): Promise<NotificationDoc[]> {
    const query: QueryFilter<NotificationDoc> = { userId: oid(userId) };
    if (options.unreadOnly) query.read = false;
    if (options.before) query._id = { $lt: oid(options.before) };
    return NotificationModel.find(query).sort({ _id: -1 }).limit(options.limit).lean<NotificationDoc[]>();
  }

  async unreadCount(userId: string): Promise<number> {
    return NotificationModel.countDocuments({ userId: oid(userId), read: false });
  }

  async markRead(userId: string, id?: string): Promise<number> {
    const filter: QueryFilter<NotificationDoc> = { userId: oid(userId), read: false };
    if (id) filter._id = oid(id);
    const result = await NotificationModel.updateMany(filter, { $set: { read: true } });
    return result.modifiedCount;
  }
}
