import type { AuditWriter } from '../audit/audit.writer.ts';
import type { ClientServices } from '../clients/clients.module.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { RaiseInput } from '../notifications/notifications.service.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { SearchIndexWriter } from '../search/search-index.ts';
import type { People } from '../users/people.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { DealExport } from './deal-export.ts';
import { dealsClientLink } from './deals.link.ts';
import { DealsRepository } from './deals.repository.ts';
import { DealsService } from './deals.service.ts';

export interface DealsModuleDeps {
  clients: ClientServices;
  access: AccessControl;
  audit: AuditWriter;
  publisher: FeedPublisher;
  users: UsersRepository;
  people: People;
  notifications?: { raise(input: RaiseInput): Promise<boolean> };
  search?: SearchIndexWriter;
}

/** The deals pipeline, wired once; registers the `deals` client link so merges and reassignments carry deals along. */
export function createDeals(deps: DealsModuleDeps) {
  const repo = new DealsRepository();
  const link = dealsClientLink(repo);
  deps.clients.links.add(link);
  const deals = new DealsService({
    deals: repo,
    clients: deps.clients.clients,
    clientsRepo: deps.clients.repo,
    settings: deps.clients.settingsStore,
    access: deps.access,
    publisher: deps.publisher,
    users: deps.users,
    people: deps.people,
    notifications: deps.notifications,
    search: deps.search,
  });
  const dealExport = new DealExport({
    deals,
    dealsRepo: repo,
    clientsRepo: deps.clients.repo,
    settings: deps.clients.settingsStore,
    access: deps.access,
    audit: deps.audit,
    people: deps.people,
  });
  return { dealsRepo: repo, dealsLink: link, deals, dealExport };
}

export type DealServices = ReturnType<typeof createDeals>;
