import mongoose from 'mongoose';
import { addTrashIndex, trashPaths, type TrashFields } from './trash.ts';

export type MilestoneStatus = 'planned' | 'active' | 'completed' | 'canceled';

export interface MilestoneDoc extends TrashFields {
  _id: mongoose.Types.ObjectId;
  projectId: mongoose.Types.ObjectId;
  /** `<prefix>-M<n>`. */
  code: string;
  title: string;
  description: string;
  startDate: Date | null;
  dueDate: Date | null;
  status: MilestoneStatus;
  createdAt: Date;
  updatedAt: Date;
}

const milestoneSchema = new mongoose.Schema<MilestoneDoc>(
  {
    projectId: { type: mongoose.Schema.Types.ObjectId, required: true, index: true },
    code: { type: String, required: true, unique: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    startDate: { type: Date, default: null },
    dueDate: { type: Date, default: null },
    status: { type: String, enum: ['planned', 'active', 'completed', 'canceled'], default: 'planned' },
    ...trashPaths,
  },
  { timestamps: true, versionKey: false, collection: 'milestones' },
);
addTrashIndex(milestoneSchema);

export const MilestoneModel = mongoose.model<MilestoneDoc>('Milestone', milestoneSchema);
