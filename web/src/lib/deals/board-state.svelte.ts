// The deals board's state: the visible deals grouped by stage, the filters, moves (applied at
// once, confirmed or undone by the server's answer) and live refreshes. Deal feed entries carry
// only a summary, so an entry means "fetch the board again"; a burst costs one fetch.
import type { DealStageDef } from '@crewdeck/shared/clients';
import { dealEndpoints, type Deal, type DealListQuery } from '@crewdeck/shared/deals';
import type { FeedEntry } from '@crewdeck/shared/feed';
import { call, urlOf } from '../api.ts';
import { ApiError } from '../errors.ts';
import { handleError } from '../errors.ts';
import { m } from '../paraglide/messages.js';
import { realtime } from '../realtime.svelte.ts';

/** Feed entries after which a deals list (of one client, when given) is stale. */
export function refreshesDeals(entry: FeedEntry, clientId?: string): boolean {
  if (!entry.type.startsWith('deal.')) return false;
  return !clientId || entry.data.clientId === clientId;
}

export type BoardScope = 'mine' | 'all';

export class BoardState {
  deals = $state<Deal[]>([]);
  stages = $state<DealStageDef[]>([]);
  currencies = $state<string[]>([]);
  canCreate = $state(false);
  loading = $state(false);
  error = $state('');
  scope = $state<BoardScope>('all');
  /** A manager's id ('' = any), used with scope `all`. */
  managerId = $state('');
  readonly #clientId: string | undefined;
  #request = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** With `clientId`, only that client's deals (the client page). */
  constructor(clientId?: string) {
    this.#clientId = clientId;
  }

  /** Subscribes to the feed; the returned function unsubscribes. */
  connect(): () => void {
    const offFeed = realtime.onFeed((entry) => {
      if (refreshesDeals(entry, this.#clientId)) this.reloadSoon();
    });
    const offResync = realtime.onResync(() => this.reloadSoon());
    const offConnected = realtime.onConnected(() => this.reloadSoon());
    return () => {
      clearTimeout(this.#timer);
      offFeed();
      offResync();
      offConnected();
    };
  }

  /** The deals of one stage, in board order. */
  column(stage: string): Deal[] {
    return this.deals.filter((d) => d.stage === stage).sort((a, b) => a.position - b.position);
  }

  stage(key: string): DealStageDef | undefined {
    return this.stages.find((s) => s.key === key);
  }

  /** The download of the deals the board shows (same filters, every stage) as CSV or XLSX. */
  exportHref(format: 'csv' | 'xlsx'): string {
    return urlOf(dealEndpoints.exportList, { query: { ...this.#filters(), format } });
  }

  /** The list's filters as the board's scope and manager choice say. */
  #filters(): Partial<DealListQuery> {
    const query: Partial<DealListQuery> = { clientId: this.#clientId };
    if (this.scope === 'mine') query.managerId = 'me';
    else if (this.managerId) query.managerId = this.managerId;
    return query;
  }

  async load(): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    try {
      const list = await call(dealEndpoints.list, { query: this.#filters() });
      if (request !== this.#request) return;
      this.deals = list.deals;
      this.stages = list.stages;
      this.currencies = list.currencies;
      this.canCreate = list.canCreate;
      this.error = '';
    } catch (err) {
      if (request === this.#request) this.error = handleError(err).message;
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  setScope(scope: BoardScope, managerId = ''): void {
    this.scope = scope;
    this.managerId = scope === 'all' ? managerId : '';
    void this.load();
  }

  /**
   * Moves a deal to `stage`, before `beforeId` (the end when null). Shown at once; the server's
   * answer replaces it, and a refusal puts the board back as the server has it.
   */
  async move(deal: Deal, stage: string, beforeId: string | null, reason?: string): Promise<boolean> {
    const previous = this.deals;
    this.deals = this.#placed(deal, stage, beforeId);
    try {
      const { deal: saved } = await call(dealEndpoints.move, {
        params: { id: deal.id },
        body: { stage, beforeId, version: deal.version, ...(reason ? { reason } : {}) },
      });
      this.upsert(saved);
      return true;
    } catch (err) {
      this.deals = previous;
      this.error = err instanceof ApiError && err.status === 409 ? m.deal_conflict() : handleError(err).message;
      void this.load();
      return false;
    }
  }

  /** Puts a saved deal in place (or drops it when it no longer matches this board). */
  upsert(deal: Deal): void {
    const others = this.deals.filter((d) => d.id !== deal.id);
    this.deals = this.#clientId && deal.client.id !== this.#clientId ? others : [...others, deal];
  }

  drop(id: string): void {
    this.deals = this.deals.filter((d) => d.id !== id);
  }

  reloadSoon(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.load(), 150);
  }

  /** The board with `deal` moved locally: a position between its new neighbours. */
  #placed(deal: Deal, stage: string, beforeId: string | null): Deal[] {
    const column = this.column(stage).filter((d) => d.id !== deal.id);
    const index = beforeId ? column.findIndex((d) => d.id === beforeId) : -1;
    const next = index >= 0 ? column[index] : null;
    const prev = index >= 0 ? column[index - 1] : column.at(-1);
    const position = next
      ? ((prev?.position ?? next.position - 1024) + next.position) / 2
      : (prev?.position ?? 0) + 1024;
    return this.deals.map((d) => (d.id === deal.id ? { ...d, stage, position } : d));
  }
}
