// The Feed page's list: newest first, "Load older" pages backward by seq, live entries are
// prepended as they arrive. "My assignments" cannot be decided from a live entry (who it
// concerns stays on the server), so in that mode each live entry triggers a catch-up fetch
// `after` the newest seq shown.
import type { FeedEntry } from '@crewdeck/shared/feed';
import { limits } from '@crewdeck/shared/limits';
import { feedEndpoints } from '@crewdeck/shared/feed';
import { call } from '../api.ts';
import { handleError } from '../errors.ts';
import { realtime } from '../realtime.svelte.ts';
import { mergeEntries } from './merge.ts';

const PAGE = 50;

export type FeedScope = { mine: boolean; projectId: string };

export class FeedState {
  items = $state<FeedEntry[]>([]);
  loading = $state(false);
  hasOlder = $state(false);
  error = $state('');
  readonly scope: FeedScope;
  /** The catch-up fetch in flight, if any: live entries arriving meanwhile do not start another. */
  #catchUp: Promise<void> | null = null;

  constructor(scope: FeedScope) {
    this.scope = scope;
  }

  connect(): () => void {
    void this.load();
    const offFeed = realtime.onFeed((entry) => this.#handleLive(entry));
    const offResync = realtime.onResync(() => void this.load());
    return () => {
      offFeed();
      offResync();
    };
  }

  get newestSeq(): number {
    return this.items[0]?.seq ?? 0;
  }

  async load(): Promise<void> {
    this.loading = true;
    this.error = '';
    try {
      const page = await call(feedEndpoints.list, { query: { ...this.#query(), limit: PAGE } });
      this.items = page.items;
      this.hasOlder = page.items.length === PAGE;
    } catch (err) {
      this.error = handleError(err).message;
    } finally {
      this.loading = false;
    }
  }

  async loadOlder(): Promise<void> {
    const oldest = this.items.at(-1)?.seq;
    if (!oldest) return;
    this.loading = true;
    try {
      const page = await call(feedEndpoints.list, { query: { ...this.#query(), before: oldest, limit: PAGE } });
      this.#merge(page.items);
      this.hasOlder = page.items.length === PAGE;
    } catch (err) {
      this.error = handleError(err).message;
    } finally {
      this.loading = false;
    }
  }

  #query() {
    return { mine: this.scope.mine ? ('true' as const) : undefined, projectId: this.scope.projectId || undefined };
  }

  #handleLive(entry: FeedEntry): void {
    if (this.scope.projectId && entry.projectId !== this.scope.projectId) return;
    // Library entries concern no one in particular: never part of "My assignments".
    if (this.scope.mine && entry.projectId === null) return;
    if (!this.scope.mine) return this.#merge([entry]);
    if (this.#catchUp) return;
    this.#catchUp = this.#fetchNewer().finally(() => (this.#catchUp = null));
  }

  async #fetchNewer(): Promise<void> {
    try {
      const page = await call(feedEndpoints.list, {
        query: { ...this.#query(), after: this.newestSeq, limit: limits.feedPageMax },
      });
      this.#merge(page.items);
    } catch (err) {
      this.error = handleError(err).message;
    }
  }

  /** Adds entries, deduplicated by seq, keeping newest first. */
  #merge(entries: FeedEntry[]): void {
    const merged = mergeEntries(this.items, entries);
    if (merged) this.items = merged;
  }
}
