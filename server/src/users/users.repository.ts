import mongoose, { type ClientSession, type QueryFilter } from 'mongoose';
import type { Role } from '@crewdeck/shared/permissions';
import { oid, oids } from '../db/ids.ts';
import type { NotificationKind } from '@crewdeck/shared/notifications';
import type { Language, Theme } from '@crewdeck/shared/users';
import { UserModel, type AvatarInfo, type UserDoc } from './users.model.ts';

export interface NewUser {
  code: string;
  name: string;
  login: string;
  passwordHash: string;
  role: Role;
  groups: string[];
  expiresAt: Date | null;
  showInEmployees: boolean;
  mustChangePassword: boolean;
}

/** Fields a service may change through `update`. */
export interface UserChanges {
  name?: string;
  role?: Role;
  groups?: string[];
  expiresAt?: Date | null;
  disabled?: boolean;
  showInEmployees?: boolean;
  passwordHash?: string;
  mustChangePassword?: boolean;
}

/** Fields the user changes in their own profile. */
export interface ProfileChanges {
  name?: string;
  timeZone?: string | null;
  language?: Language | null;
  theme?: Theme;
  notificationsOff?: NotificationKind[];
  phone?: string;
  email?: string;
  avatar?: AvatarInfo | null;
}

export interface UserListFilter {
  role?: Role;
  group?: string;
  includeDisabled: boolean;
}

/** The only code touching the users collection. */
export class UsersRepository {
  async count(): Promise<number> {
    return UserModel.estimatedDocumentCount();
  }

  async findById(id: string, session?: ClientSession): Promise<UserDoc | null> {
    return UserModel.findById(oid(id), null, { session }).lean<UserDoc>();
  }

  async findByLogin(login: string): Promise<UserDoc | null> {
    return UserModel.findOne({ login }).lean<UserDoc>();
  }

  async findByIds(ids: string[], session?: ClientSession): Promise<UserDoc[]> {
    return UserModel.find({ _id: { $in: oids(ids) } }, null, { session }).lean<UserDoc[]>();
  }

  async list(filter: UserListFilter): Promise<UserDoc[]> {
    const query: QueryFilter<UserDoc> = {};
    if (filter.role) query.role = filter.role;
    if (filter.group) query.groups = oid(filter.group);
    if (!filter.includeDisabled) query.disabled = false;
    return UserModel.find(query).sort({ name: 1, _id: 1 }).lean<UserDoc[]>();
  }

  async create(data: NewUser, session?: ClientSession): Promise<UserDoc> {
    const [doc] = await UserModel.create([{ ...data, groups: oids(data.groups) }], { session });
    return doc.toObject<UserDoc>();
  }

  async update(id: string, changes: UserChanges, session?: ClientSession): Promise<UserDoc | null> {
    const { groups, ...rest } = changes;
    const set = groups ? { ...rest, groups: oids(groups) } : rest;
    return UserModel.findByIdAndUpdate(oid(id), { $set: set }, { returnDocument: 'after', session }).lean<UserDoc>();
  }

  async updateProfile(id: string, changes: ProfileChanges, session?: ClientSession): Promise<UserDoc | null> {
    return UserModel.findByIdAndUpdate(
      oid(id),
      { $set: changes },
      { returnDocument: 'after', session },
    ).lean<UserDoc>();
  }

  /** Notification kinds the user turned off (none for an unknown user). */
  async notificationsOff(id: string): Promise<NotificationKind[]> {
    const user = await UserModel.findById(oid(id), { notificationsOff: 1 }).lean<Pick<UserDoc, 'notificationsOff'>>();
    return user?.notificationsOff ?? [];
  }

  /** Members of a group, by name. */
  async listByGroup(groupId: string, session?: ClientSession): Promise<UserDoc[]> {
    return UserModel.find({ groups: oid(groupId) }, null, { session })
      .sort({ name: 1, _id: 1 })
      .lean<UserDoc[]>();
  }

  async addToGroup(userIds: string[], groupId: string, session?: ClientSession): Promise<void> {
    if (userIds.length === 0) return;
    await UserModel.updateMany({ _id: { $in: oids(userIds) } }, { $addToSet: { groups: oid(groupId) } }, { session });
  }

  async removeFromGroup(userIds: string[] | 'all', groupId: string, session?: ClientSession): Promise<void> {
    const filter: QueryFilter<UserDoc> = { groups: oid(groupId) };
    if (userIds !== 'all') filter._id = { $in: oids(userIds) };
    await UserModel.updateMany(filter, { $pull: { groups: oid(groupId) } }, { session });
  }

  /** Of the given users, those who are disabled or past their expiry. */
  async inactiveAmong(ids: string[], now: Date): Promise<UserDoc[]> {
    if (ids.length === 0) return [];
    return UserModel.find({
      _id: { $in: oids(ids) },
      $or: [{ disabled: true }, { expiresAt: { $ne: null, $lte: now } }],
    }).lean<UserDoc[]>();
  }

  /** Member counts per group id (membership lives on users). */
  async groupMemberCounts(): Promise<Map<string, number>> {
    const rows = await UserModel.aggregate<{ _id: mongoose.Types.ObjectId; n: number }>([
      { $unwind: '$groups' },
      { $group: { _id: '$groups', n: { $sum: 1 } } },
    ]);
    return new Map(rows.map((r) => [String(r._id), r.n]));
  }
}
