import type { Me } from '@crewdeck/shared/auth';
import type {
  CreateUser,
  CreateUserResponse,
  ResetPasswordResponse,
  UpdateUser,
  User,
  UserList,
  UserListQuery,
  UserResponse,
} from '@crewdeck/shared/users';
import type { AuditAction } from '@crewdeck/shared/audit';
import type { AuditWriter } from '../audit/audit.writer.ts';
import { diffFields } from '../audit/changes.ts';
import type { SessionsRepository } from '../auth/sessions.repository.ts';
import { generateOneTimePassword, hashPassword } from '../auth/passwords.ts';
import type { CountersRepository } from '../counters/counters.repository.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { GroupsRepository } from '../groups/groups.repository.ts';
import type { AuthedContext } from '../http/context.ts';
import { ConflictError, NotFoundError, UnauthenticatedError, ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import { assignableRoles, userRecordActions, type UserResource } from './users.policy.ts';
import { presentMe, presentUser, type GroupNames } from './users.presenter.ts';
import type { UserDoc } from './users.model.ts';
import type { UsersRepository } from './users.repository.ts';
import { assertExpiryRules, effectivePatch, requiredActions, type EffectivePatch } from './user-rules.ts';
import { auditPerson } from './user-status.ts';

export interface UsersServiceDeps {
  users: UsersRepository;
  groups: GroupsRepository;
  sessions: SessionsRepository;
  counters: CountersRepository;
  access: AccessControl;
  audit: AuditWriter;
  events: EventBus;
}

const auditedFields: (keyof EffectivePatch & string)[] = [
  'name',
  'role',
  'groups',
  'expiresAt',
  'disabled',
  'showInEmployees',
];

function resourceOf(user: UserDoc, nextRole?: EffectivePatch['role']): UserResource {
  return { kind: 'user', id: String(user._id), role: user.role, ...(nextRole ? { nextRole } : {}) };
}

/** Account administration: list, create, edit, disable, reset passwords. */
export class UsersService {
  readonly #d: UsersServiceDeps;

  constructor(deps: UsersServiceDeps) {
    this.#d = deps;
  }

  async me(ctx: AuthedContext): Promise<Me> {
    const user = await this.#d.users.findById(ctx.actor.id);
    if (!user) throw new UnauthenticatedError();
    return presentMe(user, await this.#groupNames(), this.#d.access.effective(ctx.actor), assignableRoles(ctx.actor));
  }

  async list(ctx: AuthedContext, query: UserListQuery): Promise<UserList> {
    await this.#d.access.authorize(ctx, 'user.read');
    const docs = await this.#d.users.list({ ...query, includeDisabled: query.includeDisabled !== 'false' });
    const names = await this.#groupNames();
    return {
      items: docs.map((u) => this.#present(ctx, u, names)),
      abilities: this.#d.access.abilities(ctx.actor, ['user.create']),
    };
  }

  async get(ctx: AuthedContext, id: string): Promise<UserResponse> {
    const user = await this.#load(id);
    await this.#d.access.authorize(ctx, 'user.read', resourceOf(user), {
      affectedUser: auditPerson(user),
      code: user.code,
    });
    return { user: this.#present(ctx, user, await this.#groupNames()) };
  }

  async create(ctx: AuthedContext, input: CreateUser): Promise<CreateUserResponse> {
    await this.#d.access.authorize(ctx, 'user.create', {
      kind: 'user',
      id: null,
      role: input.role,
      nextRole: input.role,
    });
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    assertExpiryRules(input.role, expiresAt, true, new Date());
    const groups = await this.#checkGroups(input.groups ?? []);
    if (await this.#d.users.findByLogin(input.login)) {
      throw new ConflictError('This login is already in use', { login: 'Already in use' });
    }
    const oneTimePassword = generateOneTimePassword();
    const passwordHash = await hashPassword(oneTimePassword);
    const showInEmployees = input.showInEmployees ?? input.role !== 'External';
    const created = await this.#d.audit.write(ctx, async (session) => {
      const code = await this.#d.counters.nextCode('USR', session);
      const data = { code, name: input.name, login: input.login, role: input.role, groups, expiresAt, showInEmployees };
      const user = await this.#d.users.create({ ...data, passwordHash, mustChangePassword: true }, session);
      const changes = diffFields({}, { ...data, groups: await this.#groupLabels(groups) }, [
        'code',
        'name',
        'login',
        'role',
        'groups',
        'expiresAt',
        'showInEmployees',
      ]);
      return {
        result: user,
        audit: { action: 'user.create', permission: 'user.create', affectedUser: auditPerson(user), code, changes },
      };
    });
    return { user: this.#present(ctx, created, await this.#groupNames()), oneTimePassword };
  }

  async update(ctx: AuthedContext, id: string, patch: UpdateUser): Promise<UserResponse> {
    const user = await this.#load(id);
    const changes = effectivePatch(user, patch);
    const needed = requiredActions(changes);
    for (const action of needed) {
      await this.#d.access.authorize(ctx, action, resourceOf(user, changes.role), {
        affectedUser: auditPerson(user),
        code: user.code,
      });
    }
    assertExpiryRules(
      changes.role ?? user.role,
      changes.expiresAt === undefined ? user.expiresAt : changes.expiresAt,
      changes.expiresAt !== undefined,
      new Date(),
    );
    if (changes.groups) await this.#checkGroups(changes.groups);
    if (Object.keys(changes).length === 0) return { user: this.#present(ctx, user, await this.#groupNames()) };
    const updated = await this.#d.audit.write(ctx, async (session) => {
      const next = await this.#d.users.update(id, changes, session);
      if (!next) throw new NotFoundError('User');
      if (changes.disabled) await this.#d.sessions.endAllForUser(id, 'disabled', { session });
      const before = { ...user, groups: await this.#groupLabels(user.groups.map(String)) };
      const after = { ...next, groups: await this.#groupLabels(next.groups.map(String)) };
      const audit = {
        action: this.#updateAction(changes),
        permission: needed.join(','),
        affectedUser: auditPerson(user),
        code: user.code,
        changes: diffFields(before, after, auditedFields),
      };
      return { result: next, audit };
    });
    this.#announce(id, changes);
    return { user: this.#present(ctx, updated, await this.#groupNames()) };
  }

  async resetPassword(ctx: AuthedContext, id: string): Promise<ResetPasswordResponse> {
    const user = await this.#load(id);
    await this.#d.access.authorize(ctx, 'user.resetPassword', resourceOf(user), {
      affectedUser: auditPerson(user),
      code: user.code,
    });
    const oneTimePassword = generateOneTimePassword();
    const passwordHash = await hashPassword(oneTimePassword);
    await this.#d.audit.write(ctx, async (session) => {
      await this.#d.users.update(id, { passwordHash, mustChangePassword: true }, session);
      const ended = await this.#d.sessions.endAllForUser(id, 'password_reset', { session });
      const changes = [{ field: 'password', from: '***', to: '***' }];
      const note = `${ended.length} sessions ended`;
      return {
        result: undefined,
        audit: {
          action: 'user.resetPassword',
          permission: 'user.resetPassword',
          affectedUser: auditPerson(user),
          code: user.code,
          changes,
          note,
        },
      };
    });
    this.#d.events.emit('user.accessRevoked', { userId: id, reason: 'password_reset' });
    return { oneTimePassword };
  }

  #updateAction(changes: EffectivePatch): AuditAction {
    const onlyDisabled = Object.keys(changes).length === 1 && changes.disabled !== undefined;
    if (!onlyDisabled) return 'user.update';
    return changes.disabled ? 'user.disable' : 'user.enable';
  }

  /** Live connections learn about the change only after it committed. */
  #announce(id: string, changes: EffectivePatch): void {
    if (changes.expiresAt !== undefined)
      this.#d.events.emit('user.expiryChanged', { userId: id, expiresAt: changes.expiresAt });
    if (changes.disabled) {
      this.#d.events.emit('user.accessRevoked', { userId: id, reason: 'disabled' });
      return;
    }
    if (changes.role !== undefined || changes.groups !== undefined)
      this.#d.events.emit('user.accessChanged', { userId: id });
  }

  async #load(id: string): Promise<UserDoc> {
    const user = await this.#d.users.findById(id);
    if (!user) throw new NotFoundError('User');
    return user;
  }

  async #checkGroups(ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    const found = await this.#d.groups.findByIds(unique);
    if (found.length !== unique.length) throw new ValidationError({ groups: 'Unknown group' });
    return unique;
  }

  async #groupNames(): Promise<GroupNames> {
    const groups = await this.#d.groups.list();
    return new Map(groups.map((g) => [String(g._id), g.name]));
  }

  /** Group names for the journal, which must read on its own after a group is renamed. */
  async #groupLabels(ids: string[]): Promise<string[]> {
    const names = await this.#groupNames();
    return ids.map((id) => names.get(id) ?? id).sort();
  }

  #present(ctx: AuthedContext, user: UserDoc, names: GroupNames): User {
    return presentUser(user, names, this.#d.access.abilities(ctx.actor, userRecordActions, resourceOf(user)));
  }
}
