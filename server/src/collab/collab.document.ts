import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { limits } from '@crewdeck/shared/limits';
import type { CollabAwarenessUser } from '@crewdeck/shared/realtime';
import {
  decodeAwarenessEntries,
  encodeAwareness,
  encodeAwarenessEntries,
  encodeUpdate,
  type AwarenessEntry,
} from './collab.protocol.ts';
import type { Relay, RelayMessage } from './collab.relay.ts';
import type { CollabRepository, PendingUpdate } from './collab.repository.ts';

/** A live connection as the document sees it. */
export interface Peer {
  readonly userId: string;
  /** How the peer appears to others in awareness (from its session, never from the client). */
  readonly awarenessUser: CollabAwarenessUser;
  send(message: Uint8Array): void;
}

/** A change the server makes on someone's behalf (a version restore). */
export interface ServerOrigin {
  kind: 'server';
  userId: string;
}

/** Transaction origins that must not be persisted again. */
const LOAD_ORIGIN = Symbol('load');
export const RELAY_ORIGIN = Symbol('relay');

/** Told after updates were stored (`local`) or arrived from another instance. */
export type ChangeListener = (doc: CollabDocument, userIds: Array<string | null>, local: boolean) => void;

interface Queued extends PendingUpdate {
  origin: Peer | null;
}

/** A client's awareness state with the server's `user` field in place of whatever it sent. */
function withUser(state: unknown, user: CollabAwarenessUser): unknown {
  if (state === null) return null;
  const fields = typeof state === 'object' && !Array.isArray(state) ? state : {};
  return { ...fields, user };
}

const isPeer = (origin: unknown): origin is Peer => typeof origin === 'object' && origin !== null && 'send' in origin;
const isServerOrigin = (origin: unknown): origin is ServerOrigin =>
  typeof origin === 'object' && origin !== null && 'kind' in origin && origin.kind === 'server';

/**
 * One loaded document: its Y.Doc, awareness and peers. Every update from a peer is applied
 * at once (so sync answers see it) but stored in MongoDB before it is sent to anyone else or
 * to other instances: nothing another client has seen can be lost by a crash. Updates that
 * arrive while a write is in flight are stored together by the next write (group commit).
 */
export class CollabDocument {
  readonly id: string;
  readonly ydoc = new Y.Doc();
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Map<Peer, Set<number>>();
  /** Updates in the log since the last snapshot (as far as this instance knows). */
  updatesSinceCompaction = 0;
  readonly #store: CollabRepository;
  readonly #relay: Relay;
  readonly #onChange: ChangeListener;
  #queue: Queued[] = [];
  #flushing: Promise<void> | null = null;
  #relayBuffer: RelayMessage[] | null = [];
  #destroyed = false;

  constructor(id: string, deps: { store: CollabRepository; relay: Relay; onChange: ChangeListener }) {
    this.id = id;
    this.#store = deps.store;
    this.#relay = deps.relay;
    this.#onChange = deps.onChange;
    this.awareness = new awarenessProtocol.Awareness(this.ydoc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.#onAwareness);
    this.ydoc.on('update', this.#onUpdate);
  }

  /** Subscribes to other instances first, then reads the stored state: nothing falls in between. */
  async load(): Promise<void> {
    await this.#relay.subscribe(this.id, (message) => this.#onRelay(message));
    await this.reloadFromStore(LOAD_ORIGIN);
    const buffered = this.#relayBuffer ?? [];
    this.#relayBuffer = null;
    for (const message of buffered) this.#onRelay(message);
    // What the others published before this instance subscribed: cursors would otherwise
    // appear only when each client renews its state (every 15 s).
    this.#relay.publish(this.id, { type: 'awarenessQuery' });
  }

  /** Applies everything stored (idempotent); used at load and after a relay outage. */
  async reloadFromStore(origin: typeof LOAD_ORIGIN | typeof RELAY_ORIGIN): Promise<void> {
    const state = await this.#store.load(this.id);
    const parts = [...(state.snapshot ? [state.snapshot] : []), ...state.updates.map((u) => u.update)];
    if (parts.length > 0) Y.applyUpdate(this.ydoc, parts.length === 1 ? parts[0] : Y.mergeUpdates(parts), origin);
    this.updatesSinceCompaction = state.updates.length;
  }

  addPeer(peer: Peer): void {
    this.peers.set(peer, new Set());
  }

  removePeer(peer: Peer): void {
    const controlled = this.peers.get(peer);
    this.peers.delete(peer);
    if (controlled && controlled.size > 0)
      awarenessProtocol.removeAwarenessStates(this.awareness, [...controlled], null);
  }

  /** A peer's update (already checked to be allowed). */
  applyFromPeer(peer: Peer, update: Uint8Array): void {
    Y.applyUpdate(this.ydoc, update, peer);
  }

  /**
   * A peer's awareness update, keeping only the entries of client ids it introduced: a peer
   * may speak for a client id it already controls, or claim one nobody holds (no live state
   * here, which includes other instances' clients); entries for anyone else are dropped (the
   * stock provider echoes others' states back, so they are not an error). Each kept state gets
   * the peer's `user` from its session.
   */
  applyAwarenessFromPeer(peer: Peer, update: Uint8Array): void {
    const controlled = this.peers.get(peer);
    if (!controlled) return;
    const kept: AwarenessEntry[] = [];
    for (const entry of decodeAwarenessEntries(update)) {
      if (this.#mayClaim(peer, controlled, entry.clientId))
        kept.push({ ...entry, state: withUser(entry.state, peer.awarenessUser) });
    }
    if (kept.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(kept), peer);
    for (const { clientId, state } of kept) {
      if (state !== null && this.awareness.getStates().has(clientId)) controlled.add(clientId);
      else if (state === null) controlled.delete(clientId);
    }
  }

  #mayClaim(peer: Peer, controlled: Set<number>, clientId: number): boolean {
    if (controlled.has(clientId)) return true;
    if (clientId === this.awareness.clientID || controlled.size >= limits.collabClientIdsPerConnection) return false;
    if (this.awareness.getStates().has(clientId)) return false;
    for (const [other, ids] of this.peers) if (other !== peer && ids.has(clientId)) return false;
    return true;
  }

  /** A change made by the server for `userId`; stored and relayed like a peer's. */
  change(userId: string, edit: (doc: Y.Doc) => void): void {
    const origin: ServerOrigin = { kind: 'server', userId };
    this.ydoc.transact(() => edit(this.ydoc), origin);
  }

  /** Resolves when every update received so far is stored. */
  async whenPersisted(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  broadcast(message: Uint8Array, except: Peer | null): void {
    for (const peer of this.peers.keys()) if (peer !== except) peer.send(message);
  }

  async destroy(): Promise<void> {
    this.#destroyed = true;
    await this.whenPersisted();
    await this.#relay.unsubscribe(this.id);
    this.awareness.destroy();
    this.ydoc.destroy();
  }

  readonly #onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === LOAD_ORIGIN) return;
    if (origin === RELAY_ORIGIN) {
      // Stored by the instance that received it; here it only reaches local peers.
      this.broadcast(encodeUpdate(update), null);
      return;
    }
    const userId = isPeer(origin) ? origin.userId : isServerOrigin(origin) ? origin.userId : null;
    this.#queue.push({ update, userId, origin: isPeer(origin) ? origin : null });
    this.#flushing ??= this.#flush().finally(() => {
      this.#flushing = null;
    });
  };

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0);
      await this.#persist(batch);
      for (const item of batch) {
        this.broadcast(encodeUpdate(item.update), item.origin);
        this.#relay.publish(this.id, { type: 'update', update: item.update, userId: item.userId });
      }
      this.updatesSinceCompaction += batch.length;
      this.#onChange(
        this,
        batch.map((b) => b.userId),
        true,
      );
    }
  }

  /** Retries until stored: an update is never broadcast before it is durable. */
  async #persist(batch: Queued[]): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.#store.appendUpdates(this.id, batch);
        return;
      } catch (error) {
        if (this.#destroyed && attempt > 5) throw error;
        console.error(`[crewdeck] storing updates of ${this.id} failed (attempt ${attempt + 1})`, error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
  }

  #onRelay(message: RelayMessage): void {
    if (this.#relayBuffer) {
      this.#relayBuffer.push(message);
      return;
    }
    if (message.type === 'awareness') {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, RELAY_ORIGIN);
      return;
    }
    if (message.type === 'awarenessQuery') {
      this.#publishLocalAwareness();
      return;
    }
    Y.applyUpdate(this.ydoc, message.update, RELAY_ORIGIN);
    this.#onChange(this, [message.userId], false);
  }

  /** The awareness of this instance's own clients, for an instance that just loaded the document. */
  #publishLocalAwareness(): void {
    const states = this.awareness.getStates();
    const local = [...this.peers.values()].flatMap((ids) => [...ids]).filter((id) => states.has(id));
    if (local.length === 0) return;
    this.#relay.publish(this.id, {
      type: 'awareness',
      update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, local),
    });
  }

  readonly #onAwareness = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    // Sent to every peer, the sender included: y-websocket clients treat it as a keep-alive.
    this.broadcast(encodeAwareness(this.awareness, changed), null);
    if (origin !== RELAY_ORIGIN) {
      const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
      this.#relay.publish(this.id, { type: 'awareness', update });
    }
  };
}
