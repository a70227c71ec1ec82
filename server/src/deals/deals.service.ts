import mongoose, { type ClientSession, type QueryFilter } from 'mongoose';
import type { CrmSettings } from '@crewdeck/shared/clients';
import type {
  CreateDeal,
  Deal,
  DealList,
  DealListQuery,
  DealSummary,
  DealSummaryQuery,
  MoveDeal,
  UpdateDeal,
} from '@crewdeck/shared/deals';
import type { AuditDraft } from '../audit/audit.writer.ts';
import { diffFields } from '../audit/changes.ts';
import type { ClientDoc } from '../clients/clients.model.ts';
import type { ClientsRepository } from '../clients/clients.repository.ts';
import { clientResource, type ClientsService } from '../clients/clients.service.ts';
import type { CrmSettingsStore } from '../clients/crm-settings.ts';
import type { LibraryFeedDraft } from '../feed/feed.drafts.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { Actor, AuthedContext } from '../http/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { RaiseInput } from '../notifications/notifications.service.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { SearchIndexWriter } from '../search/search-index.ts';
import type { People } from '../users/people.ts';
import { inactiveReason, toActor } from '../users/user-status.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { dealListFilter, inBoardOrder, type DealFilters } from './deal-filter.ts';
import { auditedDealFields, closingFor, currencyOf, dayRange, stageFeedType, stageOf } from './deal-rules.ts';
import type { DealDoc } from './deals.model.ts';
import { presentDeal } from './deals.presenter.ts';
import type { DealsRepository } from './deals.repository.ts';

export interface DealsServiceDeps {
  deals: DealsRepository;
  clients: ClientsService;
  clientsRepo: ClientsRepository;
  settings: CrmSettingsStore;
  access: AccessControl;
  publisher: FeedPublisher;
  users: UsersRepository;
  people: People;
  notifications?: { raise(input: RaiseInput): Promise<boolean> };
  /** The one search box's index (absent until search is wired). */
  search?: SearchIndexWriter;
}

const oid = (id: string) => new mongoose.Types.ObjectId(id);

/** A deal is decided about through its client: its access copy stands in for the client. */
const resourceOf = (doc: Pick<DealDoc, 'clientId' | 'access'>) =>
  clientResource({ _id: doc.clientId, managerId: doc.access.managerId, groupIds: doc.access.groupIds });

/**
 * Deals: whoever sees a client sees its deals, whoever may `deal.write` on it changes them (all
 * through `ClientsService`). Every change is one publish: the deal, its journal entry, the feed
 * entries of a stage change and the search document, in one transaction.
 */
export class DealsService {
  readonly #d: DealsServiceDeps;

  constructor(deps: DealsServiceDeps) {
    this.#d = deps;
  }

  /** The deal and its client if the caller sees the client; 404 otherwise (for interactions' links too). */
  async readable(ctx: AuthedContext, id: string): Promise<{ deal: DealDoc; client: ClientDoc }> {
    const deal = await this.#d.deals.findById(id);
    if (!deal) throw new NotFoundError('Deal');
    const client = await this.#d.clients.readable(ctx, String(deal.clientId)).catch((error: unknown) => {
      throw error instanceof NotFoundError ? new NotFoundError('Deal') : error;
    });
    return { deal, client };
  }

  async list(ctx: AuthedContext, query: DealListQuery): Promise<DealList> {
    const settings = await this.#d.settings.fresh();
    const docs = inBoardOrder(settings, await this.#d.deals.list(await this.listFilter(ctx, query), query.limit));
    return {
      deals: await this.present(ctx.actor, docs),
      stages: settings.dealStages,
      currencies: settings.currencies,
      canCreate: this.#d.access.can(ctx.actor, 'deal.write'),
    };
  }

  /** What the board (and its export) lists: visible deals narrowed by the filters; 403 without `client.read`. */
  async listFilter(ctx: AuthedContext, query: DealFilters): Promise<QueryFilter<DealDoc>> {
    await this.#d.settings.fresh();
    await this.#d.access.authorize(ctx, 'client.read');
    return dealListFilter(this.#d.clients.visibleFilter(ctx.actor, 'access'), ctx.actor.id, query);
  }

  async summary(ctx: AuthedContext, query: DealSummaryQuery): Promise<DealSummary> {
    await this.#d.settings.fresh();
    await this.#d.access.authorize(ctx, 'client.read');
    const range = dayRange(query.from, query.to);
    const managerId = query.managerId === 'me' ? ctx.actor.id : query.managerId;
    const filter = { ...range, managerId, visible: this.#d.clients.visibleFilter(ctx.actor, 'access') };
    const byCurrency = await this.#d.deals.wonBetween(filter);
    return {
      won: { count: byCurrency.reduce((n, row) => n + row.count, 0), byCurrency },
      lost: { count: await this.#d.deals.lostBetween(filter) },
    };
  }

  async get(ctx: AuthedContext, id: string): Promise<{ deal: Deal }> {
    const { deal } = await this.readable(ctx, id);
    return { deal: await this.#presentOne(ctx.actor, deal) };
  }

  async create(ctx: AuthedContext, input: CreateDeal): Promise<{ deal: Deal }> {
    const settings = await this.#d.settings.fresh();
    const client = await this.#d.clients.writable(ctx, input.clientId, 'deal.write');
    const stage = stageOf(settings, input.stage);
    const currency = currencyOf(settings, input.currency);
    const closing = closingFor(stage, input.reason, null, new Date());
    const managerId = await this.#managerFor(ctx, input.managerId, client);
    if (input.contactId) await this.#assertContact(input.clientId, input.contactId);
    const created = await this.#d.publisher.publish(ctx, async (session) => {
      const doc = await this.#d.deals.create(
        {
          title: input.title,
          clientId: client._id,
          contactId: input.contactId ? oid(input.contactId) : null,
          managerId: oid(managerId),
          access: this.#d.clients.accessOf(client),
          amount: input.amount,
          currency,
          expectedCloseDate: input.expectedCloseDate ?? null,
          probability: input.probability ?? stage.probability,
          stage: stage.key,
          ...closing,
          position: await this.#d.deals.endOf(stage.key, session),
          movedFrom: null,
          createdBy: oid(ctx.actor.id),
        },
        session,
      );
      await this.#index(doc, client, session);
      const audit: AuditDraft = {
        action: 'deal.create',
        code: client.code,
        note: `Deal «${doc.title}»`,
        changes: diffFields({}, doc, auditedDealFields),
      };
      const feed = await this.#feed(null, doc, client, settings);
      return { result: doc, audit, feed };
    });
    await this.#notifyClosed(ctx, null, created, client);
    return { deal: await this.#presentOne(ctx.actor, created) };
  }

  async update(ctx: AuthedContext, id: string, input: UpdateDeal): Promise<{ deal: Deal }> {
    const settings = await this.#d.settings.fresh();
    const { deal: before } = await this.#writable(ctx, id);
    if (before.version !== input.version) throw await this.#stale(ctx.actor, id);
    const client =
      input.clientId && input.clientId !== String(before.clientId)
        ? await this.#d.clients.writable(ctx, input.clientId, 'deal.write')
        : await this.#d.clients.writable(ctx, String(before.clientId), 'deal.write');
    // The access copy is refreshed on every write, so a missed reassignment heals itself.
    const set: Partial<DealDoc> = { access: this.#d.clients.accessOf(client) };
    if (input.title !== undefined) set.title = input.title;
    if (input.amount !== undefined) set.amount = input.amount;
    if (input.currency !== undefined) set.currency = currencyOf(settings, input.currency);
    if (input.expectedCloseDate !== undefined) set.expectedCloseDate = input.expectedCloseDate;
    if (input.probability !== undefined) set.probability = input.probability;
    if (!client._id.equals(before.clientId)) {
      set.clientId = client._id;
      set.contactId = null;
    }
    if (input.contactId !== undefined) {
      if (input.contactId) await this.#assertContact(String(client._id), input.contactId);
      set.contactId = input.contactId ? oid(input.contactId) : null;
    }
    if (input.managerId !== undefined) set.managerId = oid(await this.#managerFor(ctx, input.managerId, client));
    const stageKey = input.stage ?? before.stage;
    if (stageKey !== before.stage || input.reason !== undefined) {
      const stage = stageOf(settings, stageKey);
      Object.assign(set, closingFor(stage, input.reason, before, new Date()));
      if (stage.key !== before.stage) {
        set.stage = stage.key;
        if (input.probability === undefined) set.probability = stage.probability;
      }
    }
    return this.#save(ctx, before, client, settings, set, (session) =>
      set.stage ? this.#d.deals.endOf(stageKey, session) : Promise.resolve(null),
    );
  }

  /** The kanban drop: a stage and a place in it (before a deal, or an index). */
  async move(ctx: AuthedContext, id: string, input: MoveDeal): Promise<{ deal: Deal }> {
    const settings = await this.#d.settings.fresh();
    const { deal: before, client } = await this.#writable(ctx, id);
    if (before.version !== input.version) throw await this.#stale(ctx.actor, id);
    const stage = stageOf(settings, input.stage);
    const set: Partial<DealDoc> = { stage: stage.key, access: this.#d.clients.accessOf(client) };
    if (stage.key !== before.stage) {
      Object.assign(set, closingFor(stage, input.reason, before, new Date()));
      set.probability = stage.probability;
    }
    return this.#save(ctx, before, client, settings, set, async (session) => {
      const beforeId =
        input.beforeId ??
        (input.position !== undefined ? await this.#d.deals.idAt(stage.key, input.position, id, session) : null);
      return beforeId
        ? this.#d.deals.before(stage.key, beforeId, id, session)
        : this.#d.deals.endOf(stage.key, session);
    });
  }

  async remove(ctx: AuthedContext, id: string): Promise<{ ok: true }> {
    const { deal, client } = await this.#writable(ctx, id);
    const viewers = await this.#viewers(deal, client);
    await this.#d.publisher.publish(ctx, async (session) => {
      await this.#d.deals.delete(id, session);
      await this.#d.search?.remove('deal', id, session);
      const audit: AuditDraft = {
        action: 'deal.delete',
        code: client.code,
        note: `Deal «${deal.title}»`,
        changes: diffFields(deal, {}, auditedDealFields),
      };
      const draft: LibraryFeedDraft = {
        type: 'deal.deleted',
        projectId: null,
        resource: { kind: 'deal', id, code: deal.title },
        data: { title: deal.title, clientId: String(client._id), clientName: client.name },
        viewers,
      };
      return { result: null, audit, feed: [draft] };
    });
    return { ok: true };
  }

  async present(actor: Actor, docs: DealDoc[]): Promise<Deal[]> {
    const clientIds = [...new Set(docs.map((d) => String(d.clientId)))];
    const [clients, people] = await Promise.all([
      this.#d.clientsRepo.findByIds(clientIds),
      this.#d.people.refs(docs.flatMap((d) => (d.managerId ? [String(d.managerId)] : []))),
    ]);
    const names = new Map(clients.map((c) => [String(c._id), c.name]));
    return docs.map((doc) => {
      const may = this.#d.access.can(actor, 'deal.write', resourceOf(doc));
      return presentDeal(doc, names, people, { update: may, delete: may });
    });
  }

  // ——— steps ———

  async #presentOne(actor: Actor, doc: DealDoc): Promise<Deal> {
    return (await this.present(actor, [doc]))[0];
  }

  async #writable(ctx: AuthedContext, id: string): Promise<{ deal: DealDoc; client: ClientDoc }> {
    const { deal } = await this.readable(ctx, id);
    const client = await this.#d.clients.writable(ctx, String(deal.clientId), 'deal.write');
    return { deal, client };
  }

  /** Writes `set` at the version read (the position decided inside the transaction), journals, feeds, notifies. */
  async #save(
    ctx: AuthedContext,
    before: DealDoc,
    client: ClientDoc,
    settings: CrmSettings,
    set: Partial<DealDoc>,
    positionOf: (session: ClientSession) => Promise<number | null>,
  ): Promise<{ deal: Deal }> {
    const id = String(before._id);
    const saved = await this.#d.publisher.publish(ctx, async (session) => {
      const position = await positionOf(session);
      if (position !== null) set.position = position;
      const doc = await this.#d.deals.updateAt(id, before.version, set, session);
      if (!doc) throw await this.#stale(ctx.actor, id);
      await this.#index(doc, client, session);
      const changes = diffFields(before, doc, auditedDealFields);
      const audit: AuditDraft | null = changes.length
        ? { action: 'deal.update', code: client.code, note: `Deal «${doc.title}»`, changes }
        : null;
      return { result: doc, audit, feed: await this.#feed(before, doc, client, settings) };
    });
    await this.#notifyClosed(ctx, before, saved, client);
    return { deal: await this.#presentOne(ctx.actor, saved) };
  }

  /** 409 with the deal as it is now (`current.deal`), or 404 when it is gone. */
  async #stale(actor: Actor, id: string): Promise<Error> {
    const current = await this.#d.deals.findById(id);
    if (!current) return new NotFoundError('Deal');
    return new ConflictError(
      'The deal changed since you loaded it; reload and try again',
      { version: `Current version is ${current.version}` },
      { deal: await this.#presentOne(actor, current) },
    );
  }

  /** The responsible manager: the one asked for (active, may work with clients), else the client's, else the caller. */
  async #managerFor(ctx: AuthedContext, requested: string | undefined, client: ClientDoc): Promise<string> {
    if (!requested) return client.managerId ? String(client.managerId) : ctx.actor.id;
    const user = await this.#d.users.findById(requested);
    if (!user || inactiveReason(user, new Date())) throw new ValidationError({ managerId: 'No such active user' });
    if (!this.#d.access.can(toActor(user), 'client.read'))
      throw new ValidationError({ managerId: 'This person cannot work with clients' });
    return requested;
  }

  async #assertContact(clientId: string, contactId: string): Promise<void> {
    if (!(await this.#d.clientsRepo.contact(clientId, contactId)))
      throw new ValidationError({ contactId: 'Not a contact of this client' });
  }

  async #index(doc: DealDoc, client: ClientDoc, session: ClientSession): Promise<void> {
    await this.#d.search?.put(
      {
        kind: 'deal',
        id: String(doc._id),
        clientId: String(doc.clientId),
        title: doc.title,
        subtitle: client.name,
        text: [doc.title],
        phones: [],
        emails: [],
      },
      session,
    );
  }

  /** Entries of a stage change (won, lost, or another stage) to the client's audience and the deal's manager. */
  async #feed(before: DealDoc | null, doc: DealDoc, client: ClientDoc, settings: CrmSettings) {
    const type = stageFeedType(before, doc);
    const label = (key: string) => settings.dealStages.find((s) => s.key === key)?.label ?? key;
    const data: Record<string, unknown> = {
      title: doc.title,
      clientId: String(client._id),
      clientName: client.name,
      stage: doc.stage,
      stageLabel: label(doc.stage),
      fromStage: before?.stage ?? null,
      fromStageLabel: before ? label(before.stage) : null,
    };
    if (type === 'deal.won' || type === 'deal.lost')
      Object.assign(data, { amount: doc.amount, currency: doc.currency, reason: doc.closedReason });
    const viewers = await this.#viewers(doc, client);
    const draft: LibraryFeedDraft = {
      type,
      projectId: null,
      resource: { kind: 'deal', id: String(doc._id), code: doc.title },
      data,
      viewers,
    };
    return [draft];
  }

  /** Who hears of a deal: the client's audience and the deal's own manager. */
  async #viewers(doc: DealDoc, client: ClientDoc): Promise<string[]> {
    const audience = await this.#d.clients.audienceOf(client);
    return [...new Set([...audience, ...(doc.managerId ? [String(doc.managerId)] : [])])];
  }

  /** `dealWon`/`dealLost` to the client's responsible manager when someone else closed the deal. */
  async #notifyClosed(ctx: AuthedContext, before: DealDoc | null, doc: DealDoc, client: ClientDoc): Promise<void> {
    const notifications = this.#d.notifications;
    if (!notifications || doc.outcome === 'open' || before?.outcome === doc.outcome) return;
    const managerId = client.managerId ? String(client.managerId) : null;
    if (!managerId || managerId === ctx.actor.id) return;
    await notifications.raise({
      kind: doc.outcome === 'won' ? 'dealWon' : 'dealLost',
      userId: managerId,
      actor: { id: ctx.actor.id, name: ctx.actor.name },
      projectId: null,
      task: null,
      subject: { kind: 'deal', id: String(doc._id), title: doc.title },
      data: {
        clientId: String(client._id),
        clientName: client.name,
        amount: doc.amount,
        currency: doc.currency,
        reason: doc.closedReason,
      },
    });
  }
}
