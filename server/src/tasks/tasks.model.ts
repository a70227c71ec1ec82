import mongoose from 'mongoose';
import type { Priority } from '@crewdeck/shared/tasks';
import { addTrashIndex, trashPaths, type TrashFields } from '../projects/trash.ts';

type Id = mongoose.Types.ObjectId;

export interface TaskDoc extends TrashFields {
  _id: Id;
  projectId: Id;
  /** Number within the project: `code` is `<prefix>-<number>`. */
  number: number;
  code: string;
  parentId: Id | null;
  title: string;
  description: string;
  status: string;
  priority: Priority;
  assignees: Id[];
  watchers: Id[];
  estimate: number | null;
  startDate: Date | null;
  dueDate: Date | null;
  milestoneId: Id | null;
  labels: string[];
  billable: boolean;
  hourlyRate: number | null;
  loggedHours: number;
  /** Hours behind schedule as the last sweep found (0: on track); the sweep alone writes it. */
  behindBy?: number;
  /** Optimistic concurrency: every edit bumps it; a PATCH must name the version it saw. */
  version: number;
  createdBy: Id;
  /** Who made the last edit (null until the first one): the web names them on a live change. */
  updatedBy: Id | null;
  createdAt: Date;
  updatedAt: Date;
}

const ObjectId = mongoose.Schema.Types.ObjectId;

const taskSchema = new mongoose.Schema<TaskDoc>(
  {
    projectId: { type: ObjectId, required: true, index: true },
    number: { type: Number, required: true },
    code: { type: String, required: true, unique: true },
    parentId: { type: ObjectId, default: null },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    status: { type: String, required: true },
    priority: { type: String, default: 'normal' },
    assignees: { type: [ObjectId], default: [] },
    watchers: { type: [ObjectId], default: [] },
    estimate: { type: Number, default: null },
    startDate: { type: Date, default: null },
    dueDate: { type: Date, default: null },
    milestoneId: { type: ObjectId, default: null },
    labels: { type: [String], default: [] },
    billable: { type: Boolean, default: false },
    hourlyRate: { type: Number, default: null },
    loggedHours: { type: Number, default: 0 },
    behindBy: { type: Number, default: 0 },
    version: { type: Number, required: true, default: 1 },
    createdBy: { type: ObjectId, required: true },
    updatedBy: { type: ObjectId, default: null },
    ...trashPaths,
  },
  { timestamps: true, versionKey: false, collection: 'tasks' },
);
addTrashIndex(taskSchema);

export const TaskModel = mongoose.model<TaskDoc>('Task', taskSchema);
