// One co-editing session: a Y.Doc kept in sync with `/yjs/<documentId>` by a stock y-websocket
// provider (same origin, so the session cookie goes along). The provider's own reconnect loop
// is replaced by ours: exponential backoff with jitter, and a check through the API when the
// server closes with `accessChanged` or keeps refusing the upgrade, so the page can tell
// "reconnecting" from "access revoked" and switch between editing and view-only.
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { collabPrefix } from '@crewdeck/shared/library';
import { collabCloseCodes } from '@crewdeck/shared/realtime';
import { reconnectDelay } from '../realtime.svelte.ts';
import type { Collaborator } from './collaborators.ts';
import { personColor } from './colors.ts';

export type CollabStatus = 'connecting' | 'connected' | 'reconnecting' | 'revoked' | 'signed-out' | 'too-many';
/** What the page learned from the API after a revocation or repeated refusals. */
export type AccessCheck = 'ok' | 'revoked' | 'signed-out' | 'unreachable';
export type CollabUser = { id: string; name: string };
export type { Collaborator };

type Options = {
  documentId: string;
  user: CollabUser;
  /** Refetches the document (and with it the caller's level); called when access may have changed. */
  checkAccess: () => Promise<AccessCheck>;
};

/** Refused upgrades in a row before asking the API whether access is gone. */
const REFUSALS_BEFORE_CHECK = 2;

function awarenessUser(value: unknown): { id: string; name: string; color: string } | null {
  if (typeof value !== 'object' || value === null || !('user' in value)) return null;
  const user: unknown = value.user;
  if (typeof user !== 'object' || user === null) return null;
  const id = 'id' in user && typeof user.id === 'string' ? user.id : '';
  const name = 'name' in user && typeof user.name === 'string' ? user.name : '';
  const color = 'color' in user && typeof user.color === 'string' ? user.color : '#5b6475';
  return id && name ? { id, name, color } : null;
}

export class CollabSession {
  status = $state<CollabStatus>('connecting');
  /** True once the first full sync with the server is done. */
  synced = $state(false);
  /** Everyone in the session (one entry per browser tab), this tab included. */
  collaborators = $state<Collaborator[]>([]);
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly user: CollabUser & { color: string };
  readonly #checkAccess: () => Promise<AccessCheck>;
  #attempt = 0;
  #refusals = 0;
  #opened = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #destroyed = false;

  constructor({ documentId, user, checkAccess }: Options) {
    this.user = { ...user, color: personColor(user.id) };
    this.#checkAccess = checkAccess;
    // The provider appends `/<documentId>` itself, so it gets the prefix without its slash.
    const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${collabPrefix.slice(0, -1)}`;
    this.provider = new WebsocketProvider(base, documentId, this.doc, {
      connect: false,
      // Other tabs must not relay this tab's edits around the server's access check.
      disableBc: true,
      // Never let the provider reconnect on its own: #handleClosed decides, with jitter.
      shouldReconnect: () => false,
    });
    this.provider.on('status', ({ status }) => this.#handleStatus(status));
    this.provider.on('sync', (synced: boolean) => this.#handleSync(synced));
    this.provider.on('closed', ({ code }) => void this.#handleClosed(code));
    this.provider.awareness.on('change', () => this.#readAwareness());
    this.provider.connect();
    window.addEventListener('online', this.#handleOnline);
  }

  /** Closes the connection for good (page left). */
  destroy(): void {
    this.#destroyed = true;
    clearTimeout(this.#timer);
    window.removeEventListener('online', this.#handleOnline);
    this.provider.awareness.setLocalState(null);
    this.provider.destroy();
    this.doc.destroy();
  }

  #handleStatus(status: 'connected' | 'disconnected' | 'connecting'): void {
    if (status === 'connected') {
      this.#opened = true;
      this.#refusals = 0;
      this.status = 'connected';
    } else if (status === 'disconnected' && this.status === 'connected') {
      this.status = 'reconnecting';
    }
  }

  /** The browser is back online: try now instead of waiting for the backoff. */
  #handleOnline = (): void => {
    if (this.#destroyed || this.status !== 'reconnecting') return;
    clearTimeout(this.#timer);
    this.provider.connect();
  };

  #handleSync(synced: boolean): void {
    if (synced) {
      this.synced = true;
      this.#attempt = 0;
    }
  }

  /** A retry the person asked for (after closing other documents). */
  retry(): void {
    if (this.#destroyed || this.status !== 'too-many') return;
    this.status = 'connecting';
    this.provider.connect();
  }

  async #handleClosed(code: number): Promise<void> {
    if (this.#destroyed) return;
    const wasOpen = this.#opened;
    this.#opened = false;
    if (!wasOpen) this.#refusals += 1;
    if (code === collabCloseCodes.tooManyConnections) {
      // Over the per-person cap: retrying on our own would only be refused again.
      this.status = 'too-many';
      this.provider.disconnect();
      return;
    }
    this.status = 'reconnecting';
    const mustCheck = code === collabCloseCodes.accessChanged || this.#refusals >= REFUSALS_BEFORE_CHECK;
    if (mustCheck) {
      const verdict = await this.#checkAccess();
      if (this.#destroyed) return;
      if (verdict === 'revoked' || verdict === 'signed-out') {
        this.status = verdict;
        this.provider.disconnect();
        return;
      }
      if (verdict === 'ok') this.#refusals = 0;
    }
    // Re-authorization after an access change is immediate (spread a little); the rest backs off.
    const delay = code === collabCloseCodes.accessChanged ? reconnectDelay(0) / 5 : reconnectDelay(this.#attempt);
    this.#attempt += 1;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (!this.#destroyed) this.provider.connect();
    }, delay);
  }

  #readAwareness(): void {
    const list: Collaborator[] = [];
    for (const [clientId, state] of this.provider.awareness.getStates()) {
      const user = awarenessUser(state);
      if (user) list.push({ clientId, ...user, self: clientId === this.doc.clientID });
    }
    this.collaborators = list;
  }
}
