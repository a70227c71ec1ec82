// The CRM (issue 13) is several features — clients and contacts, deals, the interaction journal,
// search, import and export, mailing — that share the clients' visibility rules. They are wired
// here, in one place, so each feature module only states what it needs.
import type { AuditWriter } from './audit/audit.writer.ts';
import type { EventBus } from './events/event-bus.ts';
import type { FeedPublisher } from './feed/feed.publisher.ts';
import type { RouteRegistry } from './http/route.ts';
import type { RaiseInput } from './notifications/notifications.service.ts';
import type { AccessControl } from './permissions/access-control.ts';
import type { People } from './users/people.ts';
import type { UsersRepository } from './users/users.repository.ts';
import type { TasksService } from './tasks/tasks.service.ts';
import type { Library } from './library/library.module.ts';
import type { CountersRepository } from './counters/counters.repository.ts';
import { createClients } from './clients/clients.module.ts';
import { createImports } from './imports/imports.module.ts'; // imports and exports
import { registerImportRoutes } from './imports/imports.routes.ts'; // import and export routes
import { createDeals } from './deals/deals.module.ts'; // deals
import { registerDealRoutes } from './deals/deals.routes.ts'; // deals routes
import { createInteractions } from './interactions/interactions.module.ts'; // interactions
import { registerInteractionRoutes } from './interactions/interactions.routes.ts'; // interactions routes
import { registerClientRoutes } from './clients/clients.routes.ts';
import type { CrmSettingsStore } from './clients/crm-settings.ts';
import { createSearch, createSearchIndex } from './search/search.module.ts'; // search: the one search box
import { registerSearchRoutes } from './search/search.routes.ts'; // search routes

export interface CrmDeps {
  settings: CrmSettingsStore;
  access: AccessControl;
  audit: AuditWriter;
  publisher: FeedPublisher;
  events: EventBus;
  users: UsersRepository;
  people: People;
  notifications: { raise(input: RaiseInput): Promise<boolean> };
  tasks: TasksService;
  library: Library;
  counters: CountersRepository;
}

export function createCrm(deps: CrmDeps) {
  // search: the index the other features write to
  const searchIndex = createSearchIndex();
  const clients = createClients(deps);
  const search = createSearch(deps, searchIndex, clients); // search: the service behind GET /api/search
  // deals
  const deals = createDeals({ ...deps, clients, search: searchIndex });
  // interactions
  const interactions = createInteractions(
    { ...deps, deals: { visibleClientOf: async (ctx, id) => String((await deals.deals.readable(ctx, id)).client._id) } },
    clients,
  );
  // imports and exports
  const imports = createImports(deps, clients);
  // mailing
  return { ...clients, ...deals, ...interactions, ...imports, ...search };
}

export type CrmServices = ReturnType<typeof createCrm>;

/** Fixed paths (`/api/clients/export`, `/api/clients/duplicates`) before `/api/clients/:id`. */
export function registerCrmRoutes(routes: RouteRegistry, crm: CrmServices): void {
  // search routes
  registerSearchRoutes(routes, crm);
  // import and export routes
  registerImportRoutes(routes, crm);
  // mailing routes
  // deals routes
  registerDealRoutes(routes, crm);
  // interactions routes
  registerInteractionRoutes(routes, crm);
  registerClientRoutes(routes, crm);
}

/** The CRM's background work; each also callable directly. */
export interface CrmSweeps {
  /** The nightly duplicate sweep (at 03:00 server time); returns how many new pairs were queued. */
  sweepDuplicates(): Promise<number>;
  stop(): void;
}

const DAY_MS = 86_400_000;

/** Milliseconds from `now` to the next 03:00 in the server's local time. */
export function untilNightly(now: Date, hour = 3): number {
  const next = new Date(now);
  next.setHours(hour, 0, 0, 0);
  if (next <= now) next.setDate(next.getDate() + 1);
  return next.getTime() - now.getTime();
}

export function startCrmSweeps(crm: CrmServices, fail: (what: string, error: unknown) => void): CrmSweeps {
  const timers: NodeJS.Timeout[] = [];
  const sweepDuplicates = () => crm.review.sweep();
  const nightly = () => {
    void sweepDuplicates().catch((e: unknown) => fail('duplicate sweep', e));
    const timer = setTimeout(nightly, untilNightly(new Date()) || DAY_MS);
    timer.unref();
    timers[0] = timer;
  };
  const first = setTimeout(nightly, untilNightly(new Date()));
  first.unref();
  timers.push(first);
  return {
    sweepDuplicates,
    stop: () => timers.forEach((t) => clearTimeout(t)),
  };
}
