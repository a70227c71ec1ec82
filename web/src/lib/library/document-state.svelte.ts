// State of the document page: the document (with the caller's level and abilities, refetched
// when the co-editing server says access changed) and, for rich text, its co-editing session.
import type { LibraryDocument } from '@crewdeck/shared/library';
import type { Me } from '@crewdeck/shared/auth';
import { libraryEndpoints } from '@crewdeck/shared/library';
import { call } from '../api.ts';
import { ApiError } from '../errors.ts';
import { CollabSession, type AccessCheck } from './collab.svelte.ts';

export class DocumentState {
  document: LibraryDocument;
  session = $state<CollabSession | null>(null);
  /** May type in the editor: the server's `doc.edit` ability, and the session is not revoked. */
  get editable(): boolean {
    return this.document.abilities['doc.edit'] === true && this.session?.status !== 'revoked';
  }

  constructor(document: LibraryDocument) {
    this.document = $state(document);
  }

  /** Opens the co-editing session (rich-text documents only). Returns the cleanup. */
  start(me: Me): () => void {
    if (this.document.kind !== 'rich-text') return () => undefined;
    const session = new CollabSession({
      documentId: this.document.id,
      user: { id: me.id, name: me.name },
      checkAccess: () => this.refresh(),
    });
    this.session = session;
    return () => {
      session.destroy();
      if (this.session === session) this.session = null;
    };
  }

  /** Refetches the document; tells the session whether access is still there. */
  async refresh(): Promise<AccessCheck> {
    try {
      this.document = (await call(libraryEndpoints.getDocument, { params: { id: this.document.id } })).document;
      return 'ok';
    } catch (error) {
      if (!(error instanceof ApiError) || error.status === 0) return 'unreachable';
      if (error.status === 401) return 'signed-out';
      if (error.status === 403 || error.status === 404) return 'revoked';
      return 'unreachable';
    }
  }
}
