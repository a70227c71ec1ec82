import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@crewdeck/shared/realtime';
import type { Actor } from '../http/context.ts';

/** What the server keeps on each socket. */
export interface SocketData {
  actor: Actor;
  sessionId: string;
  token: string;
}

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
