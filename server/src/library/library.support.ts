import type { AccessLevel, Grant } from '@crewdeck/shared/library';
import type { Action } from '@crewdeck/shared/permissions';
import { oid } from '../db/ids.ts';
import type { GroupsRepository } from '../groups/groups.repository.ts';
import type { Actor } from '../http/context.ts';
import { ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { People } from '../users/people.ts';
import type { GrantDoc } from './library.model.ts';
import type { LibraryResource } from './library.policy.ts';
import type { Viewpoint } from './library.presenter.ts';

const documentActions = ['doc.view', 'doc.comment', 'doc.edit', 'doc.manage'] as const satisfies readonly Action[];
const folderActions = [
  'folder.view',
  'folder.edit',
  'folder.manage',
  'doc.create',
  'folder.create',
] as const satisfies readonly Action[];

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

/** Shared by the library services: levels through `can()`, grant checks. */
export class LibrarySupport {
  readonly #access: AccessControl;
  readonly #people: People;
  readonly #groups: GroupsRepository;

  constructor(deps: { access: AccessControl; people: People; groups: GroupsRepository }) {
    this.#access = deps.access;
    this.#people = deps.people;
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
    return {
      level,
      abilities,
      showGrants: abilities[resource.kind === 'document' ? 'doc.manage' : 'folder.manage'] === true,
    };
  }

  /** Grants as stored, after checking every group and user exists. */
  async checkGrants(grants: Grant[]): Promise<GrantDoc[]> {
    const groupIds = [...new Set(grants.flatMap((g) => ('group' in g ? [g.group] : [])))];
    const userIds = [...new Set(grants.flatMap((g) => ('user' in g ? [g.user] : [])))];
    const [groups, users] = await Promise.all([this.#groups.findByIds(groupIds), this.#people.find(userIds)]);
    if (groups.length !== groupIds.length) throw new ValidationError({ grants: 'Unknown group' });
    if (users.length !== userIds.length) throw new ValidationError({ grants: 'Unknown user' });
    return grants.map((g) => {
      if ('role' in g) return { role: g.role, level: g.level };
      if ('group' in g) return { group: oid(g.group), level: g.level };
      return { user: oid(g.user), level: g.level };
    });
  }
}
