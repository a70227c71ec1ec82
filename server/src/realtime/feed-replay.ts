import { limits } from '@crewdeck/shared/limits';
import type { FeedSynced } from '@crewdeck/shared/realtime';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { FeedService } from '../feed/feed.service.ts';
import { rooms } from './rooms.ts';
import type { AppSocket } from './types.ts';

export interface FeedReplayDeps {
  feed: FeedService;
  publisher: FeedPublisher;
}

/** Runs under the publisher's lock once the replay caught up: `readable` are the projects the user may read now. */
export type SettleStep = (readable: string[], synced: FeedSynced) => Promise<void> | void;

/** How far a replay got: every entry up to `cursor` that the user may read was sent. */
interface Progress {
  cursor: number;
  replayed: number;
  truncated: boolean;
}

/**
 * Gap-free replay that does not hold the publisher for its length. The socket first joins
 * `rooms.replaying`, which live broadcasts skip; then it pages through the entries after
 * `lastSeq` by seq ranges WITHOUT the lock: each round reads the head, then what the user may
 * read, then sends the visible entries up to that head, a page at a time, paced (see
 * `sendRange`). Entries are committed in seq order: each publish reserves its seqs on the one
 * counter inside its transaction, which holds the counter until it commits (a second writer,
 * on any instance, conflicts and retries after it), so every entry up to a head just read is
 * readable.
 * Only when at most a page of seqs remains does it take the lock: read the rest, run `settle`
 * (join rooms, report), leave `rooms.replaying`, release. Whatever the socket's rooms skipped
 * was stored before it was emitted, so it is in some page: no gap, no duplicate, live entries
 * after. Resolves with null when the socket disconnected meanwhile.
 */
export async function replayMissed(
  socket: AppSocket,
  deps: FeedReplayDeps,
  lastSeq: number | undefined,
  settle: SettleStep,
): Promise<FeedSynced | null> {
  if (!socket.connected) return null;
  await socket.join(rooms.replaying);
  try {
    const progress: Progress = { cursor: lastSeq ?? 0, replayed: 0, truncated: false };
    for (let attempt = 1; ; attempt++) {
      if (lastSeq !== undefined) await catchUp(socket, deps, progress);
      const outcome = await settleLocked(
        socket,
        deps,
        lastSeq === undefined,
        progress,
        settle,
        attempt >= limits.feedReplayRoundsMax,
      );
      if (outcome !== 'behind') return outcome;
    }
  } finally {
    await socket.leave(rooms.replaying);
  }
}

/** Unlocked rounds until at most one page of seqs remains (or the replay hit its limit). */
async function catchUp(socket: AppSocket, deps: FeedReplayDeps, progress: Progress): Promise<void> {
  for (let round = 0; round < limits.feedReplayRoundsMax; round++) {
    if (progress.truncated || !socket.connected) return;
    const head = await deps.feed.head();
    if (head - progress.cursor <= limits.feedReplayPage) return;
    // Read after the head: the membership behind every entry up to it is already stored.
    const readable = await deps.feed.readableIds(socket.data.actor);
    await sendRange(socket, deps, readable, progress, head, true);
  }
}

/**
 * The short final step under the lock. 'behind' when writes queued ahead of the lock left more
 * than two pages to read: release it and page again unlocked (until the last attempt).
 */
async function settleLocked(
  socket: AppSocket,
  deps: FeedReplayDeps,
  fromHead: boolean,
  progress: Progress,
  settle: SettleStep,
  last: boolean,
): Promise<FeedSynced | null | 'behind'> {
  return deps.publisher.exclusive(async () => {
    const head = await deps.feed.head();
    if (fromHead) progress.cursor = head;
    if (!last && !progress.truncated && head - progress.cursor > 2 * limits.feedReplayPage) return 'behind';
    const readable = await deps.feed.readableIds(socket.data.actor);
    if (!progress.truncated) await sendRange(socket, deps, readable, progress, head, false);
    if (!socket.connected) return null;
    const synced: FeedSynced = {
      lastSeq: progress.truncated ? progress.cursor : head,
      replayed: progress.replayed,
      truncated: progress.truncated,
    };
    await settle(readable, synced);
    await socket.leave(rooms.replaying);
    return synced;
  });
}

/**
 * Sends the visible entries in `(cursor, through]`, a page per query, at most `feedResumeMax`
 * in all (one more found means truncated). `paced` (never under the lock): after each page,
 * wait for the socket to drain, so about a page at most waits in memory for a slow client,
 * then pause as long as the page took, so other work (writes) gets the other half of the loop.
 */
async function sendRange(
  socket: AppSocket,
  deps: FeedReplayDeps,
  readable: string[],
  progress: Progress,
  through: number,
  paced: boolean,
): Promise<void> {
  while (progress.cursor < through && !progress.truncated && socket.connected) {
    const started = performance.now();
    const room = limits.feedResumeMax - progress.replayed;
    const limit = Math.min(limits.feedReplayPage, room + 1);
    const entries = await deps.feed.page(readable, socket.data.actor.id, progress.cursor, through, limit);
    const sent = entries.slice(0, room);
    for (const entry of sent) socket.emit('feed', entry);
    progress.replayed += sent.length;
    progress.truncated = entries.length > room;
    // A short page read the whole range; a full one continues after its last entry.
    progress.cursor = entries.length < limit ? through : (sent.at(-1)?.seq ?? progress.cursor);
    if (!paced) continue;
    const took = performance.now() - started;
    await drained(socket);
    await pause(Math.min(took, limits.feedReplayPauseMaxMs));
  }
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves when the socket's transport finished writing what it was given (it then flushes the
 * rest of the socket's buffer), or it was replaced or closed.
 */
function drained(socket: AppSocket): Promise<void> {
  const conn = socket.conn;
  const transport = conn.transport;
  if (!socket.connected || transport.writable) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      transport.off('drain', done);
      conn.off('upgrade', done);
      conn.off('close', done);
      resolve();
    };
    transport.on('drain', done);
    conn.on('upgrade', done);
    conn.on('close', done);
  });
}
