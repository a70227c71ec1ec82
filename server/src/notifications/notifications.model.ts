import type { NotificationSubjectKind } from '@crewdeck/shared/notifications';
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
  projectId: string | null;
  task: { id: string; code: string; title: string } | null;
  subject: { kind: NotificationSubjectKind; id: string; title: string } | null;
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
    projectId: { type: String, default: null },
    task: { type: new mongoose.Schema({ id: String, code: String, title: String }, { _id: false }), default: null },
    subject: { type: new mongoose.Schema({ kind: String, id: String, title: String }, { _id: false }), default: null },
    data: { type: mongoose.Schema.Types.Mixed, default: {} },
    dedupeKey: { type: String, required: true, unique: true },
  },
  { versionKey: false, collection: 'notifications', minimize: false },
);

export const NotificationModel = mongoose.model<NotificationDoc>('Notification', notificationSchema);
