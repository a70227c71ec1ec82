import type { CreateGroup, Group, GroupList, GroupRef, GroupResponse, UpdateGroup } from '@crewdeck/shared/groups';
import { limits } from '@crewdeck/shared/limits';
import type { AuditWriter } from '../audit/audit.writer.ts';
import { diffFields } from '../audit/changes.ts';
import type { CountersRepository } from '../counters/counters.repository.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { AuthedContext } from '../http/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { auditPerson } from '../users/user-status.ts';
import type { GroupDoc } from './groups.model.ts';
import { presentGroup } from './groups.presenter.ts';
import type { GroupsRepository } from './groups.repository.ts';

export interface GroupsServiceDeps {
  groups: GroupsRepository;
  users: UsersRepository;
  counters: CountersRepository;
  access: AccessControl;
  audit: AuditWriter;
  events: EventBus;
}

const groupActions = ['group.update', 'group.delete'] as const;
const ref = (g: GroupDoc) => ({ id: String(g._id), name: g.name });

/** Groups such as "Development group". Membership is stored on users. */
export class GroupsService {
  readonly #d: GroupsServiceDeps;

  constructor(deps: GroupsServiceDeps) {
    this.#d = deps;
  }

  async list(ctx: AuthedContext): Promise<GroupList> {
    await this.#d.access.authorize(ctx, 'group.read');
    const [groups, users] = await Promise.all([this.#d.groups.list(), this.#d.users.list({ includeDisabled: true })]);
    const byGroup = new Map<string, GroupRef[]>();
    for (const user of users) {
      for (const groupId of user.groups.map(String)) {
        const members = byGroup.get(groupId) ?? [];
        members.push({ id: String(user._id), name: user.name });
        byGroup.set(groupId, members);
      }
    }
    const items = groups.map((g) => {
      const members = byGroup.get(String(g._id)) ?? [];
      return presentGroup(g, members, members.length, this.#abilities(ctx));
    });
    return { items, abilities: this.#d.access.abilities(ctx.actor, ['group.create']) };
  }

  /** Adds one member atomically (`$addToSet`), so concurrent adds of different people all stay. */
  async addMember(ctx: AuthedContext, id: string, userId: string): Promise<GroupResponse> {
    return this.#changeMember(ctx, id, userId, 'add');
  }

  async removeMember(ctx: AuthedContext, id: string, userId: string): Promise<GroupResponse> {
    return this.#changeMember(ctx, id, userId, 'remove');
  }

  async #changeMember(ctx: AuthedContext, id: string, userId: string, op: 'add' | 'remove'): Promise<GroupResponse> {
    const group = await this.#load(id);
    await this.#d.access.authorize(ctx, 'group.update', undefined, { affectedGroup: ref(group), code: group.code });
    const user = await this.#d.users.findById(userId);
    if (!user) throw op === 'add' ? new ValidationError({ userId: 'Unknown user' }) : new NotFoundError('Member');
    const inGroup = user.groups.some((g) => String(g) === id);
    if (op === 'remove' && !inGroup) throw new NotFoundError('Member');
    if (op === 'add' && !inGroup && user.groups.length >= limits.groupsPerUserMax)
      throw new ValidationError({ userId: `Already in ${limits.groupsPerUserMax} groups` });
    const changed = await this.#d.audit.write(ctx, async (session) => {
      // Read inside the journal's lock: the entry's before/after are exact even under concurrency.
      const before = await this.#d.users.listByGroup(id, session);
      const wasIn = before.some((u) => String(u._id) === userId);
      if (op === 'add' ? wasIn : !wasIn) return { result: false, audit: null };
      if (op === 'add') await this.#d.users.addToGroup([userId], id, session);
      else await this.#d.users.removeFromGroup([userId], id, session);
      const from = before.map((u) => u.login).sort();
      const to = op === 'add' ? [...from, user.login].sort() : from.filter((l) => l !== user.login);
      return {
        result: true,
        audit: {
          action: 'group.update' as const,
          permission: 'group.update',
          affectedGroup: ref(group),
          affectedUser: auditPerson(user),
          code: group.code,
          changes: diffFields({ members: from }, { members: to }, ['members']),
        },
      };
    });
    if (changed) this.#announce([userId]);
    return { group: await this.#present(ctx, group) };
  }

  async get(ctx: AuthedContext, id: string): Promise<GroupResponse> {
    await this.#d.access.authorize(ctx, 'group.read');
    return { group: await this.#present(ctx, await this.#load(id)) };
  }

  async create(ctx: AuthedContext, input: CreateGroup): Promise<GroupResponse> {
    await this.#d.access.authorize(ctx, 'group.create');
    await this.#assertNameFree(input.name);
    const members = await this.#checkMembers(input.members ?? []);
    const group = await this.#d.audit.write(ctx, async (session) => {
      const code = await this.#d.counters.nextCode('GRP', session);
      const created = await this.#d.groups.create(
        { code, name: input.name, description: input.description ?? '' },
        session,
      );
      await this.#d.users.addToGroup(members, String(created._id), session);
      const changes = diffFields(
        {},
        { name: created.name, description: created.description, members: await this.#logins(members) },
        ['name', 'description', 'members'],
      );
      return {
        result: created,
        audit: { action: 'group.create', permission: 'group.create', affectedGroup: ref(created), code, changes },
      };
    });
    this.#announce(members);
    return { group: await this.#present(ctx, group) };
  }

  async update(ctx: AuthedContext, id: string, input: UpdateGroup): Promise<GroupResponse> {
    const group = await this.#load(id);
    await this.#d.access.authorize(ctx, 'group.update', undefined, { affectedGroup: ref(group), code: group.code });
    if (input.name !== undefined && input.name.toLowerCase() !== group.name.toLowerCase())
      await this.#assertNameFree(input.name);
    const before = (await this.#d.users.listByGroup(id)).map((u) => String(u._id));
    const after = input.members === undefined ? before : await this.#checkMembers(input.members);
    const added = after.filter((m) => !before.includes(m));
    const removed = before.filter((m) => !after.includes(m));
    const { name, description } = input;
    const updated = await this.#d.audit.write(ctx, async (session) => {
      const next = await this.#d.groups.update(
        id,
        { ...(name === undefined ? {} : { name }), ...(description === undefined ? {} : { description }) },
        session,
      );
      if (!next) throw new NotFoundError('Group');
      await this.#d.users.addToGroup(added, id, session);
      await this.#d.users.removeFromGroup(removed, id, session);
      const changes = diffFields(
        { name: group.name, description: group.description, members: await this.#logins(before) },
        { name: next.name, description: next.description, members: await this.#logins(after) },
        ['name', 'description', 'members'],
      );
      const audit =
        changes.length === 0
          ? null
          : {
              action: 'group.update' as const,
              permission: 'group.update',
              affectedGroup: ref(next),
              code: next.code,
              changes,
            };
      return { result: next, audit };
    });
    this.#announce([...added, ...removed]);
    return { group: await this.#present(ctx, updated) };
  }

  async remove(ctx: AuthedContext, id: string): Promise<void> {
    const group = await this.#load(id);
    await this.#d.access.authorize(ctx, 'group.delete', undefined, { affectedGroup: ref(group), code: group.code });
    const members = (await this.#d.users.listByGroup(id)).map((u) => String(u._id));
    await this.#d.audit.write(ctx, async (session) => {
      await this.#d.users.removeFromGroup('all', id, session);
      await this.#d.groups.delete(id, session);
      const changes = diffFields({ name: group.name, members: await this.#logins(members) }, {}, ['name', 'members']);
      return {
        result: undefined,
        audit: {
          action: 'group.delete',
          permission: 'group.delete',
          affectedGroup: ref(group),
          code: group.code,
          changes,
        },
      };
    });
    this.#announce(members);
  }

  /** Group membership is access: members' live connections must be re-authorized. */
  #announce(userIds: string[]): void {
    for (const userId of userIds) this.#d.events.emit('user.accessChanged', { userId });
  }

  async #load(id: string): Promise<GroupDoc> {
    const group = await this.#d.groups.findById(id);
    if (!group) throw new NotFoundError('Group');
    return group;
  }

  async #assertNameFree(name: string): Promise<void> {
    if (await this.#d.groups.findByName(name))
      throw new ConflictError('A group with this name exists', { name: 'Already in use' });
  }

  async #checkMembers(ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    const found = await this.#d.users.findByIds(unique);
    if (found.length !== unique.length) throw new ValidationError({ members: 'Unknown user' });
    return unique;
  }

  async #logins(ids: string[]): Promise<string[]> {
    const users = await this.#d.users.findByIds(ids);
    return users.map((u) => u.login).sort();
  }

  #abilities(ctx: AuthedContext) {
    return this.#d.access.abilities(ctx.actor, groupActions);
  }

  async #present(ctx: AuthedContext, group: GroupDoc): Promise<Group> {
    const members = (await this.#d.users.listByGroup(String(group._id))).map((u) => ({
      id: String(u._id),
      name: u.name,
    }));
    return presentGroup(group, members, members.length, this.#abilities(ctx));
  }
}
