// A client's timeline: every interaction by everyone, newest first, filtered by manager (empty
// = everyone's, as in 1C) and kind, and live: an `interaction.logged` entry for this client
// refetches the first page (the entry is a summary; the list is the truth), several in a burst
// cost one fetch.
import type { FeedEntry } from '@crewdeck/shared/feed';
import {
  interactionEndpoints,
  type Interaction,
  type InteractionKind,
  type InteractionListQuery,
} from '@crewdeck/shared/interactions';
import type { UserRef } from '@crewdeck/shared/clients';
import { call } from '../api.ts';
import { handleError } from '../errors.ts';
import { realtime } from '../realtime.svelte.ts';

const PAGE = 30;

/** Whether a feed entry changes the timeline of `clientId`. */
export function touchesTimeline(entry: FeedEntry, clientId: string): boolean {
  return entry.type === 'interaction.logged' && entry.data.clientId === clientId;
}

export class TimelineState {
  readonly clientId: string;
  items = $state<Interaction[]>([]);
  total = $state(0);
  loading = $state(false);
  error = $state('');
  /** '' = everyone's, `me`, or a manager's id. */
  managerId = $state('');
  kind = $state<InteractionKind | ''>('');
  /** Managers met so far in this timeline, for the filter. */
  managers = $state<UserRef[]>([]);
  #request = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(clientId: string) {
    this.clientId = clientId;
  }

  get hasMore(): boolean {
    return this.items.length < this.total;
  }

  connect(): () => void {
    const offFeed = realtime.onFeed((entry) => {
      if (touchesTimeline(entry, this.clientId)) this.#reloadSoon();
    });
    const offResync = realtime.onResync(() => this.#reloadSoon());
    const offConnected = realtime.onConnected(() => this.#reloadSoon());
    return () => {
      clearTimeout(this.#timer);
      offFeed();
      offResync();
      offConnected();
    };
  }

  /** The first page again (filters changed, something was logged). */
  async load(): Promise<void> {
    await this.#fetch(0, false);
  }

  async loadMore(): Promise<void> {
    await this.#fetch(this.items.length, true);
  }

  /** Shows a just-logged interaction at once (the feed entry confirms it shortly after). */
  add(interaction: Interaction): void {
    if (interaction.clientId !== this.clientId || this.items.some((i) => i.id === interaction.id)) return;
    this.items = [interaction, ...this.items].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
    this.total += 1;
    this.#remember([interaction]);
  }

  async remove(id: string): Promise<void> {
    try {
      await call(interactionEndpoints.remove, { params: { id } });
      this.items = this.items.filter((i) => i.id !== id);
      this.total = Math.max(0, this.total - 1);
    } catch (err) {
      this.error = handleError(err).message;
    }
  }

  async #fetch(offset: number, append: boolean): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    const query: InteractionListQuery = {
      clientId: this.clientId,
      managerId: this.managerId || undefined,
      kind: this.kind || undefined,
      offset,
      limit: PAGE,
    };
    try {
      const list = await call(interactionEndpoints.list, { query });
      // A slower answer for filters the person already changed must not overwrite the newer one.
      if (request !== this.#request) return;
      this.items = append ? [...this.items, ...list.interactions] : list.interactions;
      this.total = list.total;
      this.error = '';
      this.#remember(list.interactions);
    } catch (err) {
      if (request === this.#request) this.error = handleError(err).message;
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  #remember(items: Interaction[]): void {
    const fresh = items
      .map((item) => item.manager)
      .filter((person, i, all) => all.findIndex((p) => p.id === person.id) === i)
      .filter((person) => !this.managers.some((p) => p.id === person.id));
    if (fresh.length) this.managers = [...this.managers, ...fresh];
  }

  #reloadSoon(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.load(), 150);
  }
}
