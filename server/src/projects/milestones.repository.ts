import type { ClientSession } from 'mongoose';
import { oid } from '../db/ids.ts';
import { MilestoneModel, type MilestoneDoc, type MilestoneStatus } from './milestones.model.ts';

export interface MilestoneFields {
  title?: string;
  description?: string;
  startDate?: Date | null;
  dueDate?: Date | null;
  status?: MilestoneStatus;
}

/** The only code touching the milestones collection. */
export class MilestonesRepository {
  async findById(id: string, session?: ClientSession): Promise<MilestoneDoc | null> {
    return MilestoneModel.findById(oid(id), null, { session }).lean<MilestoneDoc>();
  }

  async listByProject(projectId: string): Promise<MilestoneDoc[]> {
    return MilestoneModel.find({ projectId: oid(projectId) })
      .sort({ dueDate: 1, _id: 1 })
      .lean<MilestoneDoc[]>();
  }

  async create(
    data: MilestoneFields & { projectId: string; code: string; title: string },
    session: ClientSession,
  ): Promise<MilestoneDoc> {
    const [doc] = await MilestoneModel.create([{ ...data, projectId: oid(data.projectId) }], { session });
    return doc.toObject<MilestoneDoc>();
  }

  async update(id: string, changes: MilestoneFields, session: ClientSession): Promise<MilestoneDoc | null> {
    return MilestoneModel.findByIdAndUpdate(
      oid(id),
      { $set: changes },
      { returnDocument: 'after', session },
    ).lean<MilestoneDoc>();
  }
}
