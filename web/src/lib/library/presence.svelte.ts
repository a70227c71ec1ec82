// "Who is editing" in the library list, kept live: one REST fetch on load and after every
// reconnect (events sent while offline are not replayed), then the `library:presence` socket
// event, which the server sends only for documents the user may view.
import type { PersonRef } from '@crewdeck/shared/library';
import type { LibraryPresenceEvent } from '@crewdeck/shared/realtime';
import { libraryEndpoints } from '@crewdeck/shared/library';
import { call } from '../api.ts';
import { realtime } from '../realtime.svelte.ts';

export class EditingPresence {
  /** Document id → people connected to its co-editing session now. */
  documents = $state<Record<string, PersonRef[]>>({});
  /** False until the first answer (the list's own `editing` is used until then). */
  loaded = $state(false);

  /** Fetches once and follows the live event; returns the stop function. */
  start(): () => void {
    void this.#fetch();
    const offEvent = realtime.onLibraryPresence((event) => this.#handleEvent(event));
    const offConnected = realtime.onConnected(() => void this.#fetch());
    return () => {
      offEvent();
      offConnected();
    };
  }

  /** Editors of one document: the live answer once there is one, else what the list said. */
  of(documentId: string, fallback: PersonRef[]): PersonRef[] {
    return this.loaded ? (this.documents[documentId] ?? []) : fallback;
  }

  async #fetch(): Promise<void> {
    try {
      this.documents = (await call(libraryEndpoints.presence)).documents;
      this.loaded = true;
    } catch {
      // Offline or signed out: the next reconnect fetches again; the page shows the last answer.
    }
  }

  #handleEvent({ documentId, editing }: LibraryPresenceEvent): void {
    const people = editing.map((p): PersonRef => ({ id: p.userId, name: p.name }));
    if (people.length > 0) this.documents[documentId] = people;
    else delete this.documents[documentId];
  }
}
