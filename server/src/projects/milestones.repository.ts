import type { ClientSession } from 'mongoose';
import { oid, oids } from '../db/ids.ts';
import { MilestoneModel, type MilestoneDoc, type MilestoneStatus } from './milestones.model.ts';
import { live, restoreSet, trashed, trashSet } from './trash.ts';

export interface MilestoneFields {
  title?: string;
  description?: string;
  startDate?: Date | null;
  dueDate?: Date | null;
  status?: MilestoneStatus;
}

/** The only code touching the milestones collection. Trashed milestones are invisible unless asked for. */
export class MilestonesRepository {
  async findById(id: string, session?: ClientSession): Promise<MilestoneDoc | null> {
    return MilestoneModel.findOne({ _id: oid(id), ...live }, null, { session }).lean<MilestoneDoc>();
  }

  async findTrashed(id: string, session?: ClientSession): Promise<MilestoneDoc | null> {
    return MilestoneModel.findOne({ _id: oid(id), ...trashed }, null, { session }).lean<MilestoneDoc>();
  }

  async listByProject(projectId: string): Promise<MilestoneDoc[]> {
    return MilestoneModel.find({ projectId: oid(projectId), ...live })
      .sort({ dueDate: 1, _id: 1 })
      .lean<MilestoneDoc[]>();
  }

  /** Milestones deleted on their own (not with their project) in the given projects. */
  async listTrashed(projectIds: string[]): Promise<MilestoneDoc[]> {
    return MilestoneModel.find({ projectId: { $in: oids(projectIds) }, ...trashed, trashedWith: null }).lean<
      MilestoneDoc[]
    >();
  }

  async create(
    data: MilestoneFields & { projectId: string; code: string; title: string },
    session: ClientSession,
  ): Promise<MilestoneDoc> {
    const [doc] = await MilestoneModel.create([{ ...data, projectId: oid(data.projectId) }], { session });
    return doc.toObject<MilestoneDoc>();
  }

  async update(id: string, changes: MilestoneFields, session: ClientSession): Promise<MilestoneDoc | null> {
    return MilestoneModel.findOneAndUpdate(
      { _id: oid(id), ...live },
      { $set: changes },
      { returnDocument: 'after', session },
    ).lean<MilestoneDoc>();
  }

  async trash(id: string, by: string, at: Date, session: ClientSession): Promise<void> {
    await MilestoneModel.updateOne({ _id: oid(id), ...live }, trashSet(by, at), { session });
  }

  /** Trashes the live milestones of a project being deleted, as taken along by it. */
  async trashOfProject(projectId: string, by: string, at: Date, session: ClientSession): Promise<void> {
    await MilestoneModel.updateMany({ projectId: oid(projectId), ...live }, trashSet(by, at, projectId), { session });
  }

  async restore(id: string, session: ClientSession): Promise<MilestoneDoc | null> {
    return MilestoneModel.findOneAndUpdate({ _id: oid(id), ...trashed }, restoreSet, {
      returnDocument: 'after',
      session,
    }).lean<MilestoneDoc>();
  }

  /** Restores what the deletion of `rootId` took along. */
  async restoreWith(rootId: string, session: ClientSession): Promise<void> {
    await MilestoneModel.updateMany({ trashedWith: oid(rootId) }, restoreSet, { session });
  }
}
