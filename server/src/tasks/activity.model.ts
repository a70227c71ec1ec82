import mongoose from 'mongoose';
import { addTrashIndex, trashPaths, type TrashFields } from '../projects/trash.ts';

type Id = mongoose.Types.ObjectId;
const ObjectId = mongoose.Schema.Types.ObjectId;

export interface CommentDoc extends TrashFields {
  _id: Id;
  taskId: Id;
  projectId: Id;
  authorId: Id;
  body: string;
  mentions: Id[];
  createdAt: Date;
  /** Last edit of the text, or null. */
  editedAt?: Date | null;
}

const commentSchema = new mongoose.Schema<CommentDoc>(
  {
    taskId: { type: ObjectId, required: true, index: true },
    projectId: { type: ObjectId, required: true },
    authorId: { type: ObjectId, required: true },
    body: { type: String, required: true },
    mentions: { type: [ObjectId], default: [] },
    editedAt: { type: Date, default: null },
    ...trashPaths,
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false, collection: 'task_comments' },
);
addTrashIndex(commentSchema);

export const CommentModel = mongoose.model<CommentDoc>('TaskComment', commentSchema);

export interface TimeLogDoc {
  _id: Id;
  taskId: Id;
  projectId: Id;
  userId: Id;
  /** Day worked (UTC midnight). */
  date: Date;
  hours: number;
  note: string;
  createdAt: Date;
}

const timeLogSchema = new mongoose.Schema<TimeLogDoc>(
  {
    taskId: { type: ObjectId, required: true, index: true },
    projectId: { type: ObjectId, required: true, index: true },
    userId: { type: ObjectId, required: true },
    date: { type: Date, required: true },
    hours: { type: Number, required: true },
    note: { type: String, default: '' },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false, collection: 'task_time_logs' },
);

export const TimeLogModel = mongoose.model<TimeLogDoc>('TaskTimeLog', timeLogSchema);
