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
}

/** Events clients send over Socket.IO. */
export interface ClientToServerEvents {
  /** Liveness check that also refreshes the session's last activity. */
  ping: (ack: (reply: { ok: true }) => void) => void;
}

/** Socket.IO path (default). */
export const socketPath = '/socket.io';
