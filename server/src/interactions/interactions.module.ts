import type { AuditWriter } from '../audit/audit.writer.ts';
import type { ClientServices } from '../clients/clients.module.ts';
import type { CrmSettingsStore } from '../clients/crm-settings.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { RaiseInput } from '../notifications/notifications.service.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { SearchIndexWriter } from '../search/search-index.ts';
import type { TasksService } from '../tasks/tasks.service.ts';
import type { People } from '../users/people.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { InteractionExport } from './interaction-export.ts';
import type { DealLookup } from './interaction-refs.ts';
import { interactionsLink } from './interactions.link.ts';
import { InteractionsRepository } from './interactions.repository.ts';
import { InteractionsService } from './interactions.service.ts';

export interface InteractionsModuleDeps {
  settings: CrmSettingsStore;
  access: AccessControl;
  audit: AuditWriter;
  publisher: FeedPublisher;
  users: UsersRepository;
  people: People;
  tasks: TasksService;
  notifications?: { raise(input: RaiseInput): Promise<boolean> };
  search?: SearchIndexWriter;
  deals?: DealLookup;
}

/** The interaction journal, wired onto the clients module (and registered as its `interactions` link). */
export function createInteractions(deps: InteractionsModuleDeps, clients: ClientServices) {
  const repo = new InteractionsRepository();
  clients.links.add(interactionsLink(repo));
  const interactions = new InteractionsService({
    ...deps,
    interactions: repo,
    clients: clients.clients,
    clientsRepo: clients.repo,
  });
  const interactionExport = new InteractionExport({
    interactions,
    repo,
    clientsRepo: clients.repo,
    settings: deps.settings,
    access: deps.access,
    audit: deps.audit,
    people: deps.people,
  });
  return { interactions, interactionExport };
}
