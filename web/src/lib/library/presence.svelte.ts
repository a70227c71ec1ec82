// "Who is editing" in the library list, kept live: the server exposes it as a route (there is
// no socket event for it), so it is polled while the page is visible and refreshed at once when
// the tab comes back.
import type { PersonRef } from '@crewdeck/shared/library';
import { api } from '../api.ts';

const POLL_MS = 4000;

export class EditingPresence {
  /** Document id → people connected to its co-editing session now. */
  documents = $state<Record<string, PersonRef[]>>({});
  /** False until the first answer (the list's own `editing` is used until then). */
  loaded = $state(false);

  /** Starts polling; returns the stop function. */
  start(): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const tick = async () => {
      clearTimeout(timer);
      if (stopped) return;
      if (document.visibilityState === 'visible') {
        try {
          this.documents = (await api.library.presence()).documents;
          this.loaded = true;
        } catch {
          // Offline or signed out: the next tick tries again; the page shows the last answer.
        }
      }
      if (!stopped) timer = setTimeout(() => void tick(), POLL_MS);
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') void tick();
    };
    document.addEventListener('visibilitychange', onVisible);
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }

  /** Editors of one document: the live answer once there is one, else what the list said. */
  of(documentId: string, fallback: PersonRef[]): PersonRef[] {
    return this.loaded ? (this.documents[documentId] ?? []) : fallback;
  }
}
