// The "Tasks and documents" tab of a client: what is linked to the client (only what the
// viewer may open; the rest is a count), linking a task or document found by the one search
// box, and unlinking. The server answers every change with the whole list, which replaces ours.
import { clientEndpoints, type ClientAttachments } from '@crewdeck/shared/clients';
import { searchEndpoints, type SearchResult } from '@crewdeck/shared/search';
import { call } from '../api.ts';
import { handleError } from '../errors.ts';
import { m } from '../paraglide/messages.js';
import { notify } from '../ui/confirm.svelte.ts';

export type AttachmentKind = 'task' | 'document';

const SEARCH_LIMIT = 10;

export class AttachmentsState {
  readonly clientId: string;
  attachments = $state<ClientAttachments | null>(null);
  loading = $state(false);
  error = $state('');
  /** The pending link or unlink (`kind:id`), so its button waits. */
  busy = $state('');

  constructor(clientId: string) {
    this.clientId = clientId;
  }

  get empty(): boolean {
    const a = this.attachments;
    return !!a && a.tasks.length === 0 && a.documents.length === 0 && a.hidden === 0;
  }

  /** Whether `result` is already linked (the picker marks it instead of offering it again). */
  linked(result: Pick<SearchResult, 'kind' | 'id'>): boolean {
    const a = this.attachments;
    if (!a) return false;
    return result.kind === 'task'
      ? a.tasks.some((t) => t.id === result.id)
      : a.documents.some((d) => d.id === result.id);
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.attachments = await call(clientEndpoints.attachments, { params: { id: this.clientId } });
      this.error = '';
    } catch (err) {
      this.error = handleError(err).message;
    } finally {
      this.loading = false;
    }
  }

  async link(kind: AttachmentKind, id: string): Promise<boolean> {
    return this.#change(`${kind}:${id}`, async () => {
      this.attachments = await call(clientEndpoints.attach, { params: { id: this.clientId }, body: { kind, id } });
      notify(m.cli_att_linked());
    });
  }

  async unlink(kind: AttachmentKind, refId: string): Promise<boolean> {
    return this.#change(`${kind}:${refId}`, async () => {
      this.attachments = await call(clientEndpoints.detach, { params: { id: this.clientId, kind, refId } });
      notify(m.cli_att_unlinked());
    });
  }

  async #change(key: string, run: () => Promise<void>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = key;
    try {
      await run();
      return true;
    } catch (err) {
      notify(handleError(err).message, { tone: 'error' });
      return false;
    } finally {
      this.busy = '';
    }
  }
}

/** Tasks and documents matching `q` that the viewer may see, for the link picker. */
export async function searchLinkable(q: string): Promise<SearchResult[]> {
  const answer = await call(searchEndpoints.search, { query: { q, kinds: 'task,document', limit: SEARCH_LIMIT } });
  return answer.results;
}
