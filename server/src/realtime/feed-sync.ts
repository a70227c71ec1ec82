import type { ErrorBody } from '@crewdeck/shared/errors';
import { feedResumeSchema, presenceRequestSchema, socketAuthSchema, type Ack, type FeedSynced } from '@crewdeck/shared/realtime';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { FeedService } from '../feed/feed.service.ts';
import { zodFields } from '../http/error-middleware.ts';
import type { PresenceService } from '../presence/presence.service.ts';
import { rooms } from './rooms.ts';
import type { AppSocket } from './types.ts';

export interface FeedSyncDeps {
  feed: FeedService;
  publisher: FeedPublisher;
  presence: PresenceService;
}

function failure(code: ErrorBody['error']['code'], message: string, fields?: Record<string, string>): { ok: false } & ErrorBody {
  return { ok: false, error: { code, message, ...(fields ? { fields } : {}) } };
}

/** Replies through `ack` if the client sent one; a client without an ack gets nothing, and nothing throws. */
function reply<T>(ack: unknown, value: Ack<T>): void {
  if (typeof ack === 'function') ack(value);
}

function projectRooms(socket: AppSocket): string[] {
  return [...socket.rooms].map(rooms.projectOf).filter((id): id is string => id !== null);
}

/**
 * Gap-free resume. Under the publisher's lock (no entry can be stored or emitted meanwhile):
 * replay the entries after `lastSeq` of the projects the user may read and the library entries
 * the user is a viewer of, then join those project rooms and the user's library feed room,
 * then report the head. Everything stored before the lock is in the replay; everything after
 * reaches the socket through its rooms: no gap, no duplicate.
 */
export async function syncSocket(socket: AppSocket, deps: FeedSyncDeps, lastSeq: number | undefined): Promise<void> {
  const projectIds = await deps.publisher.exclusive(async () => {
    const readable = await deps.feed.readableIds(socket.data.actor);
    const synced = await replay(socket, deps, readable, lastSeq);
    await socket.join([...readable.map(rooms.project), rooms.userFeed(socket.data.actor.id)]);
    socket.emit('feed:synced', synced);
    return readable;
  });
  deps.presence.joined(socket.data.actor, projectIds);
}

async function replay(socket: AppSocket, deps: FeedSyncDeps, projectIds: string[], lastSeq: number | undefined): Promise<FeedSynced> {
  const head = await deps.feed.head();
  if (lastSeq === undefined || lastSeq >= head) return { lastSeq: head, replayed: 0, truncated: false };
  const { entries, truncated } = await deps.feed.replay(projectIds, socket.data.actor.id, lastSeq);
  for (const entry of entries) socket.emit('feed', entry);
  return { lastSeq: truncated ? (entries.at(-1)?.seq ?? lastSeq) : head, replayed: entries.length, truncated };
}

/** Client events: `feed:resume` and `presence:get`, validated with the shared schemas. */
export function registerFeedHandlers(socket: AppSocket, deps: FeedSyncDeps, log: (error: unknown) => void): void {
  socket.on('feed:resume', (payload, ack) => {
    const parsed = feedResumeSchema.safeParse(payload);
    if (!parsed.success) return reply(ack, failure('validation_failed', 'Invalid resume request', zodFields(parsed.error)));
    deps.publisher
      .exclusive(() => replay(socket, deps, projectRooms(socket), parsed.data.lastSeq))
      .then((synced) => reply(ack, { ok: true, ...synced }), (error: unknown) => {
        log(error);
        reply(ack, failure('internal', 'Resume failed'));
      });
  });
  socket.on('presence:get', (payload, ack) => {
    const parsed = presenceRequestSchema.safeParse(payload);
    if (!parsed.success) return reply(ack, failure('validation_failed', 'Invalid presence request', zodFields(parsed.error)));
    // Room membership is the access decision: sockets join a project room only after `can()`.
    if (!socket.rooms.has(rooms.project(parsed.data.projectId))) return reply(ack, failure('forbidden', 'You do not have permission to do this'));
    deps.presence.list(parsed.data.projectId).then((presence) => reply(ack, { ok: true, presence }), (error: unknown) => {
      log(error);
      reply(ack, failure('internal', 'Presence lookup failed'));
    });
  });
  // Rooms are gone by the time `disconnect` fires; remember them while they are still there.
  let left: string[] = [];
  socket.on('disconnecting', () => {
    left = projectRooms(socket);
  });
  socket.on('disconnect', () => {
    deps.presence.left(socket.data.actor.id, left).catch(log);
  });
}

/** The handshake's `auth` payload, or an error the client sees as `connect_error`. */
export function parseHandshake(auth: unknown): { lastSeq?: number } | Error {
  const parsed = socketAuthSchema.safeParse(auth ?? {});
  return parsed.success ? parsed.data : new Error('validation_failed');
}
