import mongoose from 'mongoose';
import { notificationKinds, type NotificationKind } from '@crewdeck/shared/notifications';

type Id = mongoose.Types.ObjectId;

export interface NotificationDoc {
  _id: Id;
  userId: Id;
  kind: NotificationKind;
  read: boolean;
  at: Date;
  actor: { id: string; name: string } | null;
  projectId: string;
  task: { id: string; code: string; title: string };
  data: Record<string, unknown>;
  /** Unique; `<kind>:<task>:<user>` for sweep kinds so a sweep never notifies twice. */
  dedupeKey: string;
}

const notificationSchema = new mongoose.Schema<NotificationDoc>(
  {
    userId: { type: mongoose.Schema.Types.ObjectId, required: true, index: true },
    kind: { type: String, enum: notificationKinds, required: true },
    read: { type: Boolean, default: false },
    at: { type: Date, required: true },
    actor: { type: new mongoose.Schema({ id: String, name: String }, { _id: false }), default: null },
    projectId: { type: String, required: true },
    task: { type: new mongoose.Schema({ id: String, code: String, title: String }, { _id: false }), required: true },
    data: { type: mongoose.Schema.Types.Mixed, default: {} },
    dedupeKey: { type: String, required: true, unique: true },
  },
  { versionKey: false, collection: 'notifications', minimize: false },
);

export const NotificationModel = mongoose.model<NotificationDoc>('Notification', notificationSchema);
