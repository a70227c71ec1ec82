import type { ClientSession, QueryFilter } from 'mongoose';
import type { ProjectRole, StatusDef } from '@crewdeck/shared/projects';
import { oid, oids } from '../db/ids.ts';
import { ProjectModel, type ProjectDoc } from './projects.model.ts';

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
  async findById(id: string, session?: ClientSession): Promise<ProjectDoc | null> {
    return ProjectModel.findById(oid(id), null, { session }).lean<ProjectDoc>();
  }

  async findByCode(code: string): Promise<ProjectDoc | null> {
    return ProjectModel.findOne({ code }).lean<ProjectDoc>();
  }

  async findByIds(ids: string[]): Promise<ProjectDoc[]> {
    return ProjectModel.find({ _id: { $in: oids(ids) } }).lean<ProjectDoc[]>();
  }

  /** Every project, or only those `memberId` belongs to. */
  async list(options: { memberId?: string; includeArchived: boolean }): Promise<ProjectDoc[]> {
    const query: QueryFilter<ProjectDoc> = {};
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
    return ProjectModel.findByIdAndUpdate(
      oid(id),
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
