import mongoose from 'mongoose';
import { projectRoles, type ProjectRole, type StatusDef } from '@crewdeck/shared/projects';
import { addTrashIndex, trashPaths, type TrashFields } from './trash.ts';

export interface ProjectMemberDoc {
  userId: mongoose.Types.ObjectId;
  role: ProjectRole;
}

export interface ProjectDoc extends TrashFields {
  _id: mongoose.Types.ObjectId;
  /** Code prefix, e.g. `WEB`; unique. */
  code: string;
  name: string;
  description: string;
  archived: boolean;
  statuses: StatusDef[];
  members: ProjectMemberDoc[];
  /** Last task number handed out (`WEB-<n>`). */
  taskSeq: number;
  /** Last milestone number handed out (`WEB-M<n>`). */
  milestoneSeq: number;
  createdAt: Date;
  updatedAt: Date;
}

const statusSchema = new mongoose.Schema<StatusDef>(
  {
    key: { type: String, required: true },
    name: { type: String, required: true },
    category: { type: String, required: true },
  },
  { _id: false },
);

const memberSchema = new mongoose.Schema<ProjectMemberDoc>(
  {
    userId: { type: mongoose.Schema.Types.ObjectId, required: true },
    role: { type: String, enum: projectRoles, required: true },
  },
  { _id: false },
);

const projectSchema = new mongoose.Schema<ProjectDoc>(
  {
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    description: { type: String, default: '' },
    archived: { type: Boolean, default: false },
    statuses: { type: [statusSchema], required: true },
    members: { type: [memberSchema], default: [] },
    taskSeq: { type: Number, default: 0 },
    milestoneSeq: { type: Number, default: 0 },
    ...trashPaths,
  },
  { timestamps: true, versionKey: false, collection: 'projects' },
);
addTrashIndex(projectSchema);

export const ProjectModel = mongoose.model<ProjectDoc>('Project', projectSchema);
