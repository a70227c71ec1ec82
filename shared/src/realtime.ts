import { z } from 'zod';
import type { ErrorBody } from './errors.ts';
import type { FeedEntry } from './feed.ts';
import type { NotificationEvent } from './notifications.ts';
import type { Presence, PresenceDelta } from './projects.ts';
import { idSchema } from './common.ts';

/** `library:presence`: who is editing a library document now (every instance), replacing the previous list. */
export const libraryPresenceEventSchema = z.object({
  /** The document. */
  documentId: idSchema,
  /** People connected to its co-editing session with edit access (empty: nobody). */
  editing: z.array(z.object({ userId: idSchema, name: z.string() })),
});
export type LibraryPresenceEvent = z.infer<typeof libraryPresenceEventSchema>;

/** Why the server ends a live connection; the client decides whether to reconnect. */
export const sessionEndReasons = [
  'logout',
  'logout_all',
  'disabled',
  'expired',
  'password_changed',
  'password_reset',
  'idle',
] as const;
export type SessionEndReason = (typeof sessionEndReasons)[number];

/** Events the server sends over Socket.IO. */
export interface ServerToClientEvents {
  /** The session is over; the server disconnects right after. Do not reconnect. */
  'session:ended': (payload: { reason: SessionEndReason }) => void;
  /** Role, groups or permissions changed; the server disconnects. Reconnect and refetch `/api/me`. */
  'access:changed': () => void;
  /**
   * A feed entry, in `seq` order: of a project the user may read, or about a library document
   * the user could view when it was published (`projectId: null`).
   */
  feed: (entry: FeedEntry) => void;
  /**
   * Sent once per connection after the missed entries were replayed: `lastSeq` is the
   * workspace head. `truncated` means more were missed than one replay carries: refetch state.
   */
  'feed:synced': (payload: FeedSynced) => void;
  /** A new notification for this user, with the unread count. */
  notification: (payload: NotificationEvent) => void;
  /** Who came online or went offline in a project the user may read (batched). */
  presence: (payload: PresenceDelta) => void;
  /** Who is editing a library document the user may view changed (the full list, not a delta). */
  'library:presence': (payload: LibraryPresenceEvent) => void;
}

/** Payload of `feed:synced`, and the answer to `feed:resume`. */
export interface FeedSynced {
  /** Highest seq in the workspace at the end of the replay (the last replayed one when truncated). */
  lastSeq: number;
  /** Entries replayed on this connection. */
  replayed: number;
  /** True when the replay stopped at its limit: refetch through the API. */
  truncated: boolean;
}

/** Socket handshake `auth` payload. */
export const socketAuthSchema = z.object({
  /** Highest feed seq the client has seen; missed entries are replayed before live ones. */
  lastSeq: z.number().int().nonnegative().optional(),
});

/** `presence:get` payload. */
export const presenceRequestSchema = z.strictObject({
  /** Project to list. */
  projectId: idSchema,
});

/**
 * `feed:resume` payload: replay what was missed without reconnecting (e.g. after a Redis outage).
 * One replay runs per socket at a time; requests sent meanwhile are merged into one more run
 * (from the lowest `lastSeq`) and all answered with its result. Counted per user: past
 * `limits.feedResumesPerUser` per `limits.feedResumeWindowSeconds` the answer is the error
 * `rate_limited` with `retryAfterSeconds`.
 */
export const feedResumeSchema = z.strictObject({
  /** Highest seq the client has seen. */
  lastSeq: z.number().int().nonnegative(),
});

/** Acknowledgement of a client event: the result, or the shared error body. */
export type Ack<T> = ({ ok: true } & T) | ({ ok: false } & ErrorBody);

/** Events clients send over Socket.IO. */
export interface ClientToServerEvents {
  /** Liveness check that also refreshes the session's last activity. */
  ping: (ack: (reply: { ok: true }) => void) => void;
  /** Members online in a project (payload: `presenceRequestSchema`). */
  'presence:get': (payload: unknown, ack: (reply: Ack<{ presence: Presence }>) => void) => void;
  /**
   * Replays entries after `lastSeq` to this socket (payload: `feedResumeSchema`), then answers;
   * `{ ok: false, error: { code: 'rate_limited', retryAfterSeconds } }` when asked too often.
   */
  'feed:resume': (payload: unknown, ack: (reply: Ack<FeedSynced>) => void) => void;
}

/** Socket.IO path (default). */
export const socketPath = '/socket.io';

/**
 * WebSocket close codes of the co-editing endpoint (`/yjs/<documentId>`). One code for every
 * revocation (access to the document revoked or reduced, account disabled, session ended,
 * role or groups changed): the client reconnects once and is re-authorized; a refused upgrade
 * (HTTP 401/403/404) means it should stop.
 */
export const collabCloseCodes = {
  /**
   * Access changed or was revoked: reconnect to be re-authorized. Deliberately outside
   * 4400–4499, which y-websocket's provider treats as "never reconnect".
   */
  accessChanged: 4001,
  /** The server is shutting down or unloading the document: reconnect later. */
  goingAway: 1001,
  /** A message was malformed or too large. */
  protocolError: 1002,
  /**
   * The user already has `limits.collabConnectionsPerUser` co-editing connections open (on
   * this server instance). Inside 4400–4499 on purpose: the stock provider does not
   * reconnect; a client should say so and retry only after the user closed other documents.
   */
  tooManyConnections: 4429,
} as const;

/** Cursor colours of co-editing awareness: well separated, white text stays readable on each. */
const collabPalette = [
  '#c2410c',
  '#1d4ed8',
  '#15803d',
  '#7e22ce',
  '#be185d',
  '#0f766e',
  '#a16207',
  '#4338ca',
  '#b91c1c',
  '#0369a1',
] as const;

/**
 * A person's cursor colour (`#rrggbb`), from an FNV-1a hash of the user id (ids that differ
 * only at the end still land far apart). The server sets it in each awareness state, with
 * the id and name, from the session: clients cannot choose how they appear to others.
 */
export function collabColor(userId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i += 1) {
    h ^= userId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return collabPalette[(h >>> 0) % collabPalette.length] ?? '#1d4ed8';
}

/** The `user` field the server writes into every co-editing awareness state. */
export interface CollabAwarenessUser {
  /** The user's id. */
  id: string;
  /** Display name, from the account. */
  name: string;
  /** Cursor colour, `collabColor(id)`. */
  color: string;
}
