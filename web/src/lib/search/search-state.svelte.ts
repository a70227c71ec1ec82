// The palette's type-ahead: what was typed, the server's answer for it, and whether it is on
// its way. Each keystroke restarts a short timer; an answer to an older query is dropped, so
// fast typing never shows stale results.
import { searchEndpoints, searchLimits, type SearchResult } from '@crewdeck/shared/search';
import { call } from '../api.ts';

/** Shorter queries are not sent (the server needs two letters or four digits to look anything up). */
export const minQueryLength = 2;
const debounceMs = 150;

export type SearchStatus = 'idle' | 'loading' | 'done' | 'failed';

export class PaletteSearch {
  query = $state('');
  results = $state.raw<SearchResult[]>([]);
  status = $state<SearchStatus>('idle');
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Starts over (the palette was opened). */
  reset(): void {
    this.#cancel();
    this.query = '';
    this.results = [];
    this.status = 'idle';
  }

  /** Called on each change of `query`. */
  changed(): void {
    this.#cancel();
    const text = this.query.trim();
    if (text.length < minQueryLength || text.length > searchLimits.queryMax) {
      this.results = [];
      this.status = 'idle';
      return;
    }
    this.status = 'loading';
    const seq = this.#seq;
    this.#timer = setTimeout(() => void this.#fetch(text, seq), debounceMs);
  }

  async #fetch(text: string, seq: number): Promise<void> {
    try {
      const { results } = await call(searchEndpoints.search, { query: { q: text, limit: 30 } });
      if (seq !== this.#seq) return;
      this.results = results;
      this.status = 'done';
    } catch {
      if (seq !== this.#seq) return;
      this.results = [];
      this.status = 'failed';
    }
  }

  #cancel(): void {
    this.#seq++;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
