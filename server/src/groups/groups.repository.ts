import type { ClientSession } from 'mongoose';
import { oid, oids } from '../db/ids.ts';
import { GroupModel, type GroupDoc } from './groups.model.ts';

/** The only code touching the groups collection. */
export class GroupsRepository {
  async list(): Promise<GroupDoc[]> {
    return GroupModel.find({}).sort({ nameKey: 1 }).lean<GroupDoc[]>();
  }

  async findById(id: string, session?: ClientSession): Promise<GroupDoc | null> {
    return GroupModel.findById(oid(id), null, { session }).lean<GroupDoc>();
  }

  async findByIds(ids: string[]): Promise<GroupDoc[]> {
    if (ids.length === 0) return [];
    return GroupModel.find({ _id: { $in: oids(ids) } }).lean<GroupDoc[]>();
  }

  async findByName(name: string): Promise<GroupDoc | null> {
    return GroupModel.findOne({ nameKey: name.toLowerCase() }).lean<GroupDoc>();
  }

  async create(data: { code: string; name: string; description: string }, session?: ClientSession): Promise<GroupDoc> {
    const [doc] = await GroupModel.create([{ ...data, nameKey: data.name.toLowerCase() }], { session });
    return doc.toObject<GroupDoc>();
  }

  async update(
    id: string,
    changes: { name?: string; description?: string },
    session?: ClientSession,
  ): Promise<GroupDoc | null> {
    const set = changes.name === undefined ? changes : { ...changes, nameKey: changes.name.toLowerCase() };
    return GroupModel.findByIdAndUpdate(oid(id), { $set: set }, { returnDocument: 'after', session }).lean<GroupDoc>();
  }

  async delete(id: string, session?: ClientSession): Promise<void> {
    await GroupModel.deleteOne({ _id: oid(id) }, { session });
  }
}
