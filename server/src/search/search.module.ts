import type { ClientsRepository } from '../clients/clients.repository.ts';
import type { ClientsService } from '../clients/clients.service.ts';
import type { CrmSettingsStore } from '../clients/crm-settings.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { SearchIndex } from './search-index.ts';
import { SearchSourcesRepository } from './search-sources.repository.ts';
import { SearchService, type ReadableProjects, type ViewableDocuments } from './search.service.ts';

export interface SearchModuleDeps {
  settings: CrmSettingsStore;
  access: AccessControl;
  users: UsersRepository;
  library: { documents: ViewableDocuments };
  /** ProjectsService (its `readableIds`). */
  projects: ReadableProjects;
}

/** The index the CRM features write to; created before them so they receive it. */
export function createSearchIndex(): SearchIndex {
  return new SearchIndex();
}

/** The search service, once the clients exist (it asks them who sees what). */
export function createSearch(
  deps: SearchModuleDeps,
  index: SearchIndex,
  clients: { clients: ClientsService; repo: ClientsRepository },
) {
  const search = new SearchService({
    index,
    sources: new SearchSourcesRepository(),
    clients: clients.clients,
    clientsRepo: clients.repo,
    settings: deps.settings,
    access: deps.access,
    projects: deps.projects,
    documents: deps.library.documents,
    users: deps.users,
  });
  return { searchIndex: index, search };
}

export type SearchServices = ReturnType<typeof createSearch>;
