import type { LibraryPresenceEvent } from '@crewdeck/shared/realtime';
import type { EventBus } from '../events/event-bus.ts';
import { rooms } from './rooms.ts';
import type { AppServer } from './types.ts';

/** Where "who is editing" and its audience come from (the library module). */
export interface LibraryPresenceSource {
  /** Editors of the document on every instance, and the users who may view it now. */
  livePresence(documentId: string): Promise<{ event: LibraryPresenceEvent; viewers: string[] }>;
}

/**
 * Turns `library.presenceChanged` into `library:presence` for the users who may view the
 * document (the same `can()` rule as its feed entries): never to anyone else. Changes of one
 * document are handled one after another, so a slow lookup cannot deliver an older list last.
 */
export function forwardLibraryPresence(
  io: AppServer,
  events: EventBus,
  source: LibraryPresenceSource,
  log: (error: unknown) => void,
): () => void {
  const queues = new Map<string, Promise<void>>();
  let stopped = false;
  const send = async (documentId: string) => {
    if (stopped) return;
    const { event, viewers } = await source.livePresence(documentId);
    if (viewers.length > 0) io.to(viewers.map(rooms.user)).emit('library:presence', event);
  };
  // During shutdown the lookups of closing co-editing connections may outlive the database.
  const report = (error: unknown) => {
    if (!stopped) log(error);
  };
  const off = events.on('library.presenceChanged', ({ documentId }) => {
    const next = (queues.get(documentId) ?? Promise.resolve()).then(() => send(documentId)).catch(report);
    queues.set(documentId, next);
    void next.finally(() => {
      if (queues.get(documentId) === next) queues.delete(documentId);
    });
  });
  return () => {
    stopped = true;
    off();
  };
}
