import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { socketPath, type SessionEndReason } from '@crewdeck/shared/realtime';
import { resolveSession } from '../auth/auth.middleware.ts';
import type { SessionResolver } from '../auth/session-resolver.ts';
import type { EventBus } from '../events/event-bus.ts';
import { originAllowed } from '../http/csrf.ts';
import { AppError } from '../http/errors.ts';
import type { SocketDirectory } from '../presence/presence.service.ts';
import { coalesce } from './coalesce.ts';
import { attachFeedSync, createReplayControls, parseHandshake, type FeedSyncDeps } from './feed-sync.ts';
import { forwardLibraryPresence, type LibraryPresenceSource } from './library-presence.ts';
import { rooms } from './rooms.ts';
import type { AppServer, AppSocket } from './types.ts';

export interface RealtimeOptions {
  resolver: SessionResolver;
  events: EventBus;
  trustedOrigins: ReadonlySet<string>;
  isSecure: (req: IncomingMessage) => boolean;
  /** The feed: replay on connect, live entries, presence. */
  feed: FeedSyncDeps;
  /** Live "who is editing" in the library, for the users who may view each document. */
  library?: LibraryPresenceSource;
  log: (error: unknown) => void;
}

/** The HTTP check (`resolveSession`); a refusal reaches the client as its error code. */
async function authenticate(socket: AppSocket, resolver: SessionResolver): Promise<Error | null> {
  const session = await resolveSession(resolver, socket.request.headers.cookie, 'user').catch((error: unknown) => {
    if (error instanceof AppError) return new Error(error.code);
    throw error;
  });
  if (session instanceof Error) return session;
  const handshake = parseHandshake(socket.handshake.auth);
  if (handshake instanceof Error) return handshake;
  socket.data = session;
  // Born replaying: no live feed entry reaches the socket before its replay (which leaves the room).
  await socket.join([rooms.user(session.actor.id), rooms.session(session.sessionId), rooms.replaying]);
  return null;
}

/** Presence's view of live sockets: the rooms span every instance (`fetchSockets()`). */
function socketDirectory(io: AppServer): SocketDirectory {
  return {
    async online(projectId) {
      const sockets = await io.in(rooms.project(projectId)).fetchSockets();
      return sockets.map((s) => s.data.actor);
    },
    async stillIn(userId, projectIds) {
      const sockets = await io.in(rooms.user(userId)).fetchSockets();
      return new Set(projectIds.filter((id) => sockets.some((s) => s.rooms.has(rooms.project(id)))));
    },
  };
}

/** Tells every socket in `room` its session is over, then disconnects it (the packet goes first). */
function endSessions(io: AppServer, room: string, reason: SessionEndReason): void {
  io.to(room).emit('session:ended', { reason });
  io.in(room).disconnectSockets(true);
}

/** Access changed: clients reconnect and are authorized afresh. */
function reauthorize(io: AppServer, room: string): void {
  io.to(room).emit('access:changed');
  io.in(room).disconnectSockets(true);
}

function listen(io: AppServer, events: EventBus): Array<() => void> {
  return [
    events.on('sessions.ended', ({ sessionIds, reason }) => {
      for (const id of sessionIds) endSessions(io, rooms.session(id), reason);
    }),
    events.on('user.accessRevoked', ({ userId, reason }) => endSessions(io, rooms.user(userId), reason)),
    events.on('user.accessChanged', ({ userId }) => reauthorize(io, rooms.user(userId))),
    events.on('permissions.changed', () => {
      io.emit('access:changed');
      io.disconnectSockets(true);
    }),
    // Visibility is decided when sockets join rooms; a membership change moves them at once (on every instance).
    events.on('project.accessChanged', ({ projectId, userId, canRead }) => {
      if (canRead) io.in(rooms.user(userId)).socketsJoin(rooms.project(projectId));
      else io.in(rooms.user(userId)).socketsLeave(rooms.project(projectId));
    }),
    events.on('project.presenceChanged', (delta) => {
      io.to(rooms.project(delta.projectId)).emit('presence', delta);
    }),
    // Sockets in the middle of a replay get the entry from the store, in seq order, instead.
    events.on('feed.appended', ({ entry }) => {
      io.to(rooms.project(entry.projectId)).except(rooms.replaying).emit('feed', entry);
    }),
    // One emit to every viewer's room: a socket in several of them still gets the entry once.
    events.on('library.feedAppended', ({ entry, viewers }) => {
      if (viewers.length > 0) io.to(viewers.map(rooms.userFeed)).except(rooms.replaying).emit('feed', entry);
    }),
    events.on('notification.created', ({ userId, event }) => {
      io.to(rooms.user(userId)).emit('notification', event);
    }),
  ];
}

/** Socket.IO on the HTTP server, authenticated by the session cookie and revoked by domain events. */
export function attachRealtime(
  httpServer: HttpServer,
  options: RealtimeOptions,
): { io: AppServer; detach: () => void } {
  const io: AppServer = new Server(httpServer, {
    path: socketPath,
    serveClient: false,
    // Cross-site WebSocket hijacking: a foreign page must not ride the user's cookie.
    allowRequest: (req, callback) => callback(null, originAllowed(req, options.trustedOrigins, options.isSecure(req))),
  });
  const replays = createReplayControls();
  io.use((socket, next) => {
    authenticate(socket, options.resolver).then((error) => next(error ?? undefined), next);
  });
  io.on('connection', (socket) => {
    // Every event re-checks the session, so a revoked session cannot keep talking. A flood of
    // events shares lookups (each still answered by one that started after it arrived).
    const sessionValid = coalesce(
      async () => (await options.resolver.resolve(socket.data.token))?.sessionId === socket.data.sessionId,
    );
    socket.use((_packet, next) => {
      sessionValid().then((valid) => {
        if (valid) return next();
        socket.emit('session:ended', { reason: 'logout' });
        socket.disconnect(true);
      }, next);
    });
    socket.on('ping', (ack) => {
      if (typeof ack === 'function') ack({ ok: true });
    });
    const handshake = parseHandshake(socket.handshake.auth);
    const lastSeq = handshake instanceof Error ? undefined : handshake.lastSeq;
    attachFeedSync(socket, options.feed, replays, lastSeq, options.log);
  });
  const unsubscribe = listen(io, options.events);
  if (options.library) unsubscribe.push(forwardLibraryPresence(io, options.events, options.library, options.log));
  options.feed.presence.attach(socketDirectory(io));
  return {
    io,
    detach: () => {
      unsubscribe.forEach((off) => off());
      options.feed.presence.detach();
    },
  };
}
