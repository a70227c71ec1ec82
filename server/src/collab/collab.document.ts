import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { encodeAwareness, encodeUpdate } from './collab.protocol.ts';
import type { Relay, RelayMessage } from './collab.relay.ts';
import type { CollabRepository, PendingUpdate } from './collab.repository.ts';

/** A live connection as the document sees it. */
export interface Peer {
  readonly userId: string;
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
    if (controlled && controlled.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...controlled], null);
  }

  /** A peer's update (already checked to be allowed). */
  applyFromPeer(peer: Peer, update: Uint8Array): void {
    Y.applyUpdate(this.ydoc, update, peer);
  }

  applyAwarenessFromPeer(peer: Peer, update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, peer);
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
      this.#onChange(this, batch.map((b) => b.userId), true);
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
    Y.applyUpdate(this.ydoc, message.update, RELAY_ORIGIN);
    this.#onChange(this, [message.userId], false);
  }

  readonly #onAwareness = (changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    if (isPeer(origin)) {
      const controlled = this.peers.get(origin);
      if (controlled) {
        for (const id of changes.added) controlled.add(id);
        for (const id of changes.removed) controlled.delete(id);
      }
    }
    // Sent to every peer, the sender included: y-websocket clients treat it as a keep-alive.
    this.broadcast(encodeAwareness(this.awareness, changed), null);
    if (origin !== RELAY_ORIGIN) {
      const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
      this.#relay.publish(this.id, { type: 'awareness', update });
    }
  };
}
