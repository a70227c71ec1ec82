import type { ClientSession, QueryFilter } from 'mongoose';
import type { ProjectRole, StatusDef } from '@crewdeck/shared/projects';
import { oid, oids } from '../db/ids.ts';
import { ProjectModel, type ProjectDoc } from './projects.model.ts';
import { live, restoreSet, trashed, trashSet } from './trash.ts';

export interface NewProject {
  code: string;
  name: string;
  description: string;
  statuses: StatusDef[];
  members: { userId: string; role: ProjectRole }[];
}

export interface ProjectChanges {
  name?: string;
  description?: string;
  archived?: boolean;
  statuses?: StatusDef[];
}

/** The only code touching the projects collection. */
export class ProjectsRepository {
  /** A project not in the trash. */
  async findById(id: string, session?: ClientSession): Promise<ProjectDoc | null> {
    return ProjectModel.findOne({ _id: oid(id), ...live }, null, { session }).lean<ProjectDoc>();
  }

  /** A project in the trash. */
  async findTrashed(id: string, session?: ClientSession): Promise<ProjectDoc | null> {
    return ProjectModel.findOne({ _id: oid(id), ...trashed }, null, { session }).lean<ProjectDoc>();
  }

  /** Every project in the trash. */
  async listTrashed(): Promise<ProjectDoc[]> {
    return ProjectModel.find(trashed).lean<ProjectDoc[]>();
  }

  async trash(id: string, by: string, at: Date, session: ClientSession): Promise<void> {
    await ProjectModel.updateOne({ _id: oid(id), ...live }, trashSet(by, at), { session });
  }

  async restore(id: string, session: ClientSession): Promise<ProjectDoc | null> {
    return ProjectModel.findOneAndUpdate({ _id: oid(id), ...trashed }, restoreSet, {
      returnDocument: 'after',
      session,
    }).lean<ProjectDoc>();
  }

  async findByCode(code: string): Promise<ProjectDoc | null> {
    return ProjectModel.findOne({ code }).lean<ProjectDoc>();
  }

  async findByIds(ids: string[]): Promise<ProjectDoc[]> {
    return ProjectModel.find({ _id: { $in: oids(ids) }, ...live }).lean<ProjectDoc[]>();
  }

  /** Every project, or only those `memberId` belongs to. */
  async list(options: { memberId?: string; includeArchived: boolean }): Promise<ProjectDoc[]> {
    const query: QueryFilter<ProjectDoc> = { ...live };
    if (options.memberId) query['members.userId'] = oid(options.memberId);
    if (!options.includeArchived) query.archived = false;
    return ProjectModel.find(query).sort({ name: 1, _id: 1 }).lean<ProjectDoc[]>();
  }

  async create(data: NewProject, session: ClientSession): Promise<ProjectDoc> {
    const members = data.members.map((m) => ({ userId: oid(m.userId), role: m.role }));
    const [doc] = await ProjectModel.create([{ ...data, members }], { session });
    return doc.toObject<ProjectDoc>();
  }

  async update(id: string, changes: ProjectChanges, session: ClientSession): Promise<ProjectDoc | null> {
    return ProjectModel.findOneAndUpdate(
      { _id: oid(id), ...live },
      { $set: changes },
      { returnDocument: 'after', session },
    ).lean<ProjectDoc>();
  }

  /** Replaces the member list (the caller computed it from the document it read under the publisher lock). */
  async setMembers(
    id: string,
    members: { userId: string; role: ProjectRole }[],
    session: ClientSession,
  ): Promise<ProjectDoc | null> {
    const docs = members.map((m) => ({ userId: oid(m.userId), role: m.role }));
    return ProjectModel.findByIdAndUpdate(
      oid(id),
      { $set: { members: docs } },
      { returnDocument: 'after', session },
    ).lean<ProjectDoc>();
  }

  /** Hands out the next number of a counter kept on the project (tasks or milestones). */
  async nextNumber(id: string, counter: 'taskSeq' | 'milestoneSeq', session: ClientSession): Promise<number> {
    const doc = await ProjectModel.findByIdAndUpdate(
      oid(id),
      { $inc: { [counter]: 1 } },
      { returnDocument: 'after', session },
    ).lean<ProjectDoc>();
    if (!doc) throw new Error(`project ${id} vanished`);
    return doc[counter];
  }
}
