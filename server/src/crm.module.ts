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
import type { ReadableProjects } from './search/search.service.ts';
import type { Library } from './library/library.module.ts';
import type { CountersRepository } from './counters/counters.repository.ts';
import type { SecretBox } from './security/secret-box.ts';
import { createClients } from './clients/clients.module.ts';
import { AttachmentsService } from './clients/attachments.service.ts';
import { createImports } from './imports/imports.module.ts'; // imports and exports
import { registerImportRoutes } from './imports/imports.routes.ts'; // import and export routes
import { createMailing } from './mailing/mailing.module.ts'; // mailing
import { registerMailingRoutes } from './mailing/mailing.routes.ts'; // mailing routes
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
  /** Which projects a person may read (the search box's tasks). */
  projects: ReadableProjects;
  library: Library;
  counters: CountersRepository;
  /** Seals unsubscribe tokens with the server's key, so links keep working across restarts. */
  secretBox: SecretBox;
}

export function createCrm(deps: CrmDeps) {
  // search: the index the other features write to
  const searchIndex = createSearchIndex();
  const clients = createClients({ ...deps, search: searchIndex });
  const search = createSearch(deps, searchIndex, clients); // search: the service behind GET /api/search
  // deals
  const deals = createDeals({ ...deps, clients, search: searchIndex });
  // interactions
  const interactions = createInteractions(
    {
      ...deps,
      search: searchIndex,
      deals: { visibleClientOf: async (ctx, id) => String((await deals.deals.readable(ctx, id)).client._id) },
    },
    clients,
  );
  // imports and exports
  const imports = createImports(deps, clients);
  // mailing
  const mailing = createMailing(deps, clients);
  const attachments = new AttachmentsService({
    clients: clients.clients,
    publisher: deps.publisher,
    sources: {
      task: async (ctx, id) => {
        const { task } = await deps.tasks.get(ctx, id);
        return {
          id: task.id,
          code: task.code,
          title: task.title,
          status: task.status,
          projectId: task.projectId,
          dueDate: task.dueDate,
        };
      },
      document: async (ctx, id) => {
        const { document } = await deps.library.documents.get(ctx, id);
        return { id: document.id, code: document.code, title: document.title };
      },
      interactionTasks: (clientId) => interactions.interactions.followUpTaskIds(clientId),
    },
  });
  return { ...clients, ...deals, ...interactions, ...imports, ...mailing, ...search, attachments };
}

export type CrmServices = ReturnType<typeof createCrm>;

/** Fixed paths (`/api/clients/export`, `/api/clients/duplicates`) before `/api/clients/:id`. */
export function registerCrmRoutes(routes: RouteRegistry, crm: CrmServices): void {
  // search routes
  registerSearchRoutes(routes, crm);
  // import and export routes
  registerImportRoutes(routes, crm);
  // mailing routes
  registerMailingRoutes(routes, crm);
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
  /** Raises the follow-up reminders due by `now` (every minute); returns how many. */
  sweepFollowUps(now?: Date): Promise<number>;
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
  const sweepFollowUps = (now?: Date) => crm.interactions.sweepFollowUps(now);
  const followUps = setInterval(() => void sweepFollowUps().catch((e: unknown) => fail('follow-up sweep', e)), 60_000);
  followUps.unref();
  timers.push(followUps);
  return {
    sweepDuplicates,
    sweepFollowUps,
    stop: () => timers.forEach((t) => clearTimeout(t)),
  };
}

/**
 * Builds the search entries of clients and contacts stored before the index existed (an upgrade,
 * or data restored from elsewhere); after that every write keeps the index current itself.
 */
export async function ensureSearchIndex(crm: CrmServices): Promise<void> {
  if ((await crm.searchIndex.entryCount()) > 0 || (await crm.repo.count()) === 0) return;
  await crm.searchIndex.reindexAll();
}
