import type { LibraryFeedType } from '@crewdeck/shared/feed';
import type { LibraryFeedDraft } from '../feed/feed.drafts.ts';
import type { Actor } from '../http/context.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { inactiveReason, toActor } from '../users/user-status.ts';
import type { LibraryAccessLoader } from './library.access.ts';
import type { DocumentDoc } from './library.model.ts';
import type { LibraryResource } from './library.policy.ts';

/**
 * What the library tells the feed publisher and the live "who is editing": the document's code
 * and title, and who may view it. Visibility is the one `can(user, 'doc.view', document)`.
 */
export class LibraryAudience {
  readonly #access: AccessControl;
  readonly #users: UsersRepository;
  readonly #loader: LibraryAccessLoader;

  constructor(deps: { access: AccessControl; users: UsersRepository; loader: LibraryAccessLoader }) {
    this.#access = deps.access;
    this.#users = deps.users;
    this.#loader = deps.loader;
  }

  /**
   * Ids of the active users who may view the resource now. This asks `can()` for every active
   * user: one users read per published change, fine for a team (tens to a few hundred people)
   * and it cannot drift from the rule the REST API and co-editing use. A workspace of
   * thousands would need the grants indexed by user instead.
   */
  async viewers(resource: LibraryResource): Promise<string[]> {
    const users = await this.#users.list({ includeDisabled: false });
    const now = new Date();
    return users.flatMap((user) => {
      if (inactiveReason(user, now)) return [];
      const actor: Actor = toActor(user);
      return this.#access.can(actor, 'doc.view', resource) ? [actor.id] : [];
    });
  }

  /** The viewers of a document by id (empty when it no longer exists). */
  async viewersOf(documentId: string): Promise<string[]> {
    const found = await this.#loader.document(documentId);
    return found ? this.viewers(found.resource) : [];
  }

  /** A feed entry about the document, for the viewers it has now (data always carries the title). */
  async draft(
    type: LibraryFeedType,
    doc: DocumentDoc,
    resource: LibraryResource,
    data: Record<string, unknown> = {},
  ): Promise<LibraryFeedDraft> {
    return {
      type,
      projectId: null,
      resource: { kind: 'document', id: String(doc._id), code: doc.code },
      data: { title: doc.title, ...data },
      viewers: await this.viewers(resource),
    };
  }

  /** Same, loading the document first; null when it was deleted meanwhile (nothing to announce). */
  async draftFor(
    type: LibraryFeedType,
    documentId: string,
    data: Record<string, unknown> = {},
  ): Promise<LibraryFeedDraft | null> {
    const found = await this.#loader.document(documentId);
    return found ? this.draft(type, found.doc, found.resource, data) : null;
  }
}
