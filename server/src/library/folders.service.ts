import type { CreateFolder, EffectiveAccess, Folder, UpdateAccess, UpdateFolder } from '@crewdeck/shared/library';
import type { Action } from '@crewdeck/shared/permissions';
import type { AuditWriter } from '../audit/audit.writer.ts';
import { diffFields } from '../audit/changes.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { AuthedContext } from '../http/context.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { People } from '../users/people.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { toActor } from '../users/user-status.ts';
import { folderResource, subtree, toGrant, type FolderIndex, type LibraryAccessLoader } from './library.access.ts';
import type { FolderDoc } from './library.model.ts';
import { accessReasons } from './library.policy.ts';
import { mentionedPeople, presentFolder } from './library.presenter.ts';
import type { LibraryRepository } from './library.repository.ts';
import type { LibrarySupport } from './library.support.ts';

export interface FoldersServiceDeps {
  repo: LibraryRepository;
  loader: LibraryAccessLoader;
  support: LibrarySupport;
  access: AccessControl;
  audit: AuditWriter;
  events: EventBus;
  users: UsersRepository;
  people: People;
}

const grantsText = (f: FolderDoc) => ({ grants: f.grants.map(toGrant), inherit: f.inherit });

/** Library folders: a tree whose grants pass down to what is inside unless overridden. */
export class FoldersService {
  readonly #d: FoldersServiceDeps;

  constructor(deps: FoldersServiceDeps) {
    this.#d = deps;
  }

  async create(ctx: AuthedContext, input: CreateFolder): Promise<{ folder: Folder }> {
    const folders = await this.#d.loader.folders();
    if (input.parentId) await this.authorizeIn(ctx, folders, input.parentId, 'folder.create');
    else await this.#d.access.authorize(ctx, 'folder.create');
    const folder = await this.#d.audit.write(ctx, async (session) => {
      const created = await this.#d.repo.createFolder(
        { name: input.name, parentId: input.parentId ?? null, ownerId: ctx.actor.id },
        session,
      );
      const changes = diffFields({}, { name: created.name, parentId: input.parentId ?? null }, ['name', 'parentId']);
      return { result: created, audit: { action: 'folder.create', permission: 'folder.create', changes } };
    });
    return this.get(ctx, String(folder._id));
  }

  async update(ctx: AuthedContext, id: string, input: UpdateFolder): Promise<{ folder: Folder }> {
    const folders = await this.#d.loader.folders();
    // Renaming is editing the folder; moving it changes what it inherits, so it takes manage.
    const folder = await this.authorizeIn(ctx, folders, id, 'folder.edit');
    const moving =
      input.parentId !== undefined && (input.parentId ?? null) !== (folder.parentId ? String(folder.parentId) : null);
    if (moving) await this.authorizeIn(ctx, folders, id, 'folder.manage');
    if (moving && input.parentId) {
      if (subtree(id, folders).includes(input.parentId))
        throw new ValidationError({ parentId: 'A folder cannot move into itself' });
      await this.authorizeIn(ctx, folders, input.parentId, 'folder.create');
    } else if (moving) {
      await this.#d.access.authorize(ctx, 'folder.create');
    }
    await this.#d.audit.write(ctx, async (session) => {
      const next = await this.#d.repo.updateFolder(
        id,
        { name: input.name, parentId: input.parentId, updatedBy: ctx.actor.id },
        session,
      );
      if (!next) throw new NotFoundError('Folder');
      const show = (f: FolderDoc) => ({ name: f.name, parentId: f.parentId ? String(f.parentId) : null });
      const changes = diffFields(show(folder), show(next), ['name', 'parentId']);
      return {
        result: next,
        audit: changes.length ? { action: 'folder.update' as const, permission: 'folder.manage', changes } : null,
      };
    });
    if (moving) await this.#announce(subtree(id, folders));
    return this.get(ctx, id);
  }

  async setAccess(ctx: AuthedContext, id: string, input: UpdateAccess): Promise<EffectiveAccess> {
    const folders = await this.#d.loader.folders();
    const folder = await this.authorizeIn(ctx, folders, id, 'folder.manage');
    const grants = await this.#d.support.checkGrants(input.grants);
    await this.#d.audit.write(ctx, async (session) => {
      const next = await this.#d.repo.updateFolder(
        id,
        { grants, inherit: input.inherit, updatedBy: ctx.actor.id },
        session,
      );
      if (!next) throw new NotFoundError('Folder');
      const changes = diffFields(grantsText(folder), grantsText(next), ['grants', 'inherit']);
      return {
        result: next,
        audit: changes.length ? { action: 'folder.share' as const, permission: 'folder.manage', changes } : null,
      };
    });
    // Everything below inherits (unless overridden): re-authorize its co-editing connections.
    await this.#announce(subtree(id, folders));
    // Not re-authorized: a manager may have just removed their own access.
    const after = await this.#d.loader.folders();
    const updated = after.get(id);
    if (!updated) throw new NotFoundError('Folder');
    return this.#effective(updated, after);
  }

  async effectiveAccess(ctx: AuthedContext, id: string): Promise<EffectiveAccess> {
    const folders = await this.#d.loader.folders();
    return this.#effective(await this.authorizeIn(ctx, folders, id, 'folder.manage'), folders);
  }

  async #effective(folder: FolderDoc, folders: FolderIndex): Promise<EffectiveAccess> {
    const resource = folderResource(folder, folders);
    const users = await this.#d.users.list({ includeDisabled: false });
    const rows = users.flatMap((user) => {
      const actor = toActor(user);
      const level = this.#d.support.level(actor, resource);
      return level
        ? [
            {
              user: { id: actor.id, name: actor.name },
              role: actor.role,
              level,
              reasons: accessReasons(actor, resource),
            },
          ]
        : [];
    });
    return { grants: folder.grants.map(toGrant), inherit: folder.inherit, rows };
  }

  async #announce(folderIds: string[]): Promise<void> {
    const documentIds = await this.#d.repo.documentIdsInFolders(folderIds);
    if (documentIds.length > 0) this.#d.events.emit('library.accessChanged', { documentIds });
  }

  /** The folder, after `can()`: 404 for those who may not view it, 403 (journaled) otherwise. */
  async authorizeIn(ctx: AuthedContext, folders: FolderIndex, id: string, action: Action): Promise<FolderDoc> {
    const folder = folders.get(id);
    if (!folder) throw new NotFoundError('Folder');
    const resource = folderResource(folder, folders);
    if (!this.#d.access.can(ctx.actor, 'folder.view', resource)) throw new NotFoundError('Folder');
    await this.#d.access.authorize(ctx, action, resource);
    return folder;
  }

  /** The folder as the caller sees it (after the caller's own checks). */
  async get(ctx: AuthedContext, id: string): Promise<{ folder: Folder }> {
    const folders = await this.#d.loader.folders();
    const folder = folders.get(id);
    if (!folder) throw new NotFoundError('Folder');
    const view = this.#d.support.viewpoint(ctx.actor, folderResource(folder, folders));
    if (!view) throw new NotFoundError('Folder');
    return { folder: presentFolder(folder, await this.#d.people.refs(mentionedPeople([folder])), view) };
  }
}
