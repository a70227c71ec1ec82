import type {
  CreateDocument,
  CreatedDocument,
  EffectiveAccess,
  LibraryDocument,
  LibraryList,
  LibraryPresence,
  LibraryQuery,
  PersonRef,
  UpdateAccess,
  UpdateDocument,
} from '@crewdeck/shared/library';
import type { AuditWriter } from '../audit/audit.writer.ts';
import { diffFields } from '../audit/changes.ts';
import type { CountersRepository } from '../counters/counters.repository.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { AuthedContext } from '../http/context.ts';
import { NotFoundError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { People } from '../users/people.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { toActor } from '../users/user-status.ts';
import {
  documentResource,
  folderResource,
  toGrant,
  type FolderIndex,
  type LibraryAccessLoader,
} from './library.access.ts';
import type { LibraryAudience } from './library.feed.ts';
import type { DocumentDoc } from './library.model.ts';
import { accessReasons, type LibraryResource } from './library.policy.ts';
import { mentionedPeople, presentDocument, presentFolder } from './library.presenter.ts';
import type { LibraryRepository } from './library.repository.ts';
import type { LibrarySupport } from './library.support.ts';

/** Who is connected to which co-editing session; provided by `collab/`. */
export interface EditingDirectory {
  editing(documentIds: string[]): Promise<Map<string, PersonRef[]>>;
}

/** Removes a document's stored content (co-editing state, versions, uploaded file). */
export interface ContentCleaner {
  removeContent(doc: DocumentDoc): Promise<void>;
}

export interface DocumentsServiceDeps {
  repo: LibraryRepository;
  loader: LibraryAccessLoader;
  support: LibrarySupport;
  access: AccessControl;
  audit: AuditWriter;
  /** Creating and sharing go through the one feed publisher (which journals them too). */
  publisher: FeedPublisher;
  audience: LibraryAudience;
  events: EventBus;
  counters: CountersRepository;
  users: UsersRepository;
  people: People;
  editing: EditingDirectory;
}

const auditRef = (doc: DocumentDoc) => ({ code: doc.code });
const grantsText = (doc: DocumentDoc) => ({ grants: doc.grants.map(toGrant), inherit: doc.inherit });

/** Library documents: list and search, metadata, access grants, effective access. */
export class DocumentsService {
  readonly #d: DocumentsServiceDeps;

  constructor(deps: DocumentsServiceDeps) {
    this.#d = deps;
  }

  /** Folders and documents the caller may view; nothing else is even counted. */
  async list(ctx: AuthedContext, query: LibraryQuery): Promise<LibraryList> {
    await this.#d.access.authorize(ctx, 'doc.view');
    const folders = await this.#d.loader.folders();
    const folderId = query.folderId === 'root' ? null : query.folderId;
    const docs = await this.#d.repo.listDocuments({ folderId, q: query.q, tag: query.tag, kind: query.kind });
    const visible = this.#visible(ctx, docs, folders).slice(0, query.limit ?? 200);
    const visibleFolders = [...folders.values()].flatMap((f) => {
      const view = this.#d.support.viewpoint(ctx.actor, folderResource(f, folders));
      return view ? [{ folder: f, view }] : [];
    });
    const people = await this.#d.people.refs(
      mentionedPeople([...visible.map((v) => v.doc), ...visibleFolders.map((v) => v.folder)]),
    );
    const editing = await this.#d.editing.editing(visible.map((v) => String(v.doc._id)));
    return {
      folders: visibleFolders.map(({ folder, view }) => presentFolder(folder, people, view)),
      items: visible.map(({ doc, resource }) =>
        this.#present(ctx, doc, resource, people, editing.get(String(doc._id)) ?? []),
      ),
      abilities: this.#d.access.abilities(ctx.actor, ['doc.create', 'folder.create']),
    };
  }

  /** Codes of every document `actor` may view now (the audit journal shows entries about them). */
  async viewableCodes(ctx: AuthedContext): Promise<string[]> {
    const folders = await this.#d.loader.folders();
    return this.#visible(ctx, await this.#d.repo.listDocuments({}), folders).map(({ doc }) => doc.code);
  }

  /** "Who is editing" for every rich-text document the caller may view (only those with someone in). */
  async presence(ctx: AuthedContext): Promise<LibraryPresence> {
    await this.#d.access.authorize(ctx, 'doc.view');
    const folders = await this.#d.loader.folders();
    const docs = this.#visible(ctx, await this.#d.repo.listDocuments({ kind: 'rich-text' }), folders);
    const editing = await this.#d.editing.editing(docs.map((d) => String(d.doc._id)));
    return { documents: Object.fromEntries([...editing].filter(([, people]) => people.length > 0)) };
  }

  async get(ctx: AuthedContext, id: string): Promise<{ document: LibraryDocument }> {
    const { doc, resource } = await this.authorizeDocument(ctx, id, 'doc.view');
    const people = await this.#d.people.refs(mentionedPeople([doc]));
    const editing = await this.#d.editing.editing([id]);
    return { document: this.#present(ctx, doc, resource, people, editing.get(id) ?? []) };
  }

  async create(ctx: AuthedContext, input: CreateDocument): Promise<CreatedDocument> {
    await this.authorizeCreateIn(ctx, input.folderId ?? null);
    const folders = await this.#d.loader.folders();
    const doc = await this.#d.publisher.publish(ctx, async (session) => {
      const code = await this.#d.counters.nextCode('DOC', session);
      const created = await this.#d.repo.createDocument(
        {
          code,
          title: input.title,
          kind: 'rich-text',
          folderId: input.folderId ?? null,
          tags: input.tags ?? [],
          ownerId: ctx.actor.id,
          file: null,
        },
        session,
      );
      const changes = diffFields({}, { title: created.title, folderId: input.folderId ?? null, tags: created.tags }, [
        'title',
        'folderId',
        'tags',
      ]);
      const entry = await this.#d.audience.draft('document.created', created, documentResource(created, folders), {
        kind: created.kind,
      });
      return {
        result: created,
        audit: { action: 'document.create', permission: 'doc.create', code, changes },
        feed: [entry],
      };
    });
    return { id: String(doc._id), code: doc.code };
  }

  async update(ctx: AuthedContext, id: string, input: UpdateDocument): Promise<{ document: LibraryDocument }> {
    const { doc } = await this.authorizeDocument(ctx, id, 'doc.edit');
    const moving =
      input.folderId !== undefined && (input.folderId ?? null) !== (doc.folderId ? String(doc.folderId) : null);
    if (moving) {
      await this.authorizeDocument(ctx, id, 'doc.manage');
      await this.authorizeCreateIn(ctx, input.folderId ?? null);
    }
    await this.#d.audit.write(ctx, async (session) => {
      const next = await this.#d.repo.updateDocument(
        id,
        { title: input.title, tags: input.tags, folderId: input.folderId, updatedBy: ctx.actor.id },
        session,
      );
      if (!next) throw new NotFoundError('Document');
      const fields: Array<'title' | 'tags' | 'folderId'> = ['title', 'tags', 'folderId'];
      const changes = diffFields(
        { ...doc, folderId: doc.folderId ? String(doc.folderId) : null },
        { ...next, folderId: next.folderId ? String(next.folderId) : null },
        fields,
      );
      return {
        result: next,
        audit: changes.length
          ? { action: 'document.update' as const, permission: 'doc.edit', ...auditRef(doc), changes }
          : null,
      };
    });
    // Moving changes what the document inherits.
    if (moving) this.#d.events.emit('library.accessChanged', { documentIds: [id] });
    return this.get(ctx, id);
  }

  async setAccess(ctx: AuthedContext, id: string, input: UpdateAccess): Promise<EffectiveAccess> {
    const { doc } = await this.authorizeDocument(ctx, id, 'doc.manage');
    const grants = await this.#d.support.checkGrants(input.grants);
    const folders = await this.#d.loader.folders();
    await this.#d.publisher.publish(ctx, async (session) => {
      const next = await this.#d.repo.updateDocument(
        id,
        { grants, inherit: input.inherit, updatedBy: ctx.actor.id },
        session,
      );
      if (!next) throw new NotFoundError('Document');
      const changes = diffFields(grantsText(doc), grantsText(next), ['grants', 'inherit']);
      if (changes.length === 0) return { result: next, audit: null, feed: [] };
      // Announced to who may view it after the change: whoever lost access hears nothing more.
      const entry = await this.#d.audience.draft('document.shared', next, documentResource(next, folders), {
        grants: next.grants.length,
        inherit: next.inherit,
      });
      return {
        result: next,
        audit: { action: 'document.share' as const, permission: 'doc.manage', ...auditRef(doc), changes },
        feed: [entry],
      };
    });
    this.#d.events.emit('library.accessChanged', { documentIds: [id] });
    // Not re-authorized: a manager may have just removed their own access.
    const after = await this.#d.loader.document(id);
    if (!after) throw new NotFoundError('Document');
    return this.#effective(after.doc, after.resource);
  }

  /** Everyone who can do anything with the document, their level and every reason. */
  async effectiveAccess(ctx: AuthedContext, id: string): Promise<EffectiveAccess> {
    const { doc, resource } = await this.authorizeDocument(ctx, id, 'doc.manage');
    return this.#effective(doc, resource);
  }

  async #effective(doc: DocumentDoc, resource: LibraryResource): Promise<EffectiveAccess> {
    const users = await this.#d.users.list({ includeDisabled: false });
    const rows = users.flatMap((user) => {
      const actor = toActor(user);
      const level = this.#d.support.level(actor, resource);
      if (!level) return [];
      return [
        { user: { id: actor.id, name: actor.name }, role: actor.role, level, reasons: accessReasons(actor, resource) },
      ];
    });
    return { grants: doc.grants.map(toGrant), inherit: doc.inherit, rows };
  }

  /** Loads the document and throws 404 (missing) or 403 (journaled) unless `can()` allows. */
  async authorizeDocument(
    ctx: AuthedContext,
    id: string,
    action: 'doc.view' | 'doc.comment' | 'doc.edit' | 'doc.manage',
  ) {
    const found = await this.#d.loader.document(id);
    if (!found) throw new NotFoundError('Document');
    // Someone who may not even view it learns nothing, not even that it exists.
    if (!this.#d.access.can(ctx.actor, 'doc.view', found.resource)) throw new NotFoundError('Document');
    await this.#d.access.authorize(ctx, action, found.resource, { code: found.doc.code });
    return found;
  }

  /** Creating at the top level needs the role's `doc.create`; inside a folder, edit on it. */
  async authorizeCreateIn(ctx: AuthedContext, folderId: string | null): Promise<void> {
    if (!folderId) return this.#d.access.authorize(ctx, 'doc.create');
    const folders = await this.#d.loader.folders();
    const folder = folders.get(folderId);
    if (!folder) throw new NotFoundError('Folder');
    const resource = folderResource(folder, folders);
    if (!this.#d.access.can(ctx.actor, 'folder.view', resource)) throw new NotFoundError('Folder');
    await this.#d.access.authorize(ctx, 'doc.create', resource);
  }

  #visible(
    ctx: AuthedContext,
    docs: DocumentDoc[],
    folders: FolderIndex,
  ): Array<{ doc: DocumentDoc; resource: LibraryResource }> {
    return docs.flatMap((doc) => {
      const resource = documentResource(doc, folders);
      return this.#d.access.can(ctx.actor, 'doc.view', resource) ? [{ doc, resource }] : [];
    });
  }

  #present(
    ctx: AuthedContext,
    doc: DocumentDoc,
    resource: LibraryResource,
    people: Map<string, PersonRef> | ReadonlyMap<string, PersonRef>,
    editing: PersonRef[],
  ): LibraryDocument {
    const view = this.#d.support.viewpoint(ctx.actor, resource);
    if (!view) throw new NotFoundError('Document');
    return presentDocument(doc, people, view, editing);
  }
}
