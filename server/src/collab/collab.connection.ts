import { WebSocket, type RawData } from 'ws';
import { collabCloseCodes, collabColor, type CollabAwarenessUser } from '@crewdeck/shared/realtime';
import type { Actor } from '../http/context.ts';
import type { CollabDocument, Peer } from './collab.document.ts';
import {
  decodeClientMessage,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  isEmptyUpdate,
} from './collab.protocol.ts';

export type CollabMode = 'edit' | 'view';

/** Who is connected, as authenticated at the upgrade. */
export interface Identity {
  actor: Actor;
  sessionId: string;
  /** Kept to re-resolve the session when access may have changed. */
  token: string;
  ip: string;
  userAgent: string;
}

export interface ConnectionHooks {
  /** A view-only connection sent an update: it was dropped (called once per connection). */
  onDroppedEdit(connection: CollabConnection): void;
  /** True once the user's account expired (checked before each message is handled, without I/O). */
  expired(connection: CollabConnection): boolean;
  onClose(connection: CollabConnection): void;
}

/** A peer sending this much unread data is too slow to keep up: it reconnects and resyncs. */
const MAX_BUFFERED = 16 * 1024 * 1024;
const PING_MS = 30_000;

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  return data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * One co-editing WebSocket. Frames that arrive before the document is loaded are queued, so
 * nobody syncs against an empty document. A view-only connection receives everything but its
 * updates are dropped; its awareness (cursor) is still shared, under the name and colour of
 * its session. Once the account expired nothing more is handled: the connection closes.
 */
export class CollabConnection implements Peer {
  readonly identity: Identity;
  readonly docId: string;
  readonly mode: CollabMode;
  readonly awarenessUser: CollabAwarenessUser;
  readonly #ws: WebSocket;
  readonly #hooks: ConnectionHooks;
  #doc: CollabDocument | null = null;
  #pending: Uint8Array[] = [];
  #droppedReported = false;
  #alive = true;
  #ping: NodeJS.Timeout;

  constructor(ws: WebSocket, docId: string, identity: Identity, mode: CollabMode, hooks: ConnectionHooks) {
    this.#ws = ws;
    this.docId = docId;
    this.identity = identity;
    this.mode = mode;
    this.awarenessUser = { id: identity.actor.id, name: identity.actor.name, color: collabColor(identity.actor.id) };
    this.#hooks = hooks;
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data) => this.#receive(toBytes(data)));
    ws.on('close', () => this.#closed());
    ws.on('error', () => ws.terminate());
    ws.on('pong', () => {
      this.#alive = true;
    });
    this.#ping = setInterval(() => this.#checkAlive(), PING_MS);
  }

  get userId(): string {
    return this.identity.actor.id;
  }

  get open(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  /** The document is loaded: start the sync, then handle what the client already sent. */
  attach(doc: CollabDocument): void {
    if (!this.open) return;
    this.#doc = doc;
    doc.addPeer(this);
    this.send(encodeSyncStep1(doc.ydoc));
    const states = [...doc.awareness.getStates().keys()];
    if (states.length > 0) this.send(encodeAwareness(doc.awareness, states));
    const pending = this.#pending;
    this.#pending = [];
    for (const data of pending) this.#handle(doc, data);
  }

  send(message: Uint8Array): void {
    if (!this.open) return;
    if (this.#ws.bufferedAmount > MAX_BUFFERED) {
      this.close(collabCloseCodes.goingAway, 'too slow');
      return;
    }
    this.#ws.send(message, (error) => {
      if (error) this.#ws.terminate();
    });
  }

  close(code: number, reason: string): void {
    if (this.#ws.readyState === WebSocket.CLOSED || this.#ws.readyState === WebSocket.CLOSING) return;
    this.#ws.close(code, reason);
    // A client that does not answer the close handshake must not hold the slot.
    setTimeout(() => this.#ws.terminate(), 2000).unref();
  }

  terminate(): void {
    this.#ws.terminate();
  }

  #receive(data: Uint8Array): void {
    if (this.#doc) this.#handle(this.#doc, data);
    else this.#pending.push(data);
  }

  #handle(doc: CollabDocument, data: Uint8Array): void {
    // Between the expiry instant and the revocation closing this connection: store nothing.
    if (this.#hooks.expired(this)) {
      this.close(collabCloseCodes.accessChanged, 'account expired');
      return;
    }
    try {
      const message = decodeClientMessage(data);
      if (message.kind === 'syncStep1') this.send(encodeSyncStep2(doc.ydoc, message.stateVector));
      else if (message.kind === 'update') this.#update(doc, message.update);
      else if (message.kind === 'awareness') doc.applyAwarenessFromPeer(this, message.update);
      else if (message.kind === 'queryAwareness')
        this.send(encodeAwareness(doc.awareness, [...doc.awareness.getStates().keys()]));
    } catch {
      this.close(collabCloseCodes.protocolError, 'malformed message');
    }
  }

  #update(doc: CollabDocument, update: Uint8Array): void {
    if (this.mode === 'edit') {
      doc.applyFromPeer(this, update);
      return;
    }
    if (isEmptyUpdate(update) || this.#droppedReported) return;
    this.#droppedReported = true;
    this.#hooks.onDroppedEdit(this);
  }

  #checkAlive(): void {
    if (!this.#alive) {
      this.#ws.terminate();
      return;
    }
    this.#alive = false;
    this.#ws.ping();
  }

  #closed(): void {
    clearInterval(this.#ping);
    this.#doc?.removePeer(this);
    this.#hooks.onClose(this);
  }
}
