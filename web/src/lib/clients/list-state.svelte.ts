// The clients list: filters (sent to GET /api/clients), paging, the selection for bulk
// reassignment and the saved views. Live: a client created or reassigned reloads the page.
// The filters and the page live in the address too (list-url.ts), so Back keeps them.
import { untrack } from 'svelte';
import { replaceState } from '$app/navigation';
import { page } from '$app/state';
import { clientEndpoints, type Client, type ClientListQuery } from '@crewdeck/shared/clients';
import { call, urlOf } from '../api.ts';
import { handleError } from '../errors.ts';
import { m } from '../paraglide/messages.js';
import { realtime } from '../realtime.svelte.ts';
import { notify } from '../ui/confirm.svelte.ts';
import { searchOf, type ListPosition } from './list-url.ts';
import { defaultFilters, deleteView, loadViews, saveView, type ListFilters, type SavedView } from './saved-views.ts';

export const PAGE_SIZE = 50;

/** The list query of the filters (without paging: the export takes every page). */
function queryOf(filters: ListFilters): Partial<ClientListQuery> {
  const query: Partial<ClientListQuery> = { sort: filters.sort, order: filters.order };
  if (filters.q.trim()) query.q = filters.q.trim();
  if (filters.kind === 'company' || filters.kind === 'person') query.kind = filters.kind;
  if (filters.status) query.status = filters.status;
  if (filters.source) query.source = filters.source;
  if (filters.tag.trim()) query.tag = filters.tag.trim();
  if (filters.managerId) query.managerId = filters.managerId;
  return query;
}

export class ClientListState {
  filters = $state<ListFilters>(defaultFilters());
  offset = $state(0);
  clients = $state<Client[]>([]);
  total = $state(0);
  loading = $state(false);
  error = $state('');
  selected = $state<string[]>([]);
  views = $state<SavedView[]>([]);
  assigning = $state(false);
  readonly #userId: string;
  #request = 0;
  #typing: ReturnType<typeof setTimeout> | undefined;

  constructor(userId: string, start?: ListPosition) {
    this.#userId = userId;
    if (start) {
      this.filters = start.filters;
      this.offset = start.offset;
    }
  }

  /** The download of the whole filtered list (every page) as CSV or XLSX. */
  exportHref(format: 'csv' | 'xlsx'): string {
    return urlOf(clientEndpoints.exportList, { query: { ...queryOf(this.filters), format } });
  }

  connect(): () => void {
    this.views = loadViews(this.#userId);
    // Untracked: the effect calling this must not re-run when the filters or the address change.
    untrack(() => void this.load());
    const off = realtime.onFeed((entry) => {
      if (entry.type === 'client.created' || entry.type === 'client.assigned') void this.load();
    });
    return () => {
      off();
      clearTimeout(this.#typing);
    };
  }

  async load(): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    this.#remember();
    try {
      const answer = await call(clientEndpoints.list, {
        query: { ...queryOf(this.filters), offset: this.offset, limit: PAGE_SIZE },
      });
      if (request !== this.#request) return;
      this.clients = answer.clients;
      this.total = answer.total;
      this.selected = this.selected.filter((id) => answer.clients.some((c) => c.id === id));
      this.error = '';
    } catch (err) {
      if (request === this.#request) this.error = handleError(err).message;
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  /** A filter changed: back to the first page. The text filter waits for a pause in typing. */
  changed(typing = false): void {
    this.offset = 0;
    clearTimeout(this.#typing);
    if (typing) this.#typing = setTimeout(() => void this.load(), 300);
    else void this.load();
  }

  page(direction: 1 | -1): void {
    this.offset = Math.max(0, this.offset + direction * PAGE_SIZE);
    void this.load();
  }

  toggle(id: string): void {
    this.selected = this.selected.includes(id) ? this.selected.filter((s) => s !== id) : [...this.selected, id];
  }

  toggleAll(): void {
    const ids = this.clients.filter((c) => c.abilities.assign).map((c) => c.id);
    this.selected = this.selected.length === ids.length ? [] : ids;
  }

  async assign(managerId: string): Promise<boolean> {
    if (!managerId || this.selected.length === 0) return false;
    this.assigning = true;
    try {
      const answer = await call(clientEndpoints.assign, { body: { clientIds: this.selected, managerId } });
      notify(m.cli_assigned({ count: answer.clients.length, name: answer.clients[0]?.manager?.name ?? '' }));
      this.selected = [];
      await this.load();
      return true;
    } catch (err) {
      notify(handleError(err).message, { tone: 'error' });
      return false;
    } finally {
      this.assigning = false;
    }
  }

  /** Writes the filters into the address without a navigation (Back then returns to them). */
  #remember(): void {
    const search = searchOf({ filters: this.filters, offset: this.offset });
    if (search === page.url.search || (search === '' && page.url.search === '?')) return;
    replaceState(`${page.url.pathname}${search}`, page.state);
  }

  saveView(name: string): void {
    if (!name.trim()) return;
    this.views = saveView(this.#userId, name.trim(), this.filters);
  }

  applyView(view: SavedView): void {
    this.filters = { ...defaultFilters(), ...view.filters };
    this.changed();
  }

  deleteView(name: string): void {
    this.views = deleteView(this.#userId, name);
  }

  reset(): void {
    this.filters = defaultFilters();
    this.changed();
  }
}
