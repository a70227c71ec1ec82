import type { AuditWriter } from '../audit/audit.writer.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { RaiseInput } from '../notifications/notifications.service.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { People } from '../users/people.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import type { CountersRepository } from '../counters/counters.repository.ts';
import { ClientLinks } from './client-links.ts';
import { ClientsRepository } from './clients.repository.ts';
import { ClientsService } from './clients.service.ts';
import { CrmSettingsService, type CrmSettingsStore } from './crm-settings.ts';
import { DuplicateFinder } from './duplicates.ts';
import { DuplicateReview } from './duplicate-review.ts';
import { MergeService } from './merge.service.ts';
import { QualityService } from './quality.service.ts';
import type { SearchIndexWriter } from '../search/search-index.ts';
import { clientSearchDocument } from '../search/search-documents.ts';

export interface ClientsModuleDeps {
  settings: CrmSettingsStore;
  access: AccessControl;
  audit: AuditWriter;
  publisher: FeedPublisher;
  users: UsersRepository;
  people: People;
  notifications?: { raise(input: RaiseInput): Promise<boolean> };
  search?: SearchIndexWriter;
  counters: CountersRepository;
}

/** Clients, contacts and the CRM settings, wired once; deals and interactions register their links. */
export function createClients(deps: ClientsModuleDeps) {
  const repo = new ClientsRepository();
  const links = new ClientLinks();
  const duplicates = new DuplicateFinder(repo);
  const clients = new ClientsService({ ...deps, clients: repo, duplicates, links });
  const review = new DuplicateReview({
    repo,
    finder: duplicates,
    clients,
    access: deps.access,
    audit: deps.audit,
    people: deps.people,
  });
  const merges = new MergeService({
    clients,
    repo,
    links,
    publisher: deps.publisher,
    access: deps.access,
    users: deps.users,
    search: deps.search,
    reindex: async (doc, session) => deps.search?.put(clientSearchDocument(doc), session),
  });
  const quality = new QualityService({ repo, clients, settings: deps.settings, review, people: deps.people });
  return {
    review,
    merges,
    quality,
    repo,
    links,
    duplicates,
    settingsStore: deps.settings,
    settings: new CrmSettingsService({ store: deps.settings, access: deps.access, audit: deps.audit }),
    clients,
  };
}

export type ClientServices = ReturnType<typeof createClients>;
