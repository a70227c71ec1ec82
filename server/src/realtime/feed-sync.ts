import type { ErrorBody } from '@crewdeck/shared/errors';
import {
  feedResumeSchema,
  presenceRequestSchema,
  socketAuthSchema,
  type Ack,
  type FeedSynced,
} from '@crewdeck/shared/realtime';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { FeedService } from '../feed/feed.service.ts';
import { zodFields } from '../http/error-middleware.ts';
import type { PresenceService } from '../presence/presence.service.ts';
import { replayMissed } from './feed-replay.ts';
import { ReplayGate, ResumeLimiter } from './replay-limits.ts';
import { ReplayQueue } from './replay-queue.ts';
import { rooms } from './rooms.ts';
import type { AppSocket } from './types.ts';

export interface FeedSyncDeps {
  feed: FeedService;
  publisher: FeedPublisher;
  presence: PresenceService;
}

/** Shared by every socket of one server: the per-user resume rate limit and replay slots. */
export interface ReplayControls {
  limiter: ResumeLimiter;
  gate: ReplayGate;
}

export function createReplayControls(): ReplayControls {
  return { limiter: new ResumeLimiter(), gate: new ReplayGate() };
}

type Failure = { ok: false } & ErrorBody;

function failure(code: ErrorBody['error']['code'], message: string, fields?: Record<string, string>): Failure {
  return { ok: false, error: { code, message, ...(fields ? { fields } : {}) } };
}

function rateLimited(retryAfterSeconds: number): Failure {
  return {
    ok: false,
    error: { code: 'rate_limited', message: 'Too many resume requests; try again later', retryAfterSeconds },
  };
}

/** Replies through `ack` if the client sent one; a client without an ack gets nothing, and nothing throws. */
function reply<T>(ack: unknown, value: Ack<T>): void {
  if (typeof ack === 'function') ack(value);
}

function projectRooms(socket: AppSocket): string[] {
  return [...socket.rooms].map(rooms.projectOf).filter((id): id is string => id !== null);
}

/**
 * The connection's replay (see `replayMissed`): the entries after the handshake's `lastSeq`,
 * then, under the publisher's lock, joining the project rooms the user may read and the
 * user's library feed room, and `feed:synced`. Disconnects the socket if it fails.
 */
async function syncOnConnect(
  socket: AppSocket,
  deps: FeedSyncDeps,
  controls: ReplayControls,
  lastSeq: number | undefined,
  log: (error: unknown) => void,
): Promise<void> {
  const release = await controls.gate.acquire(socket.data.actor.id);
  try {
    let joined: string[] = [];
    const synced = await replayMissed(socket, deps, lastSeq, async (readable, result) => {
      await socket.join([...readable.map(rooms.project), rooms.userFeed(socket.data.actor.id)]);
      joined = readable;
      socket.emit('feed:synced', result);
    });
    if (synced) deps.presence.joined(socket.data.actor, joined);
  } catch (error) {
    log(error);
    socket.disconnect(true);
  } finally {
    release();
  }
}

/** A `feed:resume` run: the entries after `lastSeq`; the socket keeps its rooms. */
async function resume(
  socket: AppSocket,
  deps: FeedSyncDeps,
  controls: ReplayControls,
  lastSeq: number,
  log: (error: unknown) => void,
): Promise<Ack<FeedSynced>> {
  const release = await controls.gate.acquire(socket.data.actor.id);
  try {
    const synced = await replayMissed(socket, deps, lastSeq, () => undefined);
    return synced ? { ok: true, ...synced } : failure('internal', 'Resume interrupted: the connection closed');
  } catch (error) {
    log(error);
    return failure('internal', 'Resume failed');
  } finally {
    release();
  }
}

/**
 * Feed sync of one socket: the connection's replay now, then `feed:resume` (validated, rate
 * limited per user, one run at a time with later requests merged) and `presence:get`.
 */
export function attachFeedSync(
  socket: AppSocket,
  deps: FeedSyncDeps,
  controls: ReplayControls,
  lastSeq: number | undefined,
  log: (error: unknown) => void,
): void {
  const queue = new ReplayQueue((from) => resume(socket, deps, controls, from, log));
  registerFeedHandlers(socket, deps, controls, queue, log);
  queue.start(() => syncOnConnect(socket, deps, controls, lastSeq, log));
}

function registerFeedHandlers(
  socket: AppSocket,
  deps: FeedSyncDeps,
  controls: ReplayControls,
  queue: ReplayQueue,
  log: (error: unknown) => void,
): void {
  socket.on('feed:resume', (payload, ack) => {
    const parsed = feedResumeSchema.safeParse(payload);
    if (!parsed.success)
      return reply(ack, failure('validation_failed', 'Invalid resume request', zodFields(parsed.error)));
    controls.limiter.take(socket.data.actor.id).then(
      (retryAfter) => {
        if (retryAfter !== null) return reply(ack, rateLimited(retryAfter));
        queue.request(parsed.data.lastSeq, (answer) => reply(ack, answer));
      },
      (error: unknown) => {
        log(error);
        reply(ack, failure('internal', 'Resume failed'));
      },
    );
  });
  socket.on('presence:get', (payload, ack) => {
    const parsed = presenceRequestSchema.safeParse(payload);
    if (!parsed.success)
      return reply(ack, failure('validation_failed', 'Invalid presence request', zodFields(parsed.error)));
    // Room membership is the access decision: sockets join a project room only after `can()`.
    if (!socket.rooms.has(rooms.project(parsed.data.projectId)))
      return reply(ack, failure('forbidden', 'You do not have permission to do this'));
    deps.presence.list(parsed.data.projectId).then(
      (presence) => reply(ack, { ok: true, presence }),
      (error: unknown) => {
        log(error);
        reply(ack, failure('internal', 'Presence lookup failed'));
      },
    );
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
