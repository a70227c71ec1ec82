// The one live connection of the web app: a Socket.IO client authenticated by the session
// cookie. It keeps the highest feed `seq` seen, drops anything at or below it (replays after a
// reconnect may overlap what already arrived), resumes with `auth: { lastSeq }`, and reconnects
// with exponential backoff and jitter. Pages subscribe to feed entries, resyncs, notifications,
// (re)connects and the library's "who is editing".
import { io, type Socket } from 'socket.io-client';
import { feedEntrySchema, type FeedEntry } from '@crewdeck/shared/feed';
import { type Notification, notificationEndpoints, notificationEventSchema } from '@crewdeck/shared/notifications';
import { presenceDeltaSchema, presenceSchema, projectEndpoints } from '@crewdeck/shared/projects';
import {
  libraryPresenceEventSchema,
  type ClientToServerEvents,
  type FeedSynced,
  type LibraryPresenceEvent,
  type ServerToClientEvents,
} from '@crewdeck/shared/realtime';
import { call } from './api.ts';
import { type Listener, Listeners } from './listeners.ts';
import { applyPresenceDelta, type PresentUser } from './presence.ts';

export type LiveStatus = 'idle' | 'connecting' | 'live' | 'offline' | 'ended';
export type { PresentUser };

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

/** Backoff for the n-th attempt: exponential, capped, with ±50 % jitter so clients spread out. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.round(base * (0.5 + random()));
}

export class Realtime {
  /** Connection state, for the "live" indicator. */
  status = $state<LiveStatus>('idle');
  /** Highest feed seq received; sent on every (re)connect. */
  lastSeq = $state(0);
  /** Unread notifications of the signed-in user. */
  unread = $state(0);
  /** Who is online, per project that a page asked about. */
  online = $state<Record<string, PresentUser[]>>({});

  #socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #feed = new Listeners<FeedEntry>();
  readonly #resync = new Listeners<void>();
  readonly #notifications = new Listeners<Notification>();
  readonly #access = new Listeners<void>();
  readonly #connected = new Listeners<void>();
  readonly #libraryPresence = new Listeners<LibraryPresenceEvent>();
  /** How many watchers each project has (`online` is the state pages render). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping read only by this class's socket handlers, never by a template or effect
  readonly #watched = new Map<string, number>();

  /** Opens the connection (idempotent). */
  start(): void {
    if (this.#socket) return;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      autoConnect: false,
      reconnection: false,
      withCredentials: true,
      // Evaluated on every connect, so a reconnect resumes from the latest seq.
      auth: (cb) => cb(this.lastSeq > 0 ? { lastSeq: this.lastSeq } : {}),
    });
    socket.on('connect', () => this.#handleConnect());
    socket.on('disconnect', () => this.#handleDrop());
    socket.on('connect_error', () => this.#handleDrop());
    socket.on('feed', (entry) => this.#handleFeed(entry));
    socket.on('feed:synced', (payload) => this.#handleSynced(payload));
    socket.on('notification', (payload) => this.#handleNotification(payload));
    socket.on('presence', (payload) => this.#handlePresence(payload));
    socket.on('library:presence', (payload) => this.#handleLibraryPresence(payload));
    socket.on('session:ended', () => this.stop('ended'));
    socket.on('access:changed', () => this.#access.emit());
    this.#socket = socket;
    this.status = 'connecting';
    socket.connect();
    window.addEventListener('online', this.#handleOnline);
    void this.refreshUnread();
  }

  /** Closes the connection for good (sign-out, session ended). */
  stop(status: LiveStatus = 'idle'): void {
    clearTimeout(this.#timer);
    const socket = this.#socket;
    this.#socket = null;
    window.removeEventListener('online', this.#handleOnline);
    socket?.removeAllListeners();
    socket?.disconnect();
    this.status = status;
    // The next start may be another person's session: nothing carries over.
    this.lastSeq = 0;
    this.unread = 0;
    this.online = {};
  }

  onFeed(listener: Listener<FeedEntry>): () => void {
    return this.#feed.add(listener);
  }

  /** Called after a reconnect whose replay was cut short: refetch state through the API. */
  onResync(listener: Listener<void>): () => void {
    return this.#resync.add(listener);
  }

  onNotification(listener: Listener<Notification>): () => void {
    return this.#notifications.add(listener);
  }

  /** Roles or permissions changed: the server drops the socket; pages should reload their data. */
  onAccessChanged(listener: Listener<void>): () => void {
    return this.#access.add(listener);
  }

  /** Called on every (re)connect: events missed while offline are not replayed, refetch them. */
  onConnected(listener: Listener<void>): () => void {
    return this.#connected.add(listener);
  }

  /** Who is editing a library document the user may view changed (the full list). */
  onLibraryPresence(listener: Listener<LibraryPresenceEvent>): () => void {
    return this.#libraryPresence.add(listener);
  }

  /** Keeps `online[projectId]` up to date while the returned function is not called. */
  watchPresence(projectId: string): () => void {
    this.#watched.set(projectId, (this.#watched.get(projectId) ?? 0) + 1);
    void this.#fetchPresence(projectId);
    return () => {
      const count = (this.#watched.get(projectId) ?? 1) - 1;
      if (count > 0) this.#watched.set(projectId, count);
      else this.#watched.delete(projectId);
    };
  }

  async refreshUnread(): Promise<void> {
    try {
      this.unread = (await call(notificationEndpoints.list, { query: { unread: 'true', limit: 1 } })).unread;
    } catch {
      // The bell keeps its last count; the next notification event corrects it.
    }
  }

  #handleConnect(): void {
    this.#attempt = 0;
    this.status = 'live';
    for (const projectId of this.#watched.keys()) void this.#fetchPresence(projectId);
    this.#connected.emit();
  }

  #handleDrop(): void {
    if (!this.#socket || this.status === 'ended') return;
    this.status = 'offline';
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#reconnect(), reconnectDelay(this.#attempt++));
  }

  /** Back on the network: try at once instead of waiting out the backoff. */
  #handleOnline = (): void => {
    if (!this.#socket || this.#socket.connected || this.status === 'ended') return;
    clearTimeout(this.#timer);
    this.#attempt = 0;
    this.#reconnect();
  };

  #reconnect(): void {
    const socket = this.#socket;
    if (!socket || socket.connected) return;
    this.status = 'connecting';
    socket.connect();
    void this.refreshUnread();
  }

  #handleFeed(raw: unknown): void {
    const parsed = feedEntrySchema.safeParse(raw);
    if (!parsed.success || parsed.data.seq <= this.lastSeq) return;
    this.lastSeq = parsed.data.seq;
    this.#feed.emit(parsed.data);
  }

  #handleSynced(payload: FeedSynced): void {
    if (payload.lastSeq > this.lastSeq) this.lastSeq = payload.lastSeq;
    if (payload.truncated) this.#resync.emit();
  }

  #handleNotification(raw: unknown): void {
    const parsed = notificationEventSchema.safeParse(raw);
    if (!parsed.success) return;
    this.unread = parsed.data.unread;
    this.#notifications.emit(parsed.data.notification);
  }

  #handlePresence(raw: unknown): void {
    const parsed = presenceDeltaSchema.safeParse(raw);
    if (!parsed.success || !this.#watched.has(parsed.data.projectId)) return;
    const { projectId, joined, left, refetch } = parsed.data;
    if (refetch) return void this.#fetchPresence(projectId);
    this.online[projectId] = applyPresenceDelta(this.online[projectId] ?? [], joined, left);
  }

  #handleLibraryPresence(raw: unknown): void {
    const parsed = libraryPresenceEventSchema.safeParse(raw);
    if (parsed.success) this.#libraryPresence.emit(parsed.data);
  }

  async #fetchPresence(projectId: string): Promise<void> {
    const socket = this.#socket;
    if (socket?.connected) {
      const reply = await socket
        .timeout(5000)
        .emitWithAck('presence:get', { projectId })
        .catch(() => null);
      const parsed = reply?.ok ? presenceSchema.safeParse(reply.presence) : null;
      if (parsed?.success) return void (this.online[projectId] = parsed.data.online);
    }
    const presence = await call(projectEndpoints.presence, { params: { id: projectId } }).catch(() => null);
    if (presence) this.online[projectId] = presence.online;
  }
}

/** The app's single live connection (the app renders in the browser only: `ssr = false`). */
export const realtime = new Realtime();
