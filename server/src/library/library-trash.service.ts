import type {
  Folder,
  LibraryDocument,
  LibraryTrashItem,
  LibraryTrashList,
  LibraryTrashed,
} from '@crewdeck/shared/library';
import { limits } from '@crewdeck/shared/limits';
import type { Action } from '@crewdeck/shared/permissions';
import { diffFields } from '../audit/changes.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { LibraryFeedDraft } from '../feed/feed.drafts.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { AuthedContext } from '../http/context.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { People } from '../users/people.ts';
import type { ContentCleaner, DocumentsService } from './documents.service.ts';
import type { FoldersService } from './folders.service.ts';
import {
  documentResource,
  folderResource,
  subtree,
  type FolderIndex,
  type LibraryAccessLoader,
} from './library.access.ts';
import type { LibraryAudience } from './library.feed.ts';
import type { DocumentDoc, FolderDoc } from './library.model.ts';
import type { LibraryResource } from './library.policy.ts';
import type { LibraryTrashRepository } from './library-trash.repository.ts';

export interface LibraryTrashDeps {
  trash: LibraryTrashRepository;
  loader: LibraryAccessLoader;
  documents: DocumentsService;
  folders: FoldersService;
  access: AccessControl;
  /** Deleting and restoring are announced to the item's viewers and journaled through the one publisher. */
  publisher: FeedPublisher;
  audience: LibraryAudience;
  events: EventBus;
  people: People;
  cleaner: ContentCleaner;
}

const TRASH_MS = limits.trashDays * 86_400_000;
const restoreUntil = (deletedAt: Date) => new Date(deletedAt.getTime() + TRASH_MS);
const restorable = (item: { deletedAt?: Date | null }, now = new Date()) =>
  item.deletedAt instanceof Date && restoreUntil(item.deletedAt).getTime() > now.getTime();

/**
 * The library trash: a deleted document or folder (with what is inside) stays restorable for
 * `limits.trashDays` with its content and versions; then `purge` removes it for good. Deleted
 * items vanish from lists, search and reads, and their co-editing connections are closed.
 */
export class LibraryTrashService {
  readonly #d: LibraryTrashDeps;

  constructor(deps: LibraryTrashDeps) {
    this.#d = deps;
  }

  async removeDocument(ctx: AuthedContext, id: string): Promise<LibraryTrashed> {
    const { doc, resource } = await this.#d.documents.authorizeDocument(ctx, id, 'doc.manage');
    const at = new Date();
    const entry = await this.#d.audience.draft('document.deleted', doc, resource, { kind: doc.kind });
    await this.#d.publisher.publish(ctx, async (session) => {
      if (!(await this.#d.trash.trashDocument(id, ctx.actor.id, at, session))) throw new NotFoundError('Document');
      const changes = diffFields({ title: doc.title }, {}, ['title']);
      return {
        result: undefined,
        audit: { action: 'document.delete', permission: 'doc.manage', code: doc.code, changes },
        feed: [entry],
      };
    });
    // The co-editing gateway re-checks its connections: the document no longer loads, so they close.
    this.#d.events.emit('library.accessChanged', { documentIds: [id] });
    return { ok: true, restoreUntil: restoreUntil(at).toISOString() };
  }

  /** Needs manage on the folder and on everything inside; a non-empty folder only `withContents`. */
  async removeFolder(ctx: AuthedContext, id: string, withContents: boolean): Promise<LibraryTrashed> {
    const folders = await this.#d.loader.folders();
    const folder = await this.#d.folders.authorizeIn(ctx, folders, id, 'folder.manage');
    const folderIds = subtree(id, folders);
    const documents = await this.#d.trash.documentsIn(folderIds);
    const contents = folderIds.length - 1 + documents.length;
    if (contents > 0 && !withContents)
      throw new ConflictError('The folder is not empty', { withContents: `Holds ${contents} items` });
    for (const below of folderIds.slice(1)) await this.#authorize(ctx, this.#folderResource(below, folders));
    for (const doc of documents) await this.#authorize(ctx, documentResource(doc, folders), doc.code);
    const at = new Date();
    const entry = await this.#folderEntry('folder.deleted', folder, folderResource(folder, folders), contents);
    await this.#d.publisher.publish(ctx, async (session) => {
      if (!(await this.#d.trash.trashFolders(folderIds, ctx.actor.id, at, session))) throw new NotFoundError('Folder');
      const changes = diffFields({ name: folder.name, contents }, {}, ['name', 'contents']);
      return {
        result: undefined,
        audit: { action: 'folder.delete', permission: 'folder.manage', changes },
        feed: [entry],
      };
    });
    if (documents.length > 0)
      this.#d.events.emit('library.accessChanged', { documentIds: documents.map((d) => String(d._id)) });
    return { ok: true, restoreUntil: restoreUntil(at).toISOString() };
  }

  /** What the caller may restore: deleted roots they manage (as the item was when deleted). */
  async list(ctx: AuthedContext): Promise<LibraryTrashList> {
    await this.#d.access.authorize(ctx, 'doc.view');
    const [roots, all] = await Promise.all([this.#d.trash.listRoots(), this.#allFolders()]);
    const now = new Date();
    const documents = roots.documents.filter(
      (d) => restorable(d, now) && this.#d.access.can(ctx.actor, 'doc.manage', documentResource(d, all)),
    );
    const folders = roots.folders.filter(
      (f) => restorable(f, now) && this.#d.access.can(ctx.actor, 'folder.manage', folderResource(f, all)),
    );
    const counts = await this.#d.trash.countTakenAlong(folders.map((f) => String(f._id)));
    const people = await this.#d.people.refs([...documents, ...folders].flatMap((i) => i.deletedBy ?? []).map(String));
    const items = [
      ...documents.map((d) => this.#item('document', d, d.title, d.folderId, 0, people)),
      ...folders.map((f) => this.#item('folder', f, f.name, f.parentId, counts.get(String(f._id)) ?? 0, people)),
    ];
    items.sort((a, b) => b.deletedAt.localeCompare(a.deletedAt));
    return { items };
  }

  async restoreDocument(ctx: AuthedContext, id: string): Promise<{ document: LibraryDocument }> {
    const doc = await this.#d.trash.findTrashedDocument(id);
    if (!doc || !restorable(doc)) throw new NotFoundError('Document');
    const resource = documentResource(doc, await this.#allFolders());
    await this.#visibleThenAllowed(ctx, 'doc.view', 'doc.manage', resource, 'Document', doc.code);
    const folders = await this.#d.loader.folders();
    if (doc.folderId && !folders.has(String(doc.folderId)))
      throw new ConflictError('Its folder is in the trash: restore the folder first', { folderId: 'In the trash' });
    await this.#d.publisher.publish(ctx, async (session) => {
      if (!(await this.#d.trash.restoreDocument(id, session))) throw new NotFoundError('Document');
      const entry = await this.#d.audience.draft('document.recovered', doc, documentResource(doc, folders), {
        kind: doc.kind,
      });
      const changes = diffFields({}, { title: doc.title }, ['title']);
      return {
        result: undefined,
        audit: { action: 'document.recover', permission: 'doc.manage', code: doc.code, changes },
        feed: [entry],
      };
    });
    return this.#d.documents.get(ctx, id);
  }

  async restoreFolder(ctx: AuthedContext, id: string): Promise<{ folder: Folder }> {
    const folder = await this.#d.trash.findTrashedFolder(id);
    if (!folder || !restorable(folder)) throw new NotFoundError('Folder');
    const resource = folderResource(folder, await this.#allFolders());
    await this.#visibleThenAllowed(ctx, 'folder.view', 'folder.manage', resource, 'Folder', null);
    const folders = await this.#d.loader.folders();
    if (folder.parentId && !folders.has(String(folder.parentId)))
      throw new ConflictError('Its parent folder is in the trash: restore that first', { parentId: 'In the trash' });
    const restoredIds = await this.#d.publisher.publish(ctx, async (session) => {
      const ids = await this.#d.trash.restoreFolder(id, session);
      if (!ids) throw new NotFoundError('Folder');
      const entry = await this.#folderEntry('folder.recovered', folder, resource, ids.length);
      const changes = diffFields({}, { name: folder.name }, ['name']);
      return {
        result: ids,
        audit: { action: 'folder.recover', permission: 'folder.manage', changes },
        feed: [entry],
      };
    });
    if (restoredIds.length > 0) this.#d.events.emit('library.accessChanged', { documentIds: restoredIds });
    return this.#d.folders.get(ctx, id);
  }

  /**
   * Removes for good what was deleted more than `trashDays` before `now`: content, versions,
   * uploaded files, then the records. Runs periodically (see `library.module.ts`).
   */
  async purge(now = new Date()): Promise<{ documents: number; folders: number }> {
    const cutoff = new Date(now.getTime() - TRASH_MS);
    const documents = await this.#d.trash.documentsDeletedBefore(cutoff);
    for (const doc of documents) {
      await this.#d.cleaner.removeContent(doc);
      await this.#d.trash.deleteDocument(String(doc._id));
    }
    const folders = await this.#d.trash.deleteFoldersBefore(cutoff);
    return { documents: documents.length, folders };
  }

  async #allFolders(): Promise<FolderIndex> {
    const list = await this.#d.trash.allFolders();
    return new Map(list.map((f) => [String(f._id), f]));
  }

  #folderResource(id: string, folders: FolderIndex): LibraryResource {
    const folder = folders.get(id);
    if (!folder) throw new NotFoundError('Folder');
    return folderResource(folder, folders);
  }

  /** Manage on an item inside the folder being deleted (403, journaled, when missing). */
  async #authorize(ctx: AuthedContext, resource: LibraryResource, code: string | null = null): Promise<void> {
    const action: Action = resource.kind === 'document' ? 'doc.manage' : 'folder.manage';
    await this.#d.access.authorize(ctx, action, resource, { code });
  }

  /** 404 for who could not even see it (like a live item), 403 for who could but may not restore. */
  async #visibleThenAllowed(
    ctx: AuthedContext,
    view: Action,
    manage: Action,
    resource: LibraryResource,
    what: string,
    code: string | null,
  ): Promise<void> {
    await this.#d.access.authorizeVisible(ctx, view, resource, what, { code });
    await this.#d.access.authorize(ctx, manage, resource, { code });
  }

  async #folderEntry(
    type: 'folder.deleted' | 'folder.recovered',
    folder: FolderDoc,
    resource: LibraryResource,
    contents: number,
  ): Promise<LibraryFeedDraft> {
    return {
      type,
      projectId: null,
      resource: { kind: 'folder', id: String(folder._id), code: '' },
      data: { title: folder.name, contents },
      viewers: await this.#d.audience.viewers(resource),
    };
  }

  #item(
    kind: 'document' | 'folder',
    item: DocumentDoc | FolderDoc,
    title: string,
    folderId: unknown,
    contains: number,
    people: ReadonlyMap<string, { id: string; name: string }>,
  ): LibraryTrashItem {
    const deletedAt = item.deletedAt ?? new Date(0);
    const isDoc = 'code' in item;
    return {
      kind,
      id: String(item._id),
      title,
      code: isDoc ? item.code : null,
      documentKind: isDoc ? item.kind : null,
      folderId: folderId ? String(folderId) : null,
      contains,
      deletedBy: item.deletedBy ? (people.get(String(item.deletedBy)) ?? null) : null,
      deletedAt: deletedAt.toISOString(),
      restoreUntil: restoreUntil(deletedAt).toISOString(),
    };
  }
}
