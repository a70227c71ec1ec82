import type { AccessLevel, Grant, PersonRef } from '@crewdeck/shared/library';
import type { Action } from '@crewdeck/shared/permissions';
import mongoose from 'mongoose';
import type { GroupsRepository } from '../groups/groups.repository.ts';
import type { Actor } from '../http/context.ts';
import { ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import type { GrantDoc } from './library.model.ts';
import type { LibraryResource } from './library.policy.ts';
import type { People, Viewpoint } from './library.presenter.ts';

export const documentActions = ['doc.view', 'doc.comment', 'doc.edit', 'doc.manage'] as const satisfies readonly Action[];
export const folderActions = ['folder.view', 'folder.edit', 'folder.manage', 'doc.create', 'folder.create'] as const satisfies readonly Action[];

const documentLevels: Array<[Action, AccessLevel]> = [
  ['doc.manage', 'manage'],
  ['doc.edit', 'edit'],
  ['doc.comment', 'comment'],
  ['doc.view', 'view'],
];
const folderLevels: Array<[Action, AccessLevel]> = [
  ['folder.manage', 'manage'],
  ['folder.edit', 'edit'],
  ['folder.view', 'view'],
];

/** Shared by the library services: levels through `can()`, people names, grant checks. */
export class LibrarySupport {
  readonly #access: AccessControl;
  readonly #users: UsersRepository;
  readonly #groups: GroupsRepository;

  constructor(deps: { access: AccessControl; users: UsersRepository; groups: GroupsRepository }) {
    this.#access = deps.access;
    this.#users = deps.users;
    this.#groups = deps.groups;
  }

  /** The strongest level `can()` allows the actor on the resource (role table included), or null. */
  level(actor: Actor, resource: LibraryResource): AccessLevel | null {
    const ladder = resource.kind === 'document' ? documentLevels : folderLevels;
    for (const [action, level] of ladder) if (this.#access.can(actor, action, resource)) return level;
    return null;
  }

  /** Level, abilities and grant visibility for presenting the resource; null when hidden. */
  viewpoint(actor: Actor, resource: LibraryResource): Viewpoint | null {
    const level = this.level(actor, resource);
    if (!level) return null;
    const list = resource.kind === 'document' ? documentActions : folderActions;
    const abilities = this.#access.abilities(actor, list, resource);
    return { level, abilities, showGrants: abilities[resource.kind === 'document' ? 'doc.manage' : 'folder.manage'] === true };
  }

  async people(ids: string[]): Promise<People> {
    const unique = [...new Set(ids)];
    const users = unique.length === 0 ? [] : await this.#users.findByIds(unique);
    return new Map<string, PersonRef>(users.map((u) => [String(u._id), { id: String(u._id), name: u.name }]));
  }

  /** Grants as stored, after checking every group and user exists. */
  async checkGrants(grants: Grant[]): Promise<GrantDoc[]> {
    const groupIds = [...new Set(grants.flatMap((g) => ('group' in g ? [g.group] : [])))];
    const userIds = [...new Set(grants.flatMap((g) => ('user' in g ? [g.user] : [])))];
    const [groups, users] = await Promise.all([this.#groups.findByIds(groupIds), userIds.length ? this.#users.findByIds(userIds) : []]);
    if (groups.length !== groupIds.length) throw new ValidationError({ grants: 'Unknown group' });
    if (users.length !== userIds.length) throw new ValidationError({ grants: 'Unknown user' });
    return grants.map((g) => {
      if ('role' in g) return { role: g.role, level: g.level };
      if ('group' in g) return { group: new mongoose.Types.ObjectId(g.group), level: g.level };
      return { user: new mongoose.Types.ObjectId(g.user), level: g.level };
    });
  }
}
