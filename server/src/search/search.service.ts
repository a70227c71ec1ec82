import {
  searchLimits,
  searchResultKinds,
  type SearchQuery,
  type SearchResponse,
  type SearchResult,
  type SearchResultKind,
} from '@crewdeck/shared/search';
import { nameKey } from '@crewdeck/shared/search-keys';
import type { LibraryList, LibraryQuery } from '@crewdeck/shared/library';
import type { ClientDoc } from '../clients/clients.model.ts';
import type { ClientsRepository } from '../clients/clients.repository.ts';
import type { ClientsService } from '../clients/clients.service.ts';
import type { CrmSettingsStore } from '../clients/crm-settings.ts';
import type { Actor, AuthedContext } from '../http/context.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { inactiveReason } from '../users/user-status.ts';
import type { SearchHit, SearchIndex, SearchKind } from './search-index.ts';
import type { SearchSourcesRepository } from './search-sources.repository.ts';

/** The projects whose tasks the caller may read (ProjectsService: the one project rule). */
export interface ReadableProjects {
  readableIds(actor: Actor): Promise<string[]>;
}

/** The library's own listing, which decides which documents the caller may view. */
export interface ViewableDocuments {
  list(ctx: AuthedContext, query: LibraryQuery): Promise<LibraryList>;
}

export interface SearchServiceDeps {
  index: SearchIndex;
  sources: SearchSourcesRepository;
  clients: ClientsService;
  clientsRepo: ClientsRepository;
  settings: CrmSettingsStore;
  access: AccessControl;
  projects: ReadableProjects;
  documents: ViewableDocuments;
  users: UsersRepository;
}

const crmKinds: readonly SearchKind[] = ['client', 'contact', 'deal', 'interaction'];
const isCrmKind = (kind: SearchResultKind): kind is SearchKind => (crmKinds as readonly string[]).includes(kind);

/**
 * Index entries fetched per lookup before visibility and ranking cut them to `limit`. Bounds
 * the work of a broad query ("Ив"); a caller who sees few of many matches refines the query.
 */
const crmWindow = 150;

/** Ranking within a kind: the whole name, then a name starting with the query, then the rest. */
function score(title: string, queryKey: string): number {
  if (!queryKey) return 0;
  const key = nameKey(title);
  if (key === queryKey) return 3;
  if (key.startsWith(queryKey)) return 2;
  return key.split(' ').some((w) => w.startsWith(queryKey)) ? 1 : 0;
}

/** Hits whose clients are loaded at once while collecting visible results. */
const ownerChunk = 40;

/** Best first within each kind (`score`, then title), the kinds taken in turn. */
function interleaveKinds(hits: SearchHit[], queryKey: string): SearchHit[] {
  const ranked = hits
    .map((hit) => ({ hit, score: score(hit.title, queryKey) }))
    .sort((a, b) => b.score - a.score || a.hit.title.localeCompare(b.hit.title));
  const byKind = crmKinds.map((kind) => ranked.filter((r) => r.hit.kind === kind).map((r) => r.hit));
  const out: SearchHit[] = [];
  for (let i = 0; out.length < hits.length; i++) for (const list of byKind) if (i < list.length) out.push(list[i]);
  return out;
}

/** Takes from each kind in turn so one kind with many matches does not crowd out the others. */
export function fairCut(groups: SearchResult[][], limit: number): SearchResult[] {
  const taken = groups.map(() => 0);
  let total = 0;
  for (let round = 0; total < limit; round++) {
    let progressed = false;
    for (let g = 0; g < groups.length && total < limit; g++) {
      if (groups[g].length <= round) continue;
      taken[g]++;
      total++;
      progressed = true;
    }
    if (!progressed) break;
  }
  return groups.flatMap((group, g) => group.slice(0, taken[g]));
}

/** The one search box: every kind the caller may see, each through its own feature's rule. */
export class SearchService {
  readonly #d: SearchServiceDeps;

  constructor(deps: SearchServiceDeps) {
    this.#d = deps;
  }

  async search(ctx: AuthedContext, query: SearchQuery): Promise<SearchResponse> {
    const text = query.q.trim();
    const limit = query.limit ?? searchLimits.limitDefault;
    const kinds = new Set<SearchResultKind>(query.kinds ?? searchResultKinds);
    if (!text) return { results: [] };
    const [crm, tasks, documents, people] = await Promise.all([
      this.#crm(ctx.actor, text, [...kinds].filter(isCrmKind), limit),
      kinds.has('task') ? this.#tasks(ctx.actor, text, limit) : [],
      kinds.has('document') ? this.#documents(ctx, text, limit) : [],
      kinds.has('person') ? this.#people(ctx.actor, text, limit) : [],
    ]);
    const byKind = new Map<SearchResultKind, SearchResult[]>();
    for (const r of [...crm, ...tasks, ...documents, ...people]) {
      const list = byKind.get(r.kind) ?? [];
      list.push(r);
      byKind.set(r.kind, list);
    }
    return {
      results: fairCut(
        searchResultKinds.map((k) => byKind.get(k) ?? []),
        limit,
      ),
    };
  }

  /**
   * Clients, contacts, deals, interactions from the index, kept when their client is visible.
   * Hits are ranked first and their clients loaded a chunk at a time until `limit` are visible,
   * so a broad query loads a few dozen clients, not the whole window.
   */
  async #crm(actor: Actor, text: string, kinds: SearchKind[], limit: number): Promise<SearchResult[]> {
    if (!kinds.length || !this.#d.access.can(actor, 'client.read')) return [];
    const parsed = this.#d.index.parse(text);
    if (!parsed.alternatives.length) return [];
    const hits = interleaveKinds(await this.#d.index.query(parsed, kinds, crmWindow), parsed.nameKey);
    if (!hits.length) return [];
    await this.#d.settings.fresh();
    const visible: { hit: SearchHit; clientId: string }[] = [];
    for (let at = 0; at < hits.length && visible.length < limit; at += ownerChunk) {
      const chunk = hits.slice(at, at + ownerChunk);
      const owners = await this.#owners(chunk);
      for (const hit of chunk) {
        const client = hit.clientId ? owners.get(hit.clientId) : undefined;
        // A merged-away client is found as the client it was merged into (its own entry is not shown).
        if (!client || (hit.kind === 'client' && hit.clientId !== String(client._id))) continue;
        if (this.#d.clients.sees(actor, client)) visible.push({ hit, clientId: String(client._id) });
      }
    }
    return visible.slice(0, limit).map(({ hit, clientId }) => presentHit(hit, clientId));
  }

  /** Client id → the client that holds it now (following `mergedInto` once, as merges are not chained). */
  async #owners(hits: SearchHit[]): Promise<Map<string, ClientDoc>> {
    const ids = [...new Set(hits.flatMap((h) => (h.clientId ? [h.clientId] : [])))];
    const docs = await this.#d.clientsRepo.findByIds(ids);
    const keptIds = [...new Set(docs.flatMap((d) => (d.mergedInto ? [String(d.mergedInto)] : [])))];
    const kept = new Map((await this.#d.clientsRepo.findByIds(keptIds)).map((d) => [String(d._id), d]));
    const owners = new Map<string, ClientDoc>();
    for (const doc of docs) {
      const owner = doc.mergedInto ? kept.get(String(doc.mergedInto)) : doc;
      if (owner && !owner.mergedInto) owners.set(String(doc._id), owner);
    }
    return owners;
  }

  /** Tasks of readable projects by title or code (bounded by those projects' tasks, see the repository). */
  async #tasks(actor: Actor, text: string, limit: number): Promise<SearchResult[]> {
    const projectIds = await this.#d.projects.readableIds(actor);
    const tasks = await this.#d.sources.tasks(projectIds, text, limit);
    return tasks.map((t) => ({
      kind: 'task',
      id: String(t._id),
      title: t.title,
      subtitle: t.code,
      href: `/projects/${String(t.projectId)}/tasks/${String(t._id)}`,
      clientId: null,
    }));
  }

  /** Library documents through the library's own listing (its per-document view rule). */
  async #documents(ctx: AuthedContext, text: string, limit: number): Promise<SearchResult[]> {
    if (!this.#d.access.can(ctx.actor, 'doc.view')) return [];
    const { items } = await this.#d.documents.list(ctx, { q: text, limit });
    return items.map((d) => ({
      kind: 'document',
      id: d.id,
      title: d.title,
      subtitle: d.code,
      href: `/library/${d.id}`,
      clientId: null,
    }));
  }

  /** People as the directory lists them (active, shown among employees), for `people.read`. */
  async #people(actor: Actor, text: string, limit: number): Promise<SearchResult[]> {
    if (!this.#d.access.can(actor, 'people.read')) return [];
    const q = text.toLowerCase();
    const key = nameKey(text);
    const now = new Date();
    const users = await this.#d.users.list({ includeDisabled: false });
    return users
      .filter((u) => u.showInEmployees && !inactiveReason(u, now))
      .filter(
        (u) =>
          u.name.toLowerCase().includes(q) ||
          u.login.toLowerCase().includes(q) ||
          (key && nameKey(u.name).includes(key)),
      )
      .slice(0, limit)
      .map((u) => ({
        kind: 'person',
        id: String(u._id),
        title: u.name,
        subtitle: u.login,
        href: `/people?q=${encodeURIComponent(u.name)}`,
        clientId: null,
      }));
  }
}

function presentHit(hit: SearchHit, clientId: string): SearchResult {
  return {
    kind: hit.kind,
    id: hit.refId,
    title: hit.title,
    subtitle: hit.subtitle,
    href: `/clients/${clientId}`,
    clientId,
  };
}
