import { STATUS_CODES, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ErrorCode } from '@crewdeck/shared/errors';
import { collabPrefix } from '@crewdeck/shared/library';
import { limits } from '@crewdeck/shared/limits';
import { collabCloseCodes } from '@crewdeck/shared/realtime';
import type { AuditWriter } from '../audit/audit.writer.ts';
import { resolveSession } from '../auth/auth.middleware.ts';
import type { SessionResolver } from '../auth/session-resolver.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Actor, AuthedContext } from '../http/context.ts';
import { originAllowed } from '../http/csrf.ts';
import { AppError, ForbiddenError } from '../http/errors.ts';
import type { LibraryAccessLoader } from '../library/library.access.ts';
import type { LibraryResource } from '../library/library.policy.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import { CollabConnection, type CollabMode, type Identity } from './collab.connection.ts';
import type { CollabRegistry } from './collab.registry.ts';
import type { ControlMessage, Relay } from './collab.relay.ts';

export interface CollabGatewayDeps {
  resolver: SessionResolver;
  loader: LibraryAccessLoader;
  access: AccessControl;
  audit: AuditWriter;
  events: EventBus;
  relay: Relay;
  registry: CollabRegistry;
  trustedOrigins: ReadonlySet<string>;
  isSecure: (req: IncomingMessage) => boolean;
}

/** What follows `collabPrefix`: the document id, an optional slash and query. */
const DOCUMENT = /^([0-9a-f]{24})\/?(?:\?.*)?$/;

class Refusal extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  constructor(status: number, code: ErrorCode, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Closes an accepted WebSocket at once with `code` (a peer that ignores the close is cut after 2 s). */
function refuseOpen(ws: WebSocket, code: number, reason: string): void {
  ws.on('error', () => ws.terminate());
  ws.close(code, reason);
  setTimeout(() => ws.terminate(), 2000).unref();
}

/** Answers a refused upgrade with a plain HTTP error (the shared JSON body) and hangs up. */
function refuse(socket: Duplex, refusal: Refusal): void {
  const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
  const head = `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  socket.end(head + body);
}

/**
 * The co-editing endpoint `/yjs/<documentId>` on the app's HTTP server. Each upgrade is
 * authenticated with the session cookie and checked with `can()` on the document itself (a
 * document one may not view answers 404, like one that does not exist); domain events (and,
 * across instances, the relay's control channel) re-authorize live connections and close
 * those that lost access with `collabCloseCodes.accessChanged`. A user holds at most
 * `limits.collabConnectionsPerUser` connections; more are closed with `tooManyConnections`.
 */
export class CollabGateway {
  readonly #d: CollabGatewayDeps;
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: limits.collabMessageMax });
  readonly #connections = new Set<CollabConnection>();
  readonly #codes = new WeakMap<CollabConnection, string>();
  /** Open connections per user id. */
  readonly #perUser = new Map<string, number>();
  #unsubscribe: Array<() => void> = [];
  #closing = false;

  constructor(deps: CollabGatewayDeps) {
    this.#d = deps;
  }

  /**
   * Routes `collabPrefix` upgrades here and every other upgrade to the listeners already attached
   * (Socket.IO). Taking over the event matters: engine.io ends upgrades it does not own after
   * a second, which a slow authorization could otherwise run into.
   */
  attach(server: HttpServer): void {
    const previous = server.listeners('upgrade') as Array<(req: IncomingMessage, socket: Duplex, head: Buffer) => void>;
    server.removeAllListeners('upgrade');
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = req.url ?? '';
      if (!url.startsWith(collabPrefix)) {
        for (const listener of previous) listener.call(server, req, socket, head);
        return;
      }
      socket.on('error', () => socket.destroy());
      const match = DOCUMENT.exec(url.slice(collabPrefix.length));
      if (!match) return refuse(socket, new Refusal(404, 'not_found', 'Document not found'));
      this.#upgrade(req, socket, head, match[1] ?? '').catch((error: unknown) => {
        if (error instanceof Refusal) return refuse(socket, error);
        console.error('[crewdeck] co-editing upgrade failed', error);
        refuse(socket, new Refusal(500, 'internal', 'Something went wrong'));
      });
    });
    this.#unsubscribe = this.#listen();
    // Presence entries in Redis expire (a crashed instance's must not linger): refresh live ones.
    // Only the stored entry: nothing changed, so no live event goes out.
    const refresh = setInterval(() => {
      for (const docId of new Set([...this.#connections].map((c) => c.docId))) void this.#storePresence(docId);
    }, 30_000);
    refresh.unref();
    this.#unsubscribe.push(() => clearInterval(refresh));
    this.#d.relay.onControl((message) => void this.#control(message));
  }

  /** Users connected in edit mode, per document (this instance only). */
  editorsOf(docId: string): string[] {
    return [
      ...new Set([...this.#connections].filter((c) => c.docId === docId && c.mode === 'edit').map((c) => c.userId)),
    ];
  }

  async close(): Promise<void> {
    this.#closing = true;
    for (const off of this.#unsubscribe) off();
    for (const connection of this.#connections) connection.close(collabCloseCodes.goingAway, 'server shutting down');
    for (let waited = 0; this.#connections.size > 0 && waited < 1000; waited += 20)
      await new Promise((r) => setTimeout(r, 20));
    for (const connection of this.#connections) connection.terminate();
    this.#wss.close();
  }

  async #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, docId: string): Promise<void> {
    // Cross-site WebSocket hijacking: a foreign page must not ride the user's cookie.
    if (this.#closing) throw new Refusal(503, 'internal', 'Shutting down');
    if (!originAllowed(req, this.#d.trustedOrigins, this.#d.isSecure(req)))
      throw new Refusal(403, 'csrf_rejected', 'Cross-site request refused');
    const { identity, mode, code } = await this.#authorize(req, docId);
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#connect(ws, docId, identity, mode, code));
  }

  async #authorize(
    req: IncomingMessage,
    docId: string,
  ): Promise<{ identity: Identity; mode: CollabMode; code: string }> {
    const session = await resolveSession(this.#d.resolver, req.headers.cookie, 'user').catch((error: unknown) => {
      throw error instanceof AppError ? new Refusal(error.status, error.code, error.message) : error;
    });
    const identity: Identity = {
      ...session,
      ip: req.socket.remoteAddress ?? '',
      userAgent: req.headers['user-agent'] ?? '',
    };
    const found = await this.#d.loader.document(docId);
    if (!found || found.doc.kind !== 'rich-text') throw new Refusal(404, 'not_found', 'Document not found');
    try {
      await this.#d.access.authorize(this.#context(identity), 'doc.view', found.resource, { code: found.doc.code });
    } catch (error) {
      // Like the library routes: whoever may not view a document does not learn it exists.
      if (error instanceof ForbiddenError) throw new Refusal(404, 'not_found', 'Document not found');
      throw error;
    }
    return { identity, mode: this.#modeFor(session.actor, found.resource) ?? 'view', code: found.doc.code };
  }

  #modeFor(actor: Actor, resource: LibraryResource): CollabMode | null {
    if (this.#d.access.can(actor, 'doc.edit', resource)) return 'edit';
    return this.#d.access.can(actor, 'doc.view', resource) ? 'view' : null;
  }

  #connect(ws: WebSocket, docId: string, identity: Identity, mode: CollabMode, code: string): void {
    // Counted here, synchronously, so concurrent upgrades cannot all slip under the cap.
    const userId = identity.actor.id;
    const open = this.#perUser.get(userId) ?? 0;
    if (open >= limits.collabConnectionsPerUser)
      return refuseOpen(ws, collabCloseCodes.tooManyConnections, 'too many co-editing connections');
    this.#perUser.set(userId, open + 1);
    const connection = new CollabConnection(ws, docId, identity, mode, {
      onDroppedEdit: (c) => void this.#journalDropped(c),
      expired: (c) => this.#d.resolver.isExpired(c.userId),
      onClose: (c) => {
        if (!this.#connections.delete(c)) return;
        this.#countClosed(userId);
        this.#d.registry.release(docId);
        this.#presenceChanged(docId);
      },
    });
    this.#connections.add(connection);
    this.#codes.set(connection, code);
    this.#presenceChanged(docId);
    this.#d.registry.acquire(docId).then(
      (doc) => connection.attach(doc),
      (error: unknown) => {
        console.error(`[crewdeck] loading ${docId} failed`, error);
        connection.close(collabCloseCodes.goingAway, 'document unavailable');
      },
    );
  }

  #countClosed(userId: string): void {
    const left = (this.#perUser.get(userId) ?? 1) - 1;
    if (left > 0) this.#perUser.set(userId, left);
    else this.#perUser.delete(userId);
  }

  #context(identity: Identity): AuthedContext {
    return { ip: identity.ip, userAgent: identity.userAgent, actor: identity.actor, sessionId: identity.sessionId };
  }

  async #journalDropped(connection: CollabConnection): Promise<void> {
    await this.#d.audit.record(this.#context(connection.identity), {
      action: 'document.editDropped',
      outcome: 'denied',
      permission: 'doc.edit',
      code: this.#codes.get(connection) ?? null,
      note: 'View-only co-editing connection sent changes; they were dropped (journaled once per connection)',
    });
  }

  #presenceChanged(docId: string): void {
    // Raised once the cross-instance entry is written, so listeners reading it see this change.
    void this.#storePresence(docId).then((userIds) =>
      this.#d.events.emit('library.presenceChanged', { documentId: docId, userIds }),
    );
  }

  async #storePresence(docId: string): Promise<string[]> {
    const userIds = this.editorsOf(docId);
    await this.#d.relay
      .setPresence(docId, userIds)
      .catch((e: unknown) => console.error('[crewdeck] presence update failed', e));
    return userIds;
  }

  #listen(): Array<() => void> {
    const { events, relay } = this.#d;
    const both = (message: ControlMessage) => {
      relay.publishControl(message);
      void this.#control(message);
    };
    return [
      events.on('sessions.ended', ({ sessionIds }) => both({ type: 'sessions', sessionIds })),
      events.on('user.accessRevoked', ({ userId }) => both({ type: 'users', userIds: [userId], revoked: true })),
      events.on('user.accessChanged', ({ userId }) => both({ type: 'users', userIds: [userId], revoked: false })),
      // The re-check resolves the session, which re-arms the expiry timer on every instance
      // holding the user's connections, and with it the check on each of their updates.
      events.on('user.expiryChanged', ({ userId }) => both({ type: 'users', userIds: [userId], revoked: false })),
      events.on('permissions.changed', () => both({ type: 'all' })),
      events.on('library.accessChanged', ({ documentIds }) => both({ type: 'documents', documentIds })),
    ];
  }

  /** Closes what lost access outright, re-checks what may have. */
  async #control(message: ControlMessage): Promise<void> {
    const all = [...this.#connections];
    if (message.type === 'sessions')
      return this.#closeAll(all.filter((c) => message.sessionIds.includes(c.identity.sessionId)));
    if (message.type === 'users' && message.revoked)
      return this.#closeAll(all.filter((c) => message.userIds.includes(c.userId)));
    const affected =
      message.type === 'users'
        ? all.filter((c) => message.userIds.includes(c.userId))
        : message.type === 'documents'
          ? all.filter((c) => message.documentIds.includes(c.docId))
          : all;
    await Promise.all(
      affected.map((c) => this.#recheck(c).catch(() => c.close(collabCloseCodes.accessChanged, 'access changed'))),
    );
  }

  #closeAll(connections: CollabConnection[]): void {
    for (const c of connections) c.close(collabCloseCodes.accessChanged, 'access revoked');
  }

  /** Same decision as at the upgrade; a connection whose mode would differ is closed to reconnect. */
  async #recheck(connection: CollabConnection): Promise<void> {
    const resolved = await this.#d.resolver.resolve(connection.identity.token);
    const found =
      resolved && resolved.sessionId === connection.identity.sessionId
        ? await this.#d.loader.document(connection.docId)
        : null;
    const mode = resolved && found ? this.#modeFor(resolved.actor, found.resource) : null;
    if (mode !== connection.mode) connection.close(collabCloseCodes.accessChanged, 'access changed');
  }
}
