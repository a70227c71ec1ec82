import { io, type Socket } from 'socket.io-client';
import type { FeedEntry } from '@crewdeck/shared/feed';
import type { NotificationEvent } from '@crewdeck/shared/notifications';
import type { PresenceDelta } from '@crewdeck/shared/projects';
import type { ClientToServerEvents, FeedSynced, ServerToClientEvents } from '@crewdeck/shared/realtime';
import type { HttpClient } from './http.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A socket.io-client that records what it receives, for asserting on it. */
export interface RecordingSocket {
  socket: ClientSocket;
  feed: FeedEntry[];
  notifications: NotificationEvent[];
  presence: PresenceDelta[];
  synced: FeedSynced[];
  /** Resolves after the server's `feed:synced` for this connection. */
  ready: Promise<FeedSynced>;
  /** Resolves once `count` feed entries arrived (or rejects after `ms`). */
  waitForFeed(count: number, ms?: number): Promise<FeedEntry[]>;
  close(): void;
}

/** Connects as the client's user (cookie), optionally resuming after `lastSeq`. */
export function connectSocket(
  url: string,
  client: HttpClient,
  options: { lastSeq?: number; auth?: unknown } = {},
): RecordingSocket {
  const auth = options.auth ?? (options.lastSeq === undefined ? {} : { lastSeq: options.lastSeq });
  const socket: ClientSocket = io(url, {
    transports: ['websocket'],
    extraHeaders: { cookie: client.cookieHeader(), origin: url },
    reconnection: false,
    forceNew: true,
    auth: auth as Record<string, unknown>,
  });
  const rec: RecordingSocket = {
    socket,
    feed: [],
    notifications: [],
    presence: [],
    synced: [],
    ready: new Promise((resolve, reject) => {
      socket.once('feed:synced', resolve);
      socket.once('connect_error', reject);
    }),
    waitForFeed: (count, ms = 10_000) =>
      waitFor(
        () => rec.feed.length >= count,
        ms,
        () => `${rec.feed.length}/${count} feed entries`,
      ).then(() => rec.feed),
    close: () => socket.close(),
  };
  socket.on('feed', (entry) => rec.feed.push(entry));
  socket.on('notification', (n) => rec.notifications.push(n));
  socket.on('presence', (p) => rec.presence.push(p));
  socket.on('feed:synced', (s) => rec.synced.push(s));
  return rec;
}

/** Polls `check` every 10 ms until it holds or `ms` pass. */
export async function waitFor(
  check: () => boolean,
  ms = 10_000,
  describe: () => string = () => 'condition',
): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${describe()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
