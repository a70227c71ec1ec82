import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import {
  socketPath,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SessionEndReason,
} from '@crewdeck/shared/realtime';
import { readSessionToken } from '../auth/auth.middleware.ts';
import type { SessionResolver } from '../auth/session-resolver.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Actor } from '../http/context.ts';
import { originAllowed } from '../http/csrf.ts';
import { rooms } from './rooms.ts';

interface SocketData {
  actor: Actor;
  sessionId: string;
  token: string;
}

type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RealtimeOptions {
  resolver: SessionResolver;
  events: EventBus;
  trustedOrigins: ReadonlySet<string>;
  isSecure: (req: IncomingMessage) => boolean;
}

/** Same checks as HTTP: the session cookie must resolve to an active user who set a password. */
async function authenticate(socket: AppSocket, resolver: SessionResolver): Promise<Error | null> {
  const token = readSessionToken(socket.request.headers.cookie);
  const resolved = token ? await resolver.resolve(token) : null;
  if (!token || !resolved) return new Error('unauthenticated');
  if (resolved.actor.mustChangePassword) return new Error('password_change_required');
  socket.data = { ...resolved, token };
  await socket.join([rooms.user(resolved.actor.id), rooms.session(resolved.sessionId)]);
  return null;
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
  ];
}

/** Socket.IO on the HTTP server, authenticated by the session cookie and revoked by domain events. */
export function attachRealtime(httpServer: HttpServer, options: RealtimeOptions): { io: AppServer; detach: () => void } {
  const io: AppServer = new Server(httpServer, {
    path: socketPath,
    serveClient: false,
    // Cross-site WebSocket hijacking: a foreign page must not ride the user's cookie.
    allowRequest: (req, callback) => callback(null, originAllowed(req, options.trustedOrigins, options.isSecure(req))),
  });
  io.use((socket, next) => {
    authenticate(socket, options.resolver).then((error) => next(error ?? undefined), next);
  });
  io.on('connection', (socket) => {
    // Every event re-checks the session, so a revoked session cannot keep talking.
    socket.use((_packet, next) => {
      options.resolver.resolve(socket.data.token).then((resolved) => {
        if (resolved?.sessionId === socket.data.sessionId) return next();
        socket.emit('session:ended', { reason: 'logout' });
        socket.disconnect(true);
      }, next);
    });
    socket.on('ping', (ack) => {
      if (typeof ack === 'function') ack({ ok: true });
    });
  });
  const unsubscribe = listen(io, options.events);
  return { io, detach: () => unsubscribe.forEach((off) => off()) };
}
